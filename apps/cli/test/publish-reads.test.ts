/**
 * What `atrc publish` reads after an edit: only the Markdown of the bulletins whose files changed (the others are
 * known from the previous run's manifest), the bulletins' parts of `iocs/all.*` only when one of them changed, and
 * a bulletin whose cache entry is gone is read and rendered again.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as BulletinNode from "@atrc/bulletin/node";
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

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("atrc publish after an edit", () => {
  it("reads only the bulletins whose files changed, remakes iocs/all.* only for changed parts, and renders again a bulletin whose cache entry is gone", async () => {
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
      const io = memoryIo(work);
      expect(await publishCommand.run(args, io), io.err()).toBe(0);
      return io.err();
    };
    expect(await run()).toContain("Published 2 bulletins to out");
    expect(reads.sort()).toEqual(["2023-03-3cx", "2023-04-copy"]);

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
