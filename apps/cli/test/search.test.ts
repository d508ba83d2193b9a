/**
 * The search index's own logic (src/search.ts): what a bulletin page offers to search, and the page files Pagefind
 * reads, kept between runs. `atrc publish --search` is tested in publish.test.ts, the search itself in a browser
 * (test/e2e/browser.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { toHtml } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { describe, expect, it } from "vitest";
import { searchPageHtml, withoutIndicatorTables, writeSourcePages, type SearchPage } from "../src/search.js";

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
});
