import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rename, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  foldersUnchanged,
  readFolderRecord,
  removeFolderRecord,
  stampFolders,
  writeFolderRecord,
} from "../src/folder-stamps.js";

/** A tree `a/`, `a/b/` with a file each, and the path of a record beside it. */
async function tree() {
  const work = await mkdtemp(path.join(tmpdir(), "atrc-stamps-"));
  const a = path.join(work, "a");
  const b = path.join(a, "b");
  await mkdir(b, { recursive: true });
  await writeFile(path.join(a, "one.html"), "1");
  await writeFile(path.join(b, "two.html"), "2");
  return { work, a, b, record: path.join(work, "record.json") };
}

/** Record the folders, then read the record back. */
function recorded(file: string, folders: string[]) {
  const stamps = stampFolders(folders);
  expect(stamps).toBeDefined();
  expect(writeFolderRecord(file, "key", stamps!)).toBe(true);
  const record = readFolderRecord(file);
  expect(record?.key).toBe("key");
  return record!;
}

describe("folder stamps", () => {
  it("see a file added, removed or replaced in any recorded folder, and a folder replaced", async () => {
    const { a, b, record } = await tree();
    const changes: [string, () => Promise<unknown>][] = [
      ["a file added", () => writeFile(path.join(b, "three.html"), "3")],
      ["a file removed", () => rm(path.join(a, "one.html"))],
      ["a file replaced", () => writeFile(`${a}/x`, "new").then(() => rename(`${a}/x`, `${a}/one.html`))],
      ["a folder replaced", () => rm(b, { recursive: true }).then(() => mkdir(b))],
      ["a folder gone", () => rm(b, { recursive: true })],
    ];
    for (const [what, change] of changes) {
      await mkdir(b, { recursive: true });
      const before = recorded(record, [a, b]);
      expect(foldersUnchanged(before), `before ${what}`).toBe(true);
      await change();
      expect(foldersUnchanged(before), what).toBe(false);
    }
  });

  it("write a record only once the file system's clock is past every folder's time", async () => {
    const { work, a, record } = await tree();
    // A folder changed "now" (its time a little ahead here): the record waits until its own time is past it.
    const soon = new Date(Date.now() + 150);
    await utimes(a, soon, soon);
    const stamps = stampFolders([a])!;
    expect(writeFolderRecord(record, "key", stamps)).toBe(true);
    expect(statSync(record).mtimeMs).toBeGreaterThan(statSync(a).mtimeMs);
    // One dated in the future: no record (the caller then looks at every file), and nothing left aside.
    const future = new Date(Date.now() + 3_600_000);
    await utimes(a, future, future);
    removeFolderRecord(record);
    expect(writeFolderRecord(record, "key", stampFolders([a])!)).toBe(false);
    expect(existsSync(record)).toBe(false);
    expect(await readdir(work)).toEqual(["a"]);
  });

  it("stamp nothing when a path is not a folder, and read no record that is not one", async () => {
    const { a, record } = await tree();
    expect(stampFolders([a, path.join(a, "one.html")])).toBeUndefined();
    expect(stampFolders([a, path.join(a, "gone")])).toBeUndefined();
    expect(readFolderRecord(record)).toBeUndefined();
    await writeFile(record, "{not json");
    expect(readFolderRecord(record)).toBeUndefined();
    await writeFile(record, JSON.stringify({ version: 0, key: "key", folders: [] }));
    expect(readFolderRecord(record)).toBeUndefined();
  });
});
