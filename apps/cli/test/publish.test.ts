import { existsSync } from "node:fs";
import {
  cp,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  utimes,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { checkCommand } from "../src/commands/check.js";
import { publishCommand, searchTuning } from "../src/commands/publish.js";
import { UsageError } from "../src/io.js";
import { Pool } from "../src/pool.js";
import { brokenCopy, memoryIo } from "./helpers.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** A work folder with a copy of the repository's content, and the paths the tests publish to. */
async function workCopy() {
  const work = await mkdtemp(path.join(tmpdir(), "atrc-publish-"));
  await cp(path.join(root, "content"), path.join(work, "content"), { recursive: true });
  const [out, cache, built, site] = ["out", "cache", "built", "site"].map((name) =>
    path.join(work, name),
  ) as [string, string, string, string];
  return { work, out, cache, built, site };
}

/**
 * Replace a file by another holding `text`, then put its folder's time back to `when`: the one change a record of
 * folders does not show.
 *
 * @param file The file.
 * @param text The new file's text.
 * @param when The folder's time before (to the millisecond, as recorded: `utimes` cannot put nanoseconds back).
 */
async function replaceKeepingFolderTime(file: string, text: string, when: Date): Promise<void> {
  await rm(file);
  await writeFile(file, text);
  await utimes(path.dirname(file), when, when);
}

/**
 * Expect the output's record (`<out>/site-record.json`) to be the one a run without `--dist` leaves: the output's
 * folders alone, vouching for no `--dist` (its key is no site's).
 *
 * @param out The output folder.
 */
async function expectOutputRecordOnly(out: string): Promise<void> {
  const record = JSON.parse(await readFile(path.join(out, "site-record.json"), "utf8")) as {
    key: string;
    folders: [string][];
  };
  expect(record.key).toBe("");
  expect(record.folders.length).toBeGreaterThan(0);
  expect(record.folders.every(([folder]) => folder.startsWith(`${out}${path.sep}`))).toBe(true);
}

/**
 * Add a copy of the 3CX bulletin published in 2021 (`2021-06-older`, ATRC-2021-001) to a work copy's content.
 *
 * @param work The work copy.
 * @param edit A further change to each file's text.
 * @returns The bulletin's folder.
 */
async function addOlderBulletin(work: string, edit = (text: string) => text): Promise<string> {
  const older = path.join(work, "content/bulletins/2021-06-older");
  await mkdir(older);
  for (const lang of ["es", "en"]) {
    const text = await readFile(path.join(work, "content/bulletins/2023-03-3cx", `${lang}.md`), "utf8");
    await writeFile(
      path.join(older, `${lang}.md`),
      edit(text.replace("ATRC-2023-001", "ATRC-2021-001").replaceAll("2023-03-30", "2021-06-01")),
    );
  }
  return older;
}

describe("atrc publish", () => {
  it("prints its help to stdout", async () => {
    const io = memoryIo(root);
    expect(await publishCommand.run(["--help"], io)).toBe(0);
    expect(io.out()).toMatch(/^Usage: atrc publish \[paths\.\.\.\] --out <dir>/u);
  });

  it("rejects a call without --out, a bad --jobs and unknown options", async () => {
    const io = memoryIo(root);
    await expect(publishCommand.run([], io)).rejects.toThrow("Missing --out <dir>");
    await expect(publishCommand.run(["--out", "x", "--jobs", "0"], io)).rejects.toThrow(
      "Unexpected --jobs `0`, expected a whole number of 1 or more",
    );
    await expect(publishCommand.run(["--out", "x", "--bogus"], io)).rejects.toThrow(UsageError);
    // (One thread: the content stage starts a worker at once, which these tests of the TypeScript sources cannot.)
    await expect(publishCommand.run(["nowhere", "--out", "x", "--jobs", "1"], io)).rejects.toThrow(
      "No such file or folder",
    );
    // The output is emptied of anything else: it cannot be, hold or sit inside the content, cache or site.
    await expect(publishCommand.run(["--out", "."], io)).rejects.toThrow(
      "Unexpected --out .: it would hold or be inside content, expected a folder of its own",
    );
    await expect(publishCommand.run(["--out", "content/out"], io)).rejects.toThrow(
      "Unexpected --out content/out",
    );
    await expect(
      publishCommand.run(["--out", "x", "--site", "built", "--dist", "built/dist"], io),
    ).rejects.toThrow("Unexpected --dist built/dist: it would hold or be inside built");
  });

  it("writes pages, PDFs and exports, and takes unchanged bulletins from its cache", async () => {
    const work = await mkdtemp(path.join(tmpdir(), "atrc-publish-"));
    const out = path.join(work, "out");
    const cache = path.join(work, "cache");
    const io = memoryIo(root);
    expect(await publishCommand.run(["content", "--out", out, "--cache", cache, "--jobs", "1"], io)).toBe(0);
    expect(io.err()).toContain(`✔ Published 1 bulletin to ${path.relative(root, out)}: 2 PDFs, 1 exported.`);
    expect((await readdir(out)).sort()).toEqual([
      "exports",
      "manifest.json",
      "pages",
      "pdf",
      "run-key",
      "site-record.json",
    ]);
    // The run key alone, for a build tool that caches it instead of the output (the site's content stage).
    const { key } = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as { key: string };
    expect(key).toMatch(/^[0-9a-f]{64}$/u);
    expect(await readFile(path.join(out, "run-key"), "utf8")).toBe(`${key}\n`);
    // Put back by a run that finds nothing to do when it says something else (another content's key, restored).
    await writeFile(path.join(out, "run-key"), `${"0".repeat(64)}\n`);
    expect(
      await publishCommand.run(["content", "--out", out, "--cache", cache, "--jobs", "1"], memoryIo(root)),
    ).toBe(0);
    expect(await readFile(path.join(out, "run-key"), "utf8")).toBe(`${key}\n`);
    expect((await readdir(path.join(out, "pages/2023-03-3cx"))).sort()).toEqual([
      "bulletin.json",
      "en.html",
      "es.html",
    ]);
    expect((await readdir(path.join(out, "pdf"))).sort()).toEqual([
      "atrc-2023-001-en.pdf",
      "atrc-2023-001-es.pdf",
    ]);
    const sums = await readFile(path.join(out, "exports/SHA256SUMS"), "utf8");
    expect(sums).toMatch(/^[0-9a-f]{64} {2}pdf\/atrc-2023-001-es\.pdf$/mu);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}iocs\/atrc-2023-001\.stix\.json$/mu);

    // Entries no run has used for weeks go; recent ones (another branch's, say) stay.
    const old = path.join(cache, "zz", "z".repeat(64));
    const recent = path.join(cache, "yy", "y".repeat(64));
    for (const dir of [old, recent]) {
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, "entry.json"), "{}");
    }
    const monthAgo = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
    await utimes(path.join(old, "entry.json"), monthAgo, monthAgo);
    // The entry this run uses is marked as used when its mark is more than a day old (not at every run).
    const used = path.join(
      cache,
      (await readdir(cache, { recursive: true })).find(
        (name) =>
          name.endsWith("entry.json") && !name.includes("z".repeat(64)) && !name.includes("y".repeat(64)),
      )!,
    );
    const hoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(used, hoursAgo, hoursAgo);

    // (Pruning is done by runs that have something to update: without a manifest, every file is checked again.)
    await rm(path.join(out, "manifest.json"));
    const again = memoryIo(root);
    expect(await publishCommand.run(["content", "--out", out, "--cache", cache, "--jobs", "1"], again)).toBe(
      0,
    );
    expect(again.err()).toContain("(1 of 1 from the cache)");
    expect(existsSync(old)).toBe(false);
    expect(existsSync(recent)).toBe(true);
    expect((await stat(used)).mtimeMs).toBe(hoursAgo.getTime());
    await utimes(used, monthAgo, monthAgo);
    await rm(path.join(out, "manifest.json"));
    expect(
      await publishCommand.run(["content", "--out", out, "--cache", cache, "--jobs", "1"], memoryIo(root)),
    ).toBe(0);
    expect(Date.now() - (await stat(used)).mtimeMs).toBeLessThan(60 * 60 * 1000);
    expect(await readFile(path.join(out, "exports/SHA256SUMS"), "utf8")).toBe(sums);
  });

  it("stops early when nothing changed, and mends an output that is no longer what it linked", async () => {
    const { work, out, cache, built, site } = await workCopy();
    const args = ["content", "--out", out, "--cache", cache, "--jobs", "1", "--site", built, "--dist", site];
    await mkdir(path.join(built, "es"), { recursive: true });
    await writeFile(path.join(built, "index.html"), "<p>the site's own page</p>");
    await writeFile(path.join(built, "es/index.html"), "<p>página</p>");
    const first = memoryIo(work);
    expect(await publishCommand.run(args, first)).toBe(0);
    const pdf = "pdf/atrc-2023-001-es.pdf";
    // The built site and every download, linked (not copied) from where they are.
    expect((await stat(path.join(site, pdf))).ino).toBe((await stat(path.join(out, pdf))).ino);
    expect((await stat(path.join(site, "iocs/atrc-2023-001.csv"))).ino).toBe(
      (await stat(path.join(out, "exports/iocs/atrc-2023-001.csv"))).ino,
    );
    expect(await readFile(path.join(site, "SHA256SUMS"), "utf8")).toBe(
      await readFile(path.join(out, "exports/SHA256SUMS"), "utf8"),
    );
    expect((await stat(path.join(site, "es/index.html"))).ino).toBe(
      (await stat(path.join(built, "es/index.html"))).ino,
    );

    // With every output file in place, the run does not even read the cache entries: without its manifest the
    // bulletin would be rendered again, yet the run says what the first one said.
    const entry = (await readdir(cache, { recursive: true })).find((name) => name.endsWith("entry.json"))!;
    await rm(path.join(cache, entry));
    const second = memoryIo(work);
    expect(await publishCommand.run(args, second)).toBe(0);
    const same = first.err().replace("bulletin to", "bulletin (1 of 1 from the cache) to");
    expect(second.err()).toBe(same);
    expect(existsSync(path.join(cache, entry))).toBe(false);
    // A Markdown file touched but not changed is read again, and found the same.
    const es = path.join(work, "content/bulletins/2023-03-3cx/es.md");
    const later = new Date(Date.now() + 60_000);
    await utimes(es, later, later);
    const touched = memoryIo(work);
    expect(await publishCommand.run(args, touched)).toBe(0);
    expect(touched.err()).toBe(same);
    expect(existsSync(path.join(cache, entry))).toBe(false);
    // A file changed behind the same modification time is still seen: any write changes its change time.
    const { mtime } = await stat(es);
    // (Same length too: only the change time tells.)
    await writeFile(es, (await readFile(es, "utf8")).replace("Desktop App", "Desktop APP"));
    await utimes(es, mtime, mtime);
    const changed = memoryIo(work);
    expect(await publishCommand.run(args, changed)).toBe(0);
    expect(changed.err()).not.toContain("from the cache");
    expect(await readFile(path.join(out, "pages/2023-03-3cx/bulletin.json"), "utf8")).toContain(
      "Desktop APP",
    );

    // A file that is not the one the output linked (another build's, put back by a cache restore), a stray
    // download in the site, a page the site no longer has, a page rebuilt: the next run puts the right file back,
    // removes what is gone and links the new page.
    const pdfBytes = await readFile(path.join(out, pdf));
    await rm(path.join(out, pdf));
    await writeFile(path.join(out, pdf), "another build's PDF");
    await writeFile(path.join(site, "pdf/atrc-1999-001-es.pdf"), "a deleted bulletin's PDF");
    await rm(path.join(built, "es"), { recursive: true });
    await rm(path.join(built, "index.html"));
    await writeFile(path.join(built, "index.html"), "<p>rebuilt</p>");
    const third = memoryIo(work);
    expect(await publishCommand.run(args, third)).toBe(0);
    expect(Buffer.compare(await readFile(path.join(out, pdf)), pdfBytes)).toBe(0);
    expect(Buffer.compare(await readFile(path.join(site, pdf)), pdfBytes)).toBe(0);
    expect(existsSync(path.join(site, "pdf/atrc-1999-001-es.pdf"))).toBe(false);
    expect(existsSync(path.join(site, "es"))).toBe(false);
    expect(await readFile(path.join(site, "index.html"), "utf8")).toBe("<p>rebuilt</p>");

    // A site built in parts (its pages, its search index): every part's files, and no file from two places.
    const search = path.join(work, "search");
    await mkdir(path.join(search, "pagefind"), { recursive: true });
    await writeFile(path.join(search, "pagefind/pagefind.js"), "// the index");
    const parts = [...args.slice(0, -2), "--site", search, ...args.slice(-2)];
    expect(await publishCommand.run(parts, memoryIo(work))).toBe(0);
    expect((await stat(path.join(site, "pagefind/pagefind.js"))).ino).toBe(
      (await stat(path.join(search, "pagefind/pagefind.js"))).ino,
    );
    expect(await readFile(path.join(site, "index.html"), "utf8")).toBe("<p>rebuilt</p>");
    await writeFile(path.join(search, "index.html"), "<p>another home page</p>");
    await expect(publishCommand.run(parts, memoryIo(work))).rejects.toThrow(
      `\`index.html\` is both a file of the site in ${built} and a file of the site in ${search}`,
    );
    await rm(path.join(search, "index.html"));
    await mkdir(path.join(search, "pdf"));
    await writeFile(path.join(search, pdf), "not the PDF");
    await expect(publishCommand.run(parts, memoryIo(work))).rejects.toThrow(
      `\`${pdf}\` is both a file of the site in ${search} and a download`,
    );
    expect(await readFile(path.join(site, "index.html"), "utf8")).toBe("<p>rebuilt</p>");
    await rm(path.join(search, "pdf"), { recursive: true });

    // A symbolic link in a part (a page the site keeps in its cache) puts the file it points to into dist.
    const kept = path.join(work, "kept.html");
    await writeFile(kept, "<p>kept</p>");
    await mkdir(path.join(built, "en"), { recursive: true });
    await symlink(path.relative(path.join(built, "en"), kept), path.join(built, "en/index.html"));
    expect(await publishCommand.run(parts, memoryIo(work))).toBe(0);
    const served = await lstat(path.join(site, "en/index.html"));
    expect(served.isSymbolicLink()).toBe(false);
    expect(served.ino).toBe((await stat(kept)).ino);
    // A link to a link: the file at the end of the chain.
    const hop = path.join(work, "hop.html");
    await symlink("kept.html", hop);
    await symlink(path.relative(path.join(built, "en"), hop), path.join(built, "en/chain.html"));
    expect(await publishCommand.run(parts, memoryIo(work))).toBe(0);
    const chained = await lstat(path.join(site, "en/chain.html"));
    expect(chained.isSymbolicLink()).toBe(false);
    expect(chained.ino).toBe((await stat(kept)).ino);
    await rm(path.join(built, "en/chain.html"));
    // One that points nowhere (the cache emptied since) is an error, and dist is left as it was.
    await rm(kept);
    await expect(publishCommand.run(parts, memoryIo(work))).rejects.toThrow(
      `Unexpected link ${path.join(built, "en/index.html")}: it points to a file that is gone (../../kept.html), expected a file`,
    );
    expect(await readFile(path.join(site, "en/index.html"), "utf8")).toBe("<p>kept</p>");
    await expect(publishCommand.run([...args.slice(0, -2)], memoryIo(work))).rejects.toThrow(
      "Expected --site <dir> and --dist <dir> together",
    );
  });

  it("starts a worker at once as the content stage (no --dist), not before something changed with --dist", async () => {
    const { work, out, cache, built, site } = await workCopy();
    await mkdir(built, { recursive: true });
    await writeFile(path.join(built, "index.html"), "<p>the site's own page</p>");
    const content = ["content", "--out", out, "--cache", cache];
    const last = [...content, "--site", built, "--dist", site];
    expect(await publishCommand.run([...content, "--jobs", "1"], memoryIo(work))).toBe(0);
    expect(await publishCommand.run([...last, "--jobs", "1"], memoryIo(work))).toBe(0);
    // Two threads, nothing changed. (No worker is really started: the tests run the TypeScript sources.)
    const grow = vi.spyOn(Pool.prototype, "grow").mockReturnValue([]);
    const close = vi.spyOn(Pool.prototype, "close");
    try {
      // The content stage has started a worker before it knew nothing changed, and stops it unused…
      const again = memoryIo(work);
      expect(await publishCommand.run([...content, "--jobs", "2"], again)).toBe(0);
      expect(again.err()).toContain("(1 of 1 from the cache)");
      expect(grow).toHaveBeenCalledWith(1);
      expect(close).toHaveBeenCalled();
      // …the last stage starts none.
      grow.mockClear();
      expect(await publishCommand.run([...last, "--jobs", "2"], memoryIo(work))).toBe(0);
      expect(grow).not.toHaveBeenCalled();
    } finally {
      grow.mockRestore();
      close.mockRestore();
      await rm(work, { recursive: true, force: true });
    }
  });

  it("checks --dist by its folders' times once it has brought it up to date, and still sees a linked file replaced", async () => {
    const { work, out, cache, built, site } = await workCopy();
    const args = ["content", "--out", out, "--cache", cache, "--jobs", "1", "--site", built, "--dist", site];
    // The site: a page of its own, and a page kept in a cache folder beside it (a link, as the site's cached pages).
    const pages = path.join(work, "pages");
    await mkdir(pages);
    await writeFile(path.join(pages, "a.html"), "<p>cached</p>");
    await mkdir(path.join(built, "en"), { recursive: true });
    await writeFile(path.join(built, "index.html"), "<p>home</p>");
    await symlink("../../pages/a.html", path.join(built, "en/index.html"));
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    const record = path.join(out, "site-record.json");
    const { folders } = JSON.parse(await readFile(record, "utf8")) as { folders: [string][] };
    const recordedFolders = folders.map(([folder]) => path.relative(work, folder));
    for (const folder of ["site", "site/pdf", "site/en", "built", "built/en", "pages", "out/pdf"])
      expect(recordedFolders).toContain(folder);
    // The output's own folder is not in it (the record and the manifest live there).
    expect(recordedFolders).not.toContain("out");

    // Nothing changed: the run looks at folders, not at each file. A file replaced behind its folder's time put
    // back is not seen (the one change that check trusts does not happen)... (The folder is first dated to the
    // millisecond and recorded so by a run that sees it changed: `utimes` cannot put nanoseconds back.)
    const pdf = path.join(site, "pdf/atrc-2023-001-es.pdf");
    const when = new Date(Date.now() - 60_000);
    await utimes(path.dirname(pdf), when, when);
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    await replaceKeepingFolderTime(pdf, "not the PDF", when);
    const second = memoryIo(work);
    expect(await publishCommand.run(args, second)).toBe(0);
    expect(second.err()).toContain("(1 of 1 from the cache)");
    expect(await readFile(pdf, "utf8")).toBe("not the PDF");
    // ...until the records are gone: then every file is looked at, and the PDF linked again.
    await rm(record);
    await rm(path.join(out, "dist-record.json"));
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    expect((await stat(pdf)).ino).toBe((await stat(path.join(out, "pdf/atrc-2023-001-es.pdf"))).ino);
    expect(existsSync(record)).toBe(true);

    // The cached page made anew under the same name (the link unchanged): dist gets the new file.
    await writeFile(path.join(pages, "a.html.new"), "<p>cached, made again</p>");
    await rename(path.join(pages, "a.html.new"), path.join(pages, "a.html"));
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    expect(await readFile(path.join(site, "en/index.html"), "utf8")).toBe("<p>cached, made again</p>");
    // A file of the output replaced, and a stray file in a folder of dist: seen at once.
    const csv = path.join(out, "exports/iocs/atrc-2023-001.csv");
    const csvBytes = await readFile(csv);
    await rm(csv);
    await writeFile(csv, "another build's CSV");
    await writeFile(path.join(site, "en/stray.html"), "stray");
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    expect(Buffer.compare(await readFile(path.join(site, "iocs/atrc-2023-001.csv")), csvBytes)).toBe(0);
    expect(existsSync(path.join(site, "en/stray.html"))).toBe(false);
    // A run whose output changes removes the record first (a stopped run cannot leave one that vouches for it);
    // without --dist it then records the output's folders alone.
    await writeFile(
      path.join(work, "content/bulletins/2023-03-3cx/en.md"),
      (await readFile(path.join(work, "content/bulletins/2023-03-3cx/en.md"), "utf8")).replace(
        "Desktop App",
        "Desktop APP",
      ),
    );
    expect(
      await publishCommand.run(["content", "--out", out, "--cache", cache, "--jobs", "1"], memoryIo(work)),
    ).toBe(0);
    await expectOutputRecordOnly(out);
  });

  it("updates the output after an edit without looking at each of its files while its folders are as recorded", async () => {
    const { work, out, cache, built, site } = await workCopy();
    await mkdir(built);
    await writeFile(path.join(built, "index.html"), "<p>home</p>");
    const withSite = [
      "content",
      "--out",
      out,
      "--cache",
      cache,
      "--jobs",
      "1",
      "--site",
      built,
      "--dist",
      site,
    ];
    const alone = withSite.slice(0, -4);
    // Two bulletins; the record of --dist vouches for the output's folders too.
    const older = await addOlderBulletin(work);
    const schema = path.join(out, "exports/schema/atrc-iocs-v1.json");
    const when = new Date(Date.now() - 60_000);
    await mkdir(path.dirname(schema), { recursive: true });
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    // (Dated to the millisecond and recorded so by a run that sees it changed: `utimes` cannot put nanoseconds back.)
    await utimes(path.dirname(schema), when, when);
    await rm(path.join(out, "site-record.json"));
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    const schemaBytes = await readFile(schema);
    // A file of the output replaced behind its folder's time put back: the one change the record does not show.
    await replaceKeepingFolderTime(schema, "not the schema", when);

    // An edit of one bulletin and the other one deleted: the edit's files linked, the other's removed with their
    // folders, and no other file looked at (the replaced one is left as it is).
    const en = path.join(work, "content/bulletins/2023-03-3cx/en.md");
    await writeFile(en, `${await readFile(en, "utf8")}\nZanzibarquux was seen too.\n`);
    await rm(older, { recursive: true });
    // (A folder added at the output's top level changes no recorded folder: the top level is always looked at.)
    await mkdir(path.join(out, "stray"));
    await writeFile(path.join(out, "stray/file.txt"), "stray");
    expect(await publishCommand.run(alone, memoryIo(work))).toBe(0);
    expect(existsSync(path.join(out, "stray"))).toBe(false);
    expect(await readFile(path.join(out, "pages/2023-03-3cx/en.html"), "utf8")).toContain("Zanzibarquux");
    expect(existsSync(path.join(out, "pdf/atrc-2021-001-es.pdf"))).toBe(false);
    expect(existsSync(path.join(out, "pages/2021-06-older"))).toBe(false);
    expect(await readFile(schema, "utf8")).toBe("not the schema");
    await expectOutputRecordOnly(out);

    // No record: every file is looked at again, and the schema linked back.
    await rm(path.join(out, "site-record.json"));
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    expect(Buffer.compare(await readFile(schema), schemaBytes)).toBe(0);
    // A folder of the output changed since the record (a stray file in it): every file is looked at.
    await writeFile(path.join(out, "pdf/stray.pdf"), "stray");
    await writeFile(en, `${await readFile(en, "utf8")}\nQuuxbarzan too.\n`);
    expect(await publishCommand.run(alone, memoryIo(work))).toBe(0);
    expect(existsSync(path.join(out, "pdf/stray.pdf"))).toBe(false);
    expect(await readFile(path.join(out, "pages/2023-03-3cx/en.html"), "utf8")).toContain("Quuxbarzan");
  });

  it("updates --dist after an edit without listing it while its own folders are as recorded", async () => {
    const { work, out, cache, built, site } = await workCopy();
    const alone = ["content", "--out", out, "--cache", cache, "--jobs", "1"];
    const withSite = [...alone, "--site", built, "--dist", site];
    await mkdir(built);
    await writeFile(path.join(built, "index.html"), "<p>home</p>");
    const schema = path.join(site, "schema/atrc-iocs-v1.json");
    const when = new Date(Date.now() - 60_000);
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    // (Dated to the millisecond and recorded so by a run that sees it changed: `utimes` cannot put nanoseconds back.)
    await utimes(path.dirname(schema), when, when);
    const outSchema = path.join(out, "exports/schema/atrc-iocs-v1.json");
    await utimes(path.dirname(outSchema), when, when);
    await rm(path.join(out, "site-record.json"));
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    const record = JSON.parse(await readFile(path.join(out, "dist-record.json"), "utf8")) as {
      key: string;
      folders: [string][];
      files: [string, number, number][];
    };
    expect(record.key).toBe(site);
    expect(
      record.folders.every(([folder]) => folder === site || folder.startsWith(`${site}${path.sep}`)),
    ).toBe(true);
    expect(record.files.map(([relative]) => relative)).toEqual(
      expect.arrayContaining([
        "index.html",
        "pdf/atrc-2023-001-es.pdf",
        "iocs/atrc-2023-001.csv",
        "SHA256SUMS",
      ]),
    );
    const schemaBytes = await readFile(schema);
    // A file of dist replaced behind its folder's time put back: the one change the record does not show.
    await replaceKeepingFolderTime(schema, "not the schema", when);

    // An edit: the content stage changes the output (the site record no longer holds), the site changes too; the
    // last stage links the new files into dist and looks at no other file of it (the replaced one is left as it is).
    const en = path.join(work, "content/bulletins/2023-03-3cx/en.md");
    await writeFile(en, `${await readFile(en, "utf8")}\nZanzibarquux was seen too.\n`);
    expect(await publishCommand.run(alone, memoryIo(work))).toBe(0);
    await expectOutputRecordOnly(out);
    // It recorded the output's folders: the last stage does not look at each file of the output either (one replaced
    // behind its folder's time put back is left as it is).
    await replaceKeepingFolderTime(outSchema, "not the schema either", when);
    const manifest = (await stat(path.join(out, "manifest.json"))).ino;
    await writeFile(path.join(built, "index.html.new"), "<p>home, made again</p>");
    await rename(path.join(built, "index.html.new"), path.join(built, "index.html"));
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    expect(await readFile(path.join(site, "index.html"), "utf8")).toBe("<p>home, made again</p>");
    const enPdf = "pdf/atrc-2023-001-en.pdf";
    expect((await stat(path.join(site, enPdf))).ino).toBe((await stat(path.join(out, enPdf))).ino);
    expect(await readFile(schema, "utf8")).toBe("not the schema");
    expect(await readFile(outSchema, "utf8")).toBe("not the schema either");
    // (The output found in place as it is: its manifest not even written again.)
    expect((await stat(path.join(out, "manifest.json"))).ino).toBe(manifest);
    await rm(outSchema);
    await writeFile(outSchema, schemaBytes);

    // A folder of dist changed since (a stray file in it): every file of dist is looked at, the schema linked back.
    await writeFile(path.join(site, "pdf/stray.pdf"), "stray");
    await writeFile(en, `${await readFile(en, "utf8")}\nQuuxbarzan too.\n`);
    expect(await publishCommand.run(alone, memoryIo(work))).toBe(0);
    expect(await publishCommand.run(withSite, memoryIo(work))).toBe(0);
    expect(existsSync(path.join(site, "pdf/stray.pdf"))).toBe(false);
    expect(Buffer.compare(await readFile(schema), schemaBytes)).toBe(0);
    expect((await stat(path.join(site, enPdf))).ino).toBe((await stat(path.join(out, enPdf))).ino);
    await rm(work, { recursive: true, force: true });
  });

  it("stops early again after its cache's archive-wide files were made anew and Turborepo put an older manifest back", async () => {
    const { work, out, cache } = await workCopy();
    const args = ["content", "--out", out, "--cache", cache, "--jobs", "1"];
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    const manifest = await readFile(path.join(out, "manifest.json"));
    // A run on other content sharing the cache removed this archive's blobs (index, aggregates, checksums);
    // Turborepo restored this content's output: the manifest as it was, files written anew. (The old files are
    // kept aside, so that the new ones cannot be given their inode numbers again.)
    const held = path.join(work, "held");
    await mkdir(held);
    for (const name of await readdir(path.join(cache, "blobs")))
      await link(path.join(cache, "blobs", name), path.join(held, name));
    await rm(path.join(cache, "blobs"), { recursive: true });
    const index = path.join(out, "pages/index.json");
    const bytes = await readFile(index);
    await link(index, path.join(held, "index.json"));
    await rm(index);
    await writeFile(index, bytes);
    // The next run finds a file that is not the one it linked, makes the blobs again and links them: the
    // manifest it writes must describe the new files, or every later run would start over.
    expect(await publishCommand.run(args, memoryIo(work))).toBe(0);
    expect(await readFile(path.join(out, "manifest.json"))).not.toEqual(manifest);
    const entry = (await readdir(cache, { recursive: true })).find((name) => name.endsWith("entry.json"))!;
    await rm(path.join(cache, entry));
    const again = memoryIo(work);
    expect(await publishCommand.run(args, again)).toBe(0);
    expect(again.err()).toContain("(1 of 1 from the cache)");
    // Stopped early: the cache entry was not even read, let alone made again.
    expect(existsSync(path.join(cache, entry))).toBe(false);
  });

  it("removes the blobs its previous output did not link, unless that output was made with another cache", async () => {
    const { work, out, cache } = await workCopy();
    const run = async (cacheDir = cache) =>
      expect(
        await publishCommand.run(
          ["content", "--out", out, "--cache", cacheDir, "--jobs", "1"],
          memoryIo(work),
        ),
      ).toBe(0);
    const linked = async () => {
      const { files } = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as {
        files: [string, string][];
      };
      return files.map(([, from]) => from);
    };
    const es = path.join(work, "content/bulletins/2023-03-3cx/es.md");
    const edit = async (from: string, to: string) => {
      const text = await readFile(es, "utf8");
      expect(text).toContain(from);
      await writeFile(es, text.replace(from, to));
    };
    await run();
    const blobs = path.join(cache, "blobs");
    const before = await linked();
    expect(before.filter((file) => file.startsWith(`${blobs}${path.sep}`)).length).toBeGreaterThan(3);
    // A blob of another output (or of a run stopped while writing one), then an edit: the next run removes it, and
    // keeps every blob the output links.
    const stray = [path.join(blobs, "0".repeat(64)), path.join(blobs, `${"1".repeat(64)}.tmp-1`)];
    for (const file of stray) await writeFile(file, "stray\n");
    const inodes = new Map<string, number>();
    for (const file of before) if (file.startsWith(blobs)) inodes.set(file, (await stat(file)).ino);
    await edit("las empresas de", "las compañías de");
    await run();
    for (const file of stray) expect(existsSync(file)).toBe(false);
    // (The blobs both outputs link are the very same files: not removed and made again.)
    const kept = (await linked()).filter((file) => inodes.has(file));
    expect(kept.length).toBeGreaterThan(3);
    for (const file of kept) expect((await stat(file)).ino, file).toBe(inodes.get(file));
    for (const file of await linked()) expect(existsSync(file), file).toBe(true);

    // The same output made with another cache: the output links none of its blobs, so none is removed (they may be
    // another archive's); once the output links some, the others go.
    const other = path.join(work, "other-cache");
    const foreign = path.join(other, "blobs", "2".repeat(64));
    await mkdir(path.dirname(foreign), { recursive: true });
    await writeFile(foreign, "another archive's\n");
    await edit("las compañías de", "las firmas de");
    await run(other);
    expect(existsSync(foreign)).toBe(true);
    await edit("las firmas de", "las empresas de");
    await run(other);
    expect(existsSync(foreign)).toBe(false);
    for (const file of await linked()) expect(existsSync(file), file).toBe(true);
  });

  it("indexes the bulletin pages for the site's search with --search, served at /pagefind/, not as a download", async () => {
    const { work, out, cache, built, site } = await workCopy();
    await mkdir(built);
    await writeFile(path.join(built, "index.html"), "<p>home</p>");
    const args = ["content", "--out", out, "--cache", cache, "--jobs", "1", "--search"];
    const siteArgs = [...args, "--site", built, "--dist", site];
    expect(await publishCommand.run(siteArgs, memoryIo(work))).toBe(0);

    // One index per year of publication, listed for the site's search; Pagefind's files: its entry, and one fragment
    // per page with the page's URL and text.
    expect(JSON.parse(await readFile(path.join(site, "pagefind/shards.json"), "utf8"))).toEqual({
      version: 1,
      shards: [{ path: "2023/", languages: ["en", "es"] }],
    });
    const index = path.join(site, "pagefind/2023");
    const entry = JSON.parse(await readFile(path.join(index, "pagefind-entry.json"), "utf8")) as {
      languages: Record<string, { page_count: number }>;
    };
    expect(Object.keys(entry.languages).sort()).toEqual(["en", "es"]);
    expect(entry.languages.es!.page_count).toBe(1);
    expect(entry.languages.en!.page_count).toBe(1);
    const fragments = async (dir = index) => {
      const names = (await readdir(path.join(dir, "fragment"))).sort();
      const pages = await Promise.all(
        names.map(async (name) => {
          // A fragment is gzip of `pagefind_dcd` and the page's JSON.
          const bytes = gunzipSync(await readFile(path.join(dir, "fragment", name)));
          const page = JSON.parse(bytes.subarray("pagefind_dcd".length).toString("utf8")) as {
            url: string;
            content: string;
          };
          return [page.url, { name, content: page.content }] as const;
        }),
      );
      return Object.fromEntries(pages);
    };
    const before = await fragments();
    expect(Object.keys(before).sort()).toEqual(["/en/bulletins/2023-03-3cx/", "/es/boletines/2023-03-3cx/"]);
    const en = before["/en/bulletins/2023-03-3cx/"]!.content;
    expect(en).toContain("ATRC-2023-001");
    expect(en).toContain("SmoothOperator");
    expect(en).not.toContain("cad1120d91b812acafef7175f949dd1b09c6c21a");
    expect(before["/es/boletines/2023-03-3cx/"]!.content).toContain("troyanizada");
    // Linked from the output like every published file, but neither a download nor covered by the checksums.
    expect((await stat(path.join(index, "pagefind.js"))).ino).toBe(
      (await stat(path.join(out, "search/pagefind/2023/pagefind.js"))).ino,
    );
    for (const file of ["exports/SHA256SUMS", "pages/downloads.json"])
      expect(await readFile(path.join(out, file), "utf8")).not.toContain("pagefind");

    // The index gone from the output (as after Turborepo restored the rest): put back from the cache, without
    // running Pagefind again (the page files it reads are left alone).
    const record = path.join(cache, "search/pages/2023.json");
    const recorded = (await stat(record)).mtimeMs;
    await rm(path.join(out, "search"), { recursive: true });
    expect(await publishCommand.run(siteArgs, memoryIo(work))).toBe(0);
    expect((await stat(record)).mtimeMs).toBe(recorded);
    expect(await fragments()).toEqual(before);

    // An edit: indexed again before the bulletin is rendered, with the new text (and the index's folder holds the
    // index only, as the rest of the output holds what the manifest lists).
    const file = path.join(work, "content/bulletins/2023-03-3cx/en.md");
    await writeFile(file, `${await readFile(file, "utf8")}\nZanzibarquux was seen too.\n`);
    await writeFile(path.join(out, "search/stray.txt"), "not the index");
    expect(await publishCommand.run(siteArgs, memoryIo(work))).toBe(0);
    expect(existsSync(path.join(out, "search/stray.txt"))).toBe(false);
    const after = await fragments();
    expect(after["/en/bulletins/2023-03-3cx/"]!.content).toContain("Zanzibarquux");
    expect(after["/es/boletines/2023-03-3cx/"]).toEqual(before["/es/boletines/2023-03-3cx/"]);
    const read = async (dir: string) => {
      const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((item) => item.isFile())
        .map((item) => path.relative(dir, path.join(item.parentPath, item.name)))
        .sort();
      return Promise.all(names.map(async (name) => [name, await readFile(path.join(dir, name))] as const));
    };
    const early = await read(index);

    // Made after the rendering instead (many bulletins changed, or a first run), from a new cache: the same index.
    searchTuning.earlyLimit = 0;
    try {
      const other = path.join(work, "other");
      expect(
        await publishCommand.run(
          [
            ...args.slice(0, 2),
            path.join(other, "out"),
            "--cache",
            path.join(other, "cache"),
            ...args.slice(5),
          ],
          memoryIo(work),
        ),
      ).toBe(0);
      expect(await read(path.join(other, "out/search/pagefind/2023"))).toEqual(early);
    } finally {
      searchTuning.earlyLimit = 8;
    }

    // A bulletin of another year: an index of its own, merged first by the site's search (newest first), and the
    // 2023 index left as it was (Pagefind does not read its pages again).
    const older = await addOlderBulletin(work, (text) => text.replace("SmoothOperator", "Quuxwidget"));
    const recorded2023 = (await stat(record)).mtimeMs;
    expect(await publishCommand.run(siteArgs, memoryIo(work))).toBe(0);
    expect(JSON.parse(await readFile(path.join(site, "pagefind/shards.json"), "utf8"))).toEqual({
      version: 1,
      shards: [
        { path: "2023/", languages: ["en", "es"] },
        { path: "2021/", languages: ["en", "es"] },
      ],
    });
    expect((await stat(record)).mtimeMs).toBe(recorded2023);
    expect(await read(index)).toEqual(early);
    const older2021 = await fragments(path.join(site, "pagefind/2021"));
    expect(Object.keys(older2021).sort()).toEqual([
      "/en/bulletins/2021-06-older/",
      "/es/boletines/2021-06-older/",
    ]);
    expect(older2021["/en/bulletins/2021-06-older/"]!.content).toContain("Quuxwidget");

    // The 2021 bulletin gone: its index and its page files go too.
    await rm(older, { recursive: true });
    expect(await publishCommand.run(siteArgs, memoryIo(work))).toBe(0);
    expect(await readdir(path.join(site, "pagefind"))).toEqual(["2023", "shards.json"]);
    expect(await readdir(path.join(cache, "search/pages"))).toEqual(["2023", "2023.json"]);
    expect(await read(index)).toEqual(early);

    // Without --search: no index.
    expect(await publishCommand.run(["content", "--out", out, "--jobs", "1"], memoryIo(work))).toBe(0);
    expect(existsSync(path.join(out, "search"))).toBe(false);
  });

  it("prints what `atrc check` prints, exits 1 and leaves the previous output alone on an error", async () => {
    const work = await brokenCopy();
    const io = memoryIo(work);
    await writeFile(path.join(work, "marker"), "previous output");
    await cp(path.join(work, "marker"), path.join(work, "out/marker"), { recursive: true });
    expect(await publishCommand.run(["content", "--out", "out", "--jobs", "1"], io)).toBe(1);
    const check = memoryIo(work);
    expect(await checkCommand.run(["content"], check)).toBe(1);
    const report = (text: string) => text.split("\n").slice(0, -2).join("\n");
    expect(report(io.err())).toBe(report(check.err()));
    expect(io.err()).toContain("nothing was published");
    expect(await readdir(path.join(work, "out"))).toEqual(["marker"]);
    // The scratch cache beside the output is gone too.
    expect((await readdir(work)).sort()).toEqual(["content", "marker", "out"]);
  });
});
