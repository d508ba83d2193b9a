import { renameSync, writeFileSync } from "node:fs";
import { copyFile, link, mkdir, mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/** What to write at a path: bytes or text, or an existing file to link (or copy) in place. */
export type FileContent = Uint8Array | string | { readonly from: string };

/** Options of {@link writeAtomically}. */
export interface WriteOptions {
  /**
   * Make `outDir` hold exactly these files: the old folder is swapped out whole, so files of bulletins that
   * no longer exist disappear too (default: `false`, other files in `outDir` are left alone).
   */
  readonly replace?: boolean | undefined;
}

/**
 * Write a set of files into `outDir` so that either all of them land or none do: everything is
 * written into a fresh temporary folder beside `outDir` first, then moved into place.
 *
 * @param outDir Destination folder (created if missing).
 * @param files Relative path (with `/`) to content. `{ from }` entries are hard-linked from a cache
 *   (copied when the cache is on another file system), which makes re-publishing unchanged files nearly free.
 * @param options `replace` to mirror the set exactly.
 * @returns The absolute paths written, sorted.
 * @example
 * await writeAtomically("out", new Map([["iocs/atrc-2023-001.csv", csv]]))
 */
export async function writeAtomically(
  outDir: string,
  files: ReadonlyMap<string, FileContent>,
  options: WriteOptions = {},
): Promise<string[]> {
  const target = path.resolve(outDir);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}-tmp-`));
  try {
    const folders = new Set<string>();
    for (const relative of files.keys()) {
      assertRelative(relative);
      folders.add(path.dirname(path.join(staging, relative)));
    }
    for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
    // Thousands of small files (a large archive's exports and links): a few writes in flight at a time.
    const entries = [...files];
    let next = 0;
    const writer = async () => {
      while (next < entries.length) {
        const [relative, content] = entries[next++]!;
        const full = path.join(staging, relative);
        if (typeof content === "string" || content instanceof Uint8Array) {
          await writeFile(full, content);
        } else {
          await link(content.from, full).catch(() => copyFile(content.from, full));
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));
    const relatives = [...files.keys()].sort();
    if (options.replace) {
      const old = `${staging}-old`;
      await rename(target, old).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      await rename(staging, target);
      await rm(old, { recursive: true, force: true });
      return relatives.map((relative) => path.join(target, relative));
    }
    await mkdir(target, { recursive: true });
    const written: string[] = [];
    for (const relative of relatives) {
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

/**
 * Reject a path that would leave the output folder.
 *
 * @param relative A path relative to the output folder, with `/`.
 * @throws {TypeError} When it is empty, absolute or goes up.
 */
export function assertRelative(relative: string): void {
  if (relative === "" || path.isAbsolute(relative) || relative.split("/").includes("..")) {
    throw new TypeError(`Expected a relative path inside the output folder, not \`${relative}\``);
  }
}

/**
 * Replace one file at once: written beside it, then renamed over it, so that a reader (or a stopped run) never finds
 * half of it.
 *
 * @param file The file.
 * @param content Its new content.
 */
export function replaceFile(file: string, content: string | Uint8Array): void {
  const aside = `${file}.tmp-${process.pid}`;
  writeFileSync(aside, content);
  renameSync(aside, file);
}
