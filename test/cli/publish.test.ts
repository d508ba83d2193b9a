import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { pageFiles } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { parseDownloadsIndex } from "@atrc/export";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const atrc = (...args: string[]) =>
  run(process.execPath, ["apps/cli/bin/atrc.js", ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: "1" },
  });

describe("the publish stages of the built CLI", () => {
  it("renders PDFs in worker processes with the same bytes as in one thread", async () => {
    const one = await mkdtemp(path.join(tmpdir(), "atrc-pdf-one-"));
    const two = await mkdtemp(path.join(tmpdir(), "atrc-pdf-two-"));
    const generated = await mkdtemp(path.join(tmpdir(), "atrc-pdf-content-"));
    await run(process.execPath, ["apps/site/bench/generate.mjs", generated, "3"], { cwd: root });
    const sources = ["content", generated];
    await atrc("pdf", ...sources, "--out", one, "--jobs", "1");
    await atrc("pdf", ...sources, "--out", two, "--jobs", "2");
    const names = (await readdir(one)).sort();
    expect(names).toHaveLength(8);
    expect((await readdir(two)).sort()).toEqual(names);
    for (const name of names) {
      expect(
        Buffer.compare(await readFile(path.join(one, name)), await readFile(path.join(two, name))),
        name,
      ).toBe(0);
    }
  });

  it("checksums the PDFs with the exports without copying them", async () => {
    const pdf = await mkdtemp(path.join(tmpdir(), "atrc-pub-pdf-"));
    const exports = await mkdtemp(path.join(tmpdir(), "atrc-pub-exports-"));
    await atrc("pdf", "content", "--out", pdf);
    await atrc("export", "content", "--out", exports, "--checksum", `pdf=${pdf}`, "--replace");
    const sums = await readFile(path.join(exports, "SHA256SUMS"), "utf8");
    expect(sums).toMatch(/^[0-9a-f]{64} {2}pdf\/atrc-2023-001-es\.pdf$/mu);
    expect(await readdir(path.join(exports, "pdf"))).toEqual([
      "atrc-2023-001-en.pdf.sha256",
      "atrc-2023-001-es.pdf.sha256",
    ]);
  });

  it("publishes in one pass the very files of `atrc pdf` and `atrc export`, and the pages' data", async () => {
    const generated = await mkdtemp(path.join(tmpdir(), "atrc-pub-content-"));
    await run(process.execPath, ["apps/site/bench/generate.mjs", generated, "4"], { cwd: root });
    const sources = ["content", generated];
    const work = await mkdtemp(path.join(tmpdir(), "atrc-pub-"));
    const [out, cache, pdf, exports] = ["out", "cache", "pdf", "exports"].map((name) =>
      path.join(work, name),
    );
    const first = await atrc("publish", ...sources, "--out", out!, "--cache", cache!, "--jobs", "2");
    expect(first.stderr).toContain("✔ Published 5 bulletins to");
    await atrc("pdf", ...sources, "--out", pdf!);
    await atrc("export", ...sources, "--out", exports!, "--checksum", `pdf=${pdf}`);
    const listing = async (dir: string) =>
      (await readdir(dir, { recursive: true, withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
        .sort();
    const same = async (a: string, b: string) => {
      const names = await listing(a);
      expect(await listing(b)).toEqual(names);
      for (const name of names)
        expect(
          Buffer.compare(await readFile(path.join(a, name)), await readFile(path.join(b, name))),
          name,
        ).toBe(0);
      return names;
    };
    expect(await same(pdf!, path.join(out!, "pdf"))).toHaveLength(10);
    expect((await same(exports!, path.join(out!, "exports"))).length).toBeGreaterThan(40);
    const { bulletins } = await loadContent(
      sources.map((source) => path.resolve(root, source)),
      { cwd: root },
    );
    const pages = pageFiles(bulletins);
    expect(await listing(path.join(out!, "pages"))).toEqual(
      [...pages.keys(), "downloads.json", "keys.json"].sort(),
    );
    for (const [name, text] of pages)
      expect(await readFile(path.join(out!, "pages", name), "utf8"), name).toBe(text);
    // The downloads index gives the size and SHA-256 of every download, at its path under the site root.
    const index = parseDownloadsIndex(await readFile(path.join(out!, "pages", "downloads.json"), "utf8"));
    const downloads = [
      ...(await listing(path.join(out!, "pdf"))).map((name) => `pdf/${name}`),
      ...(await listing(path.join(out!, "exports"))),
    ].sort();
    expect([...index.keys()].sort()).toEqual(downloads);
    for (const [name, { size, sha256 }] of index) {
      const inExports = path.join(out!, "exports", name);
      const bytes = await readFile(existsSync(inExports) ? inExports : path.join(out!, name));
      expect({ size, sha256 }, name).toEqual({
        size: bytes.byteLength,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      });
    }

    // Unchanged: everything from the cache, same bytes. One bulletin edited: only it is redone.
    const again = await atrc("publish", ...sources, "--out", out!, "--cache", cache!);
    expect(again.stderr).toContain("(5 of 5 from the cache)");
    await same(pdf!, path.join(out!, "pdf"));
    await same(exports!, path.join(out!, "exports"));
    const folder = path.join(generated, "bulletins", (await readdir(path.join(generated, "bulletins")))[0]!);
    const en = path.join(folder, "en.md");
    await writeFile(en, (await readFile(en, "utf8")).replace(/\n\n([A-Z][^\n]*?)\./u, "\n\n$1 (edited)."));
    const readKeys = async () =>
      JSON.parse(await readFile(path.join(out!, "pages", "keys.json"), "utf8")) as Record<string, string>;
    const keysBefore = await readKeys();
    expect(Object.keys(keysBefore)).toEqual(bulletins.map((bulletin) => bulletin.slug).sort());
    const edited = await atrc("publish", ...sources, "--out", out!, "--cache", cache!);
    expect(edited.stderr).toContain("(4 of 5 from the cache)");
    const slug = path.basename(folder);
    // The edited bulletin, and only it, has a new key (the site renders its pages again, and only them).
    const keysAfter = await readKeys();
    for (const [name, key] of Object.entries(keysBefore))
      expect(keysAfter[name] === key, name).toBe(name !== slug);
    expect(await readFile(path.join(out!, "pages", slug, "en.html"), "utf8")).toContain("(edited).");

    // Updated in place, the output is the very output of a run from scratch: after an edit, and after a bulletin
    // is deleted (its pages, PDFs and exports go, and so do the folders they leave empty).
    const fresh = path.join(work, "fresh");
    await atrc("publish", ...sources, "--out", fresh);
    // (`manifest.json` names the cache files the output links to, which differ, and so does its key, `run-key`;
    // `site-record.json` records the output's folders.)
    const top = ["exports", "manifest.json", "pages", "pdf", "run-key", "site-record.json"];
    const all = async () => {
      expect((await readdir(out!)).sort()).toEqual(top);
      expect((await readdir(fresh)).sort()).toEqual(top);
      const names: string[] = [];
      for (const folder of ["exports", "pages", "pdf"])
        names.push(...(await same(path.join(fresh, folder), path.join(out!, folder))));
      return names;
    };
    await all();
    await rm(folder, { recursive: true });
    const deleted = await atrc("publish", ...sources, "--out", out!, "--cache", cache!);
    expect(deleted.stderr).toContain("✔ Published 4 bulletins (4 of 4 from the cache)");
    await rm(fresh, { recursive: true });
    await atrc("publish", ...sources, "--out", fresh);
    expect((await all()).some((name) => name.includes(slug))).toBe(false);
    expect(existsSync(path.join(out!, "pages", slug))).toBe(false);
  });
});
