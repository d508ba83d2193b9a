/**
 * The search index's own logic (src/search.ts): what a bulletin page offers to search, and the page files Pagefind
 * reads, kept between runs. `atrc publish --search` is tested in publish.test.ts, the search itself in a browser
 * (test/e2e/browser.test.ts).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toHtml } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { describe, expect, it } from "vitest";
import {
  removeOtherShards,
  searchPageHtml,
  searchShard,
  shardsIndexText,
  withoutIndicatorTables,
  writeSourcePages,
  type SearchPage,
} from "../src/search.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("the search pages", () => {
  it("give each bulletin page's id, title, summary and text, without its indicators", async () => {
    const { bulletins } = await loadContent([path.join(root, "content")], { cwd: root });
    const bulletin = bulletins.find((item) => item.slug === "2023-03-3cx")!;
    for (const lang of ["es", "en"] as const) {
      const document = bulletin.documents[lang]!;
      const { id, title, summary } = document.meta;
      const html = searchPageHtml({ lang, id, title, summary, body: toHtml(document) });
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`<p>${id}</p>`);
      expect(html).toContain(`<h1 data-pagefind-meta="title">${title}</h1>`);
      expect(html).toContain("SmoothOperator");
      expect(html).toContain("Uruguay");
      for (const indicator of document.indicators) expect(html).not.toContain(indicator.defanged);
    }
    // Text is escaped as the site escapes it.
    expect(
      searchPageHtml({ lang: "en", id: "X-1", title: `<b>"A" & 'B'</b>`, summary: "1 < 2", body: "" }),
    ).toContain(
      `<h1 data-pagefind-meta="title">&#60;b&#62;&#34;A&#34; &#38; &#39;B&#39;&#60;/b&#62;</h1><p>1 &#60; 2</p>`,
    );
  });

  it("leave out indicator tables, and only them", () => {
    const body =
      `<h2 id="a">Exposure</h2><section class="table-scroll" tabindex="0" aria-label="Exposure">` +
      `<table class="data-table"><tr><td>Uruguay</td></tr></table></section>` +
      `<p>Between.</p><section class="table-scroll" tabindex="0" aria-label="Indicators of compromise">` +
      `<table class="ioc-table"><tr><td>cad1120d91b812acafef7175f949dd1b09c6c21a</td></tr></table></section>` +
      `<p>After.</p>`;
    const kept = withoutIndicatorTables(body);
    expect(kept).toContain("Uruguay");
    expect(kept).toContain("<p>Between.</p>");
    expect(kept).toContain("<p>After.</p>");
    expect(kept).not.toContain("cad1120d91b812acafef7175f949dd1b09c6c21a");
    expect(kept).not.toContain("Indicators of compromise");
  });

  it("are read and written again only when their key changes, and removed when their bulletin is gone", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "atrc-search-pages-")), "pages");
    const file = (url: string) => path.join(dir, ...url.split("/"), "index.html");
    const reads: string[] = [];
    const page = (url: string, key: string, html: string): SearchPage => ({
      url,
      shard: "2023",
      lang: url.slice(1, 3),
      key,
      html: () => {
        reads.push(url);
        return html;
      },
    });
    const one = page("/es/boletines/one/", "k1 es", "<h1>Uno</h1>");
    const two = page("/en/bulletins/two/", "k2 en", "<h1>Two</h1>");
    expect(writeSourcePages([one, two], dir)).toBe(2);
    expect(readFileSync(file(one.url), "utf8")).toBe("<h1>Uno</h1>");
    expect(writeSourcePages([one, two], dir)).toBe(0);
    expect(reads).toEqual([one.url, two.url]);

    const edited = page(two.url, "k3 en", "<h1>Two, edited</h1>");
    expect(writeSourcePages([one, edited], dir)).toBe(1);
    expect(readFileSync(file(two.url), "utf8")).toBe("<h1>Two, edited</h1>");
    expect(reads).toEqual([one.url, two.url, two.url]);

    expect(writeSourcePages([edited], dir)).toBe(0);
    expect(existsSync(file(one.url))).toBe(false);

    // A page file that is not the size recorded, or no record at all: written again.
    rmSync(file(edited.url));
    expect(writeSourcePages([edited], dir)).toBe(1);
    rmSync(`${dir}.json`);
    expect(writeSourcePages([one, edited], dir)).toBe(2);
  });

  it("are indexed by year of publication, and the site is told which years have which languages", () => {
    expect(searchShard("2023-03-30")).toBe("2023");
    expect(searchShard("1999-12-31")).toBe("1999");
    expect(() => searchShard("30/03/2023")).toThrow("Not a YYYY-MM-DD date: 30/03/2023");
    const page = (shard: string, lang: string): SearchPage => ({
      url: `/${lang}/x-${shard}/`,
      shard,
      lang,
      key: `k ${lang}`,
      html: () => "",
    });
    // Newest first; a shard lists only the languages it has pages in.
    expect(
      JSON.parse(
        shardsIndexText(
          new Map([
            ["2021", [page("2021", "es")]],
            ["2023", [page("2023", "es"), page("2023", "en")]],
            ["2022", [page("2022", "en")]],
          ]),
        ),
      ),
    ).toEqual({
      version: 1,
      shards: [
        { path: "2023/", languages: ["en", "es"] },
        { path: "2022/", languages: ["en"] },
        { path: "2021/", languages: ["es"] },
      ],
    });
  });

  it("of a year no longer indexed are removed with their record", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "atrc-search-shards-"));
    // Nothing to remove in a folder not made yet.
    removeOtherShards(path.join(root, "missing"), new Set());
    for (const shard of ["2021", "2022", "2023"]) {
      mkdirSync(path.join(root, shard, "es"), { recursive: true });
      writeFileSync(path.join(root, shard, "es", "index.html"), "<p>page</p>");
      writeFileSync(path.join(root, `${shard}.json`), "{}");
    }
    removeOtherShards(root, new Set(["2021", "2023"]));
    expect(readdirSync(root).sort()).toEqual(["2021", "2021.json", "2023", "2023.json"]);
    expect(readFileSync(path.join(root, "2023", "es", "index.html"), "utf8")).toBe("<p>page</p>");
  });
});
