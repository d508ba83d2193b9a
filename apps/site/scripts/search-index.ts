/**
 * The `site:search` stage: the search index (Pagefind) of every bulletin page, made from the pages data `atrc
 * publish` wrote (`.publish/pages`), not from the built site, so it runs beside Astro instead of after it.
 *
 *   node scripts/search-index.ts [<publish dir>] [<out dir>]      # defaults: .publish .search
 *
 * What a bulletin page offers to search is decided here: its id, title, summary and body, without the indicator
 * tables (look indicators up in `iocs/all.csv`). The index goes to `<out dir>/pagefind/`, which the last stage
 * serves at `/pagefind/` beside the built site. The output folder is replaced whole, and only when the index was
 * made.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import process from "node:process";
import { LANGS, PAGE_INDEX, pageHtmlPath, readPageIndex } from "@atrc/bulletin";
import * as pagefind from "pagefind";
import { pathTo } from "../src/lib/routes.ts";
import { escapeHtml } from "../src/lib/site.ts";

/** One page to index. */
export interface SearchPage {
  readonly url: string;
  readonly html: string;
}

/**
 * The pages to index: one per bulletin and language, in slug order (the index does not depend on file order).
 *
 * @param publishDir Where `atrc publish` wrote (`pages/` inside).
 * @returns Each bulletin page's URL and the HTML Pagefind reads.
 */
export function searchPages(publishDir: string): SearchPage[] {
  const pages = path.join(publishDir, "pages");
  const bulletins = readPageIndex(readFileSync(path.join(pages, PAGE_INDEX), "utf8"));
  const sorted = [...bulletins].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
  return sorted.flatMap((bulletin) =>
    LANGS.flatMap((lang) => {
      const document = bulletin.documents[lang];
      if (!document) return [];
      const { id, title, summary } = document.meta;
      const body = readFileSync(path.join(pages, pageHtmlPath(bulletin.slug, lang)), "utf8");
      const html =
        `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body><p>${escapeHtml(id)}</p><h1 data-pagefind-meta="title">${escapeHtml(title)}</h1>` +
        `<p>${escapeHtml(summary)}</p>${withoutIndicatorTables(body)}</body></html>`;
      return [{ url: pathTo(lang, "bulletin", bulletin.slug), html }];
    }),
  );
}

/**
 * A bulletin body without its indicator tables (and their scrolling wrappers). `toHtml` writes each table as
 * `<section class="table-scroll" …><table class="ioc-table">…</table></section>`, escapes every cell, and Markdown
 * tables do not nest, so the first `</table></section>` after the opening tag closes it. Pagefind would skip the
 * tables anyway (`.ioc-table` is excluded below), but reading them takes it longer than the rest of the page.
 *
 * @param html Body HTML from `toHtml`.
 * @returns The same HTML without indicator tables.
 */
export function withoutIndicatorTables(html: string): string {
  return html.replace(
    /<section class="table-scroll"[^>]*><table class="ioc-table">[\s\S]*?<\/table><\/section>/gu,
    "",
  );
}

/**
 * Index the pages into `<outDir>/pagefind/`, replacing the folder whole once the index is written. The pages are
 * written to a temporary folder first: Pagefind reads files much faster than it takes them one by one.
 *
 * @param pages From {@link searchPages}.
 * @param outDir Output folder (replaced).
 */
export async function writeSearchIndex(pages: readonly SearchPage[], outDir: string): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}`;
  const source = path.join(staging, "source");
  await rm(staging, { recursive: true, force: true });
  try {
    for (const page of pages) {
      const file = path.join(source, ...page.url.split("/"), "index.html");
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, page.html);
    }
    const created = await pagefind.createIndex({ excludeSelectors: [".ioc-table"] });
    const { index } = created;
    if (!index) throw new Error(`Pagefind: ${created.errors.join("; ")}`);
    const added = await index.addDirectory({ path: source });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join("; ")}`);
    if (added.page_count !== pages.length)
      throw new Error(`Pagefind indexed ${added.page_count} pages, expected ${pages.length}`);
    const written = await index.writeFiles({ outputPath: path.join(staging, "out", "pagefind") });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join("; ")}`);
    await rm(outDir, { recursive: true, force: true });
    await rename(path.join(staging, "out"), outDir);
  } finally {
    await pagefind.close();
    await rm(staging, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [publishDir = ".publish", outDir = ".search"] = process.argv.slice(2);
  const pages = searchPages(publishDir);
  await writeSearchIndex(pages, outDir);
}
