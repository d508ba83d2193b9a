import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

/**
 * The bundled content copied into a new temporary folder, with one SHA-1 cut short (an `ioc-invalid` error).
 *
 * @returns The folder, which holds `content/`.
 */
export async function brokenCopy(): Promise<string> {
  const root = fileURLToPath(new URL("../../../", import.meta.url));
  const work = await mkdtemp(path.join(tmpdir(), "atrc-cli-broken-"));
  const folder = path.join(work, "content/bulletins/2023-03-3cx");
  await cp(path.join(root, "content/bulletins/2023-03-3cx"), folder, { recursive: true });
  const es = path.join(folder, "es.md");
  const text = await readFile(es, "utf8");
  await writeFile(
    es,
    text.replace("cad1120d91b812acafef7175f949dd1b09c6c21a", "cad1120d91b812acafef7175f949dd1b09c6c21"),
  );
  return work;
}
