/**
 * What `atrc publish` reads after an edit: only the Markdown of the bulletins whose files changed (the others are
 * known from the previous run's manifest), the bulletins' parts of `iocs/all.*` only when one of them changed, and
 * a bulletin whose cache entry is gone is read and rendered again. What it makes: the other archive-wide files (the
 * MISP feed's index, the list of changes) only when a bulletin's feed entry, paths or date changed.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as BulletinNode from "@atrc/bulletin/node";
import type * as Export from "@atrc/export";
import { describe, expect, it, vi } from "vitest";
import { publishCommand } from "../src/commands/publish.js";
import { memoryIo } from "./helpers.js";

const reads = vi.hoisted(() => [] as string[]);
vi.mock("@atrc/bulletin/node", async (importOriginal) => {
  const original = await importOriginal<typeof BulletinNode>();
  return {
    ...original,
    readSources: (folder: string, cwd: string) => {
      reads.push(path.basename(folder));
      return original.readSources(folder, cwd);
    },
  };
});

const aggregated = vi.hoisted(() => ({ count: 0 }));
vi.mock("@atrc/export", async (importOriginal) => {
  const original = await importOriginal<typeof Export>();
  return {
    ...original,
    aggregateFiles: (...args: Parameters<typeof original.aggregateFiles>) => {
      aggregated.count++;
      return original.aggregateFiles(...args);
    },
  };
});

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("atrc publish after an edit", () => {
  it("reads only the bulletins whose files changed, remakes iocs/all.* and the feed's index only for what changed, and renders again a bulletin whose cache entry is gone", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "atrc-publish-reads-"));
    const bulletins = path.join(work, "content/bulletins");
    await cp(path.join(root, "content/bulletins/2023-03-3cx"), path.join(bulletins, "2023-03-3cx"), {
      recursive: true,
    });
    // A second bulletin: the same text under another id.
    const other = path.join(bulletins, "2023-04-copy");
    await cp(path.join(bulletins, "2023-03-3cx"), other, { recursive: true });
    for (const lang of ["es", "en"]) {
      const file = path.join(other, `${lang}.md`);
      await writeFile(file, (await readFile(file, "utf8")).replace("id: ATRC-2023-001", "id: ATRC-2023-002"));
    }
    const args = ["content", "--out", "out", "--cache", "cache", "--jobs", "1"];
    const run = async () => {
      reads.length = 0;
      aggregated.count = 0;
      const io = memoryIo(work);
      expect(await publishCommand.run(args, io), io.err()).toBe(0);
      return io.err();
    };
    expect(await run()).toContain("Published 2 bulletins to out");
    expect(reads.sort()).toEqual(["2023-03-3cx", "2023-04-copy"]);
    expect(aggregated.count).toBe(1);
    const feedFiles = [
      "feeds/misp/manifest.json",
      "feeds/misp/hashes.csv",
      "feeds/index.txt",
      "feeds/changes.csv",
    ];
    const feeds = async () =>
      Promise.all(feedFiles.map((file) => readFile(path.join(work, "out/exports", file), "utf8")));
    const feedsBefore = await feeds();

    // A change of text leaves every bulletin's part of `iocs/all.csv` and `iocs/all.json` as it was: those files
    // are not made again, and the parts are not even read (a part spoilt in the cache does not show).
    const allCsv = path.join(work, "out/exports/iocs/all.csv");
    const csvBefore = await readFile(allCsv, "utf8");
    const parts = (await readdir(path.join(work, "cache"), { recursive: true }))
      .filter((name) => name.endsWith(path.join("parts", "all.csv")))
      .map((name) => path.join(work, "cache", name));
    expect(parts).toHaveLength(2);
    const partTexts = await Promise.all(parts.map((file) => readFile(file, "utf8")));
    for (const file of parts) await writeFile(file, "not read\n");
    const es = path.join(other, "es.md");
    await writeFile(es, (await readFile(es, "utf8")).replace("las empresas de", "las compañías de"));
    expect(await run()).toContain("(1 of 2 from the cache)");
    expect(reads).toEqual(["2023-04-copy"]);
    expect(await readFile(path.join(work, "out/pages/2023-04-copy/es.html"), "utf8")).toContain(
      "las compañías de",
    );
    expect(await readFile(allCsv, "utf8")).toBe(csvBefore);
    for (const [index, file] of parts.entries()) await writeFile(file, partTexts[index]!);
    // Nor does it change the feed's index or the list of changes: they are the previous run's files, not made again.
    expect(aggregated.count).toBe(0);
    expect(await feeds()).toEqual(feedsBefore);
    expect(await readFile(path.join(work, "out/exports/SHA256SUMS"), "utf8")).toContain(
      "  feeds/changes.csv\n",
    );

    // A changed indicator changes them.
    for (const lang of ["es", "en"]) {
      const file = path.join(other, `${lang}.md`);
      await writeFile(
        file,
        (await readFile(file, "utf8")).replace("azureonlinestorage[.]com", "azureonlinestorage2[.]com"),
      );
    }
    expect(await run()).toContain("(1 of 2 from the cache)");
    const csvAfter = await readFile(allCsv, "utf8");
    expect(csvAfter).toContain("azureonlinestorage2");
    expect(csvAfter.split("\n").length).toBe(csvBefore.split("\n").length);
    // The bulletin's MISP event changed, so its line of the feed's hashes: those files are made again.
    expect(aggregated.count).toBe(1);
    const feedsAfter = await feeds();
    expect(feedsAfter[1]).not.toBe(feedsBefore[1]);

    // So does a new date of modification (the list of changes).
    for (const lang of ["es", "en"]) {
      const file = path.join(other, `${lang}.md`);
      const text = await readFile(file, "utf8");
      expect(text).toMatch(/^modified: 2023-03-30$/mu);
      await writeFile(file, text.replace(/^modified: 2023-03-30$/mu, "modified: 2023-04-02"));
    }
    expect(await run()).toContain("(1 of 2 from the cache)");
    expect(aggregated.count).toBe(1);
    expect((await feeds())[3]).not.toBe(feedsAfter[3]);
    expect((await feeds())[3]).toContain("2023-04-02");

    // Every entry is gone from the cache (the edit undone): the unchanged bulletin is read and rendered again too.
    const entries = await readdir(path.join(work, "cache"), { recursive: true });
    for (const name of entries.filter((file) => file.endsWith("entry.json")))
      await rm(path.join(work, "cache", path.dirname(name)), { recursive: true });
    await writeFile(es, (await readFile(es, "utf8")).replace("las compañías de", "las empresas de"));
    expect(await run()).not.toContain("from the cache");
    expect(reads.sort()).toEqual(["2023-03-3cx", "2023-04-copy"]);
    expect((await readdir(path.join(work, "out/pdf"))).sort()).toEqual([
      "atrc-2023-001-en.pdf",
      "atrc-2023-001-es.pdf",
      "atrc-2023-002-en.pdf",
      "atrc-2023-002-es.pdf",
    ]);
  });
});
