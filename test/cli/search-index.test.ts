/**
 * The `site:search` stage's own logic (apps/site/scripts/search-index.ts): what a bulletin page offers to search, and
 * the page files Pagefind reads, kept between builds. The search itself is tested in a browser (e2e/browser.test.ts).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pageFiles } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { describe, expect, it } from "vitest";
import {
  searchPages,
  withoutIndicatorTables,
  writeSourcePages,
} from "../../apps/site/scripts/search-index.ts";
import { REPO } from "../helpers/site.ts";

describe("the search pages", () => {
  it("give each bulletin page's id, title, summary and text, at the page's URL, without its indicators", async () => {
    const { bulletins } = await loadContent([path.join(REPO, "content")], { cwd: REPO });
    const publish = mkdtempSync(path.join(os.tmpdir(), "atrc-search-publish-"));
    for (const [name, text] of pageFiles(bulletins)) {
      mkdirSync(path.dirname(path.join(publish, "pages", name)), { recursive: true });
      writeFileSync(path.join(publish, "pages", name), text);
    }
    const pages = searchPages(publish);
    const bulletin = bulletins.find((item) => item.slug === "2023-03-3cx")!;
    expect(pages.map((page) => page.url)).toEqual([
      "/es/boletines/2023-03-3cx/",
      "/en/bulletins/2023-03-3cx/",
    ]);
    for (const [index, lang] of (["es", "en"] as const).entries()) {
      const document = bulletin.documents[lang]!;
      const { html } = pages[index]!;
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`<p>${document.meta.id}</p>`);
      expect(html).toContain(`<h1 data-pagefind-meta="title">${document.meta.title}</h1>`);
      expect(html).toContain("SmoothOperator");
      expect(html).toContain("Uruguay");
      for (const indicator of document.indicators) expect(html).not.toContain(indicator.defanged);
    }
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

  it("are written again only when they change, and removed when their bulletin is gone", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "atrc-search-pages-")), "pages");
    const file = (url: string) => path.join(dir, ...url.split("/"), "index.html");
    const one = { url: "/es/boletines/one/", html: "<h1>Uno</h1>" };
    const two = { url: "/en/bulletins/two/", html: "<h1>Two</h1>" };
    expect(writeSourcePages([one, two], dir)).toBe(2);
    expect(readFileSync(file(one.url), "utf8")).toBe(one.html);
    expect(writeSourcePages([one, two], dir)).toBe(0);

    const edited = { ...two, html: "<h1>Two, edited</h1>" };
    expect(writeSourcePages([one, edited], dir)).toBe(1);
    expect(readFileSync(file(two.url), "utf8")).toBe(edited.html);

    expect(writeSourcePages([edited], dir)).toBe(0);
    expect(existsSync(file(one.url))).toBe(false);

    // A page file that is not the size recorded, or no record at all: written again.
    rmSync(file(edited.url));
    expect(writeSourcePages([edited], dir)).toBe(1);
    rmSync(`${dir}.json`);
    expect(writeSourcePages([one, edited], dir)).toBe(2);
  });
});
