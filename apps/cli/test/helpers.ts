import type { CliIo } from "../src/io.js";

/** An in-memory terminal for running commands in-process. */
export function memoryIo(cwd: string, input = ""): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    cwd,
    color: false,
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    stdin: () => Promise.resolve(input),
    out: () => out,
    err: () => err,
  };
}
