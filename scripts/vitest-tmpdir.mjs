/**
 * Vitest global set-up of every workspace: the run's temporary folders go into one folder of their own, removed
 * when the run ends, so tests (and the CLIs and builds they start) leave nothing behind in the system's temporary
 * folder. Node's `os.tmpdir()` reads `TMPDIR` at each call, and Vitest starts its test workers after this runs,
 * so they inherit it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import process from "node:process";

/** @returns The teardown: removes the run's folder and restores `TMPDIR`. */
export default function setup() {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(tmpdir(), "atrc-test-run-"));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
