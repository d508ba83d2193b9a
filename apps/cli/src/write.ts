import { mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Write a set of files into `outDir` so that either all of them land or none do: everything is
 * written into a fresh temporary folder beside `outDir` first, then moved into place.
 * Files already in `outDir` that are not in the set are left alone.
 *
 * @param outDir Destination folder (created if missing).
 * @param files Relative path (with `/`) to content.
 * @returns The absolute paths written, sorted.
 * @example
 * await writeAtomically("out", new Map([["iocs/atrc-2023-001.csv", csv]]))
 */
export async function writeAtomically(
  outDir: string,
  files: ReadonlyMap<string, Uint8Array | string>,
): Promise<string[]> {
  const target = path.resolve(outDir);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}-tmp-`));
  try {
    for (const [relative, content] of files) {
      if (path.isAbsolute(relative) || relative.split("/").includes("..")) {
        throw new TypeError(`Expected a relative path inside the output folder, not \`${relative}\``);
      }
      const full = path.join(staging, relative);
      await mkdir(path.dirname(full), { recursive: true });
      await writeFile(full, content);
    }
    await mkdir(target, { recursive: true });
    const written: string[] = [];
    for (const relative of [...files.keys()].sort()) {
      const destination = path.join(target, relative);
      await mkdir(path.dirname(destination), { recursive: true });
      await rename(path.join(staging, relative), destination);
      written.push(destination);
    }
    return written;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
