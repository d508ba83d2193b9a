/**
 * Telling cheaply that trees of files are as they were: a record of their folders' identities and modification
 * times. Adding, removing or renaming an entry of a folder (which is how a file is replaced by another) sets the
 * folder's modification time to the current time, so a folder with the same device, inode and modification time
 * still holds the same entries. A few thousand `stat` calls on folders then stand for tens of thousands on files.
 *
 * What no folder shows, a file's bytes changed in place, the check of every file this replaces did not see either
 * (it compared inodes).
 *
 * The file system's clock may move in steps of several milliseconds: a change made in the same step as the record
 * would leave a folder's time as recorded. A record is therefore only written once its own modification time is past
 * every recorded folder's (git's index has the same "racy" case).
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A folder as recorded: path, device, inode, modification time in nanoseconds. */
export type FolderStamp = readonly [path: string, dev: string, ino: string, mtimeNs: string];

/** A file as recorded: path (relative to the caller's folder, with `/`), device and inode numbers. */
export type FileStamp = readonly [relative: string, dev: number, ino: number];

/**
 * A record: what the folders were made for (the caller's key), what one part of them held (another key of the
 * caller's, for a caller that checks that part alone), the folders, and the files they held when the caller keeps
 * those too (while no folder changed, they hold the same files: see above).
 */
export interface FolderRecord {
  readonly version: typeof RECORD_VERSION;
  readonly key: string;
  readonly part: string;
  readonly folders: readonly FolderStamp[];
  readonly files?: readonly FileStamp[];
}

const RECORD_VERSION = 2;

/** How long to wait for the file system's clock to move past the folders' times, at most. */
const CLOCK_WAIT_MS = 1000;

/**
 * The stamp of each folder, or undefined when one is not a folder.
 *
 * @param folders Absolute paths.
 * @returns The stamps, in the same order.
 */
export function stampFolders(folders: Iterable<string>): FolderStamp[] | undefined {
  const stamps: FolderStamp[] = [];
  for (const folder of folders) {
    const info = statSync(folder, { bigint: true, throwIfNoEntry: false });
    if (!info?.isDirectory()) return undefined;
    stamps.push([folder, String(info.dev), String(info.ino), String(info.mtimeNs)]);
  }
  return stamps;
}

/**
 * The stamps of `root` and of the folders below it.
 *
 * @param folders Stamps.
 * @param root Absolute folder.
 * @returns Those in `root`'s tree, in the same order.
 */
export function foldersWithin(folders: readonly FolderStamp[], root: string): FolderStamp[] {
  const inside = `${root}${path.sep}`;
  return folders.filter(([folder]) => folder === root || folder.startsWith(inside));
}

/**
 * Whether every recorded folder is still the same folder with the same modification time.
 *
 * @param record A record.
 * @returns True when none changed.
 */
export function foldersUnchanged(record: FolderRecord): boolean {
  for (const [folder, dev, ino, mtimeNs] of record.folders) {
    const info = statSync(folder, { bigint: true, throwIfNoEntry: false });
    if (!info || String(info.mtimeNs) !== mtimeNs || String(info.ino) !== ino || String(info.dev) !== dev)
      return false;
  }
  return true;
}

/**
 * Read a record written by {@link writeFolderRecord}.
 *
 * @param file The record's path.
 * @returns The record, or undefined when there is none (or it cannot be read).
 */
export function readFolderRecord(file: string): FolderRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(file, "utf8")) as FolderRecord;
    return record.version === RECORD_VERSION ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Write a record, once the file system's clock has moved past every folder's modification time (see above). When it
 * does not within a second (a folder dated in the future), no record is written: the caller checks everything again
 * next time.
 *
 * @param file The record's path (in none of the folders).
 * @param key What the folders were made for.
 * @param folders The folders' stamps (see {@link stampFolders}).
 * @param part What one part of the folders held (see {@link FolderRecord}).
 * @param files The files the folders hold, when the caller keeps them.
 * @returns Whether the record was written.
 */
export function writeFolderRecord(
  file: string,
  key: string,
  folders: readonly FolderStamp[],
  part = "",
  files?: readonly FileStamp[],
): boolean {
  const record: FolderRecord = { version: RECORD_VERSION, key, part, folders, ...(files ? { files } : {}) };
  const text = JSON.stringify(record);
  const latest = folders.reduce(
    (max, [, , , mtimeNs]) => (BigInt(mtimeNs) > max ? BigInt(mtimeNs) : max),
    0n,
  );
  const aside = `${file}.tmp-${process.pid}`;
  const until = Date.now() + CLOCK_WAIT_MS;
  for (;;) {
    writeFileSync(aside, text);
    if (statSync(aside, { bigint: true }).mtimeNs > latest) {
      renameSync(aside, file);
      return true;
    }
    if (Date.now() > until) {
      rmSync(aside, { force: true });
      return false;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
  }
}

/**
 * Remove a record (before the folders it stands for change).
 *
 * @param file The record's path.
 */
export function removeFolderRecord(file: string): void {
  rmSync(file, { force: true });
}
