/**
 * Mirroring a set of cached files into a folder by hard links, touching only what changed: a large archive
 * publishes tens of thousands of files, and after one edit all but a handful are already in place.
 */
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from "node:fs";
import path from "node:path";
import { assertRelative } from "./write.js";

/** Options of {@link syncLinks}. */
export interface SyncOptions {
  /** Top-level names that are not in the set but stay (the caller's own state files). */
  readonly keep?: readonly string[];
  /**
   * Every file the folder is known to hold below its top level (relative path → device and inode numbers), when the
   * caller knows it: no file is then looked at, and of the folder only its top level is listed.
   */
  readonly held?: ReadonlyMap<string, FileId> | undefined;
}

/** A file to put in place: the file to link from, and its device and inode numbers when the caller knows them. */
export interface LinkSource {
  readonly from: string;
  readonly id?: FileId | undefined;
}

/** What makes a file the very same file. */
export interface FileId {
  readonly dev: number;
  readonly ino: number;
}

/** What {@link syncLinks} changed. */
export interface SyncResult {
  /** Files linked (or copied) into place. */
  readonly linked: number;
  /** Files removed. */
  readonly removed: number;
  /** The device and inode numbers of each file of the set, as it now is in the folder. */
  readonly ids: ReadonlyMap<string, FileId>;
}

/**
 * Make `dir` hold each file of `files` (relative path with `/` → the file to link from) and nothing else, linking
 * only those that are not already the very same file (same inode), then removing the others. Each file is linked
 * aside and renamed into place, so a reader never sees half a file. Files on another file system are copied (and
 * copied again on every call).
 *
 * @param dir Folder to update (created if missing).
 * @param files Relative path to source file (with its inode number when known: one `stat` call less when the file in
 *   `dir` is that one; otherwise the source is looked at again).
 * @param options Files to keep.
 * @returns How many files were linked and removed.
 * @example
 * await syncLinks("out", new Map([["pdf/atrc-2023-001-es.pdf", { from: "/cache/ab/ab12…/pdf/atrc-2023-001-es.pdf" }]]))
 */
export function syncLinks(
  dir: string,
  files: ReadonlyMap<string, LinkSource>,
  options: SyncOptions = {},
): SyncResult {
  const target = path.resolve(dir);
  for (const relative of files.keys()) assertRelative(relative);
  // Synchronous calls throughout: tens of thousands of them on files just seen cost a fraction of promise round
  // trips, and there is nothing else to do meanwhile.
  const stale: { relative: string; from: string; exists: boolean }[] = [];
  const ids = new Map<string, FileId>();
  const { held } = options;
  for (const [relative, source] of files) {
    let { dev, ino } = source.id ?? statSync(source.from);
    const current = held
      ? held.get(relative)
      : lstatSync(path.join(target, relative), { throwIfNoEntry: false });
    if ((current?.ino !== ino || current.dev !== dev) && source.id) {
      // The id the caller knew may be an older file's at the same path (a cache file removed and made again, as
      // blobs are when another content folder's run prunes them): the file there now is the one linked.
      ({ dev, ino } = statSync(source.from));
    }
    ids.set(relative, { dev, ino });
    if (current?.ino !== ino || current.dev !== dev)
      stale.push({ relative, from: source.from, exists: current !== undefined });
  }
  const folders = new Set<string>();
  for (const { relative, from, exists } of stale) {
    const destination = path.join(target, relative);
    const folder = path.dirname(destination);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    // A new file is linked in place; one that replaces another is linked aside and renamed over it.
    const place = exists ? `${destination}.tmp-${process.pid}` : destination;
    if (exists) rmSync(place, { force: true });
    let linked = true;
    try {
      linkSync(from, place);
    } catch {
      copyFileSync(from, place);
      linked = false;
    }
    if (exists) renameSync(place, destination);
    if (!linked) {
      const { dev, ino } = lstatSync(destination);
      ids.set(relative, { dev, ino });
    }
  }

  let removed = 0;
  const keep = new Set(options.keep ?? []);
  const roots = existsSync(target) ? readdirSync(target).filter((name) => !keep.has(name)) : [];
  if (held) {
    // The files held and no longer wanted go, with the folders they leave empty; of the top level, what is neither
    // held nor wanted is looked at below, as without `held`.
    const tops = new Set<string>();
    for (const relative of [...held.keys(), ...files.keys()]) tops.add(relative.split("/", 1)[0]!);
    for (const relative of held.keys()) {
      if (files.has(relative)) continue;
      rmSync(path.join(target, relative), { force: true });
      removed++;
      for (let at = relative.lastIndexOf("/"); at > 0; at = relative.lastIndexOf("/", at - 1)) {
        try {
          rmdirSync(path.join(target, relative.slice(0, at)));
        } catch {
          break;
        }
      }
    }
    for (let index = roots.length - 1; index >= 0; index--)
      if (tops.has(roots[index]!)) roots.splice(index, 1);
  }
  for (const root of roots) {
    const top = path.join(target, root);
    const info = lstatSync(top, { throwIfNoEntry: false });
    if (!info) continue;
    if (!info.isDirectory()) {
      if (!files.has(root)) {
        rmSync(top, { force: true });
        removed++;
      }
      continue;
    }
    const entries = readdirSync(top, { recursive: true, withFileTypes: true });
    const gone = entries
      .filter((entry) => !entry.isDirectory())
      .map((entry) => `${entry.parentPath}${path.sep}${entry.name}`)
      .filter((full) => !files.has(toRelative(target, full)));
    for (const full of gone) rmSync(full, { force: true });
    removed += gone.length;
    if (gone.length > 0) {
      // Folders left empty (a deleted bulletin's pages), deepest first.
      const dirs = entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(entry.parentPath, entry.name))
        .sort((a, b) => b.length - a.length);
      for (const folder of [...dirs, top]) {
        try {
          rmdirSync(folder);
        } catch {
          // Not empty: it still holds files of the set.
        }
      }
    }
  }
  return { linked: stale.length, removed, ids };
}

/**
 * The path of `full` relative to the folder `root` it is in, with `/` (what `path.relative` gives for such paths,
 * for a fraction of its cost over tens of thousands of files).
 *
 * @param root Absolute folder.
 * @param full Absolute path of a file in it.
 * @returns Relative path.
 */
export function toRelative(root: string, full: string): string {
  const relative = full.slice(root.length + 1);
  return path.sep === "/" ? relative : relative.split(path.sep).join("/");
}
