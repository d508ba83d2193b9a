/**
 * The `site:search` stage: the search index (Pagefind) of every bulletin page, made from the pages data `atrc
 * publish` wrote (`.publish/pages`), not from the built site, so it runs beside Astro instead of after it.
 *
 *   node scripts/search-index.ts [<publish dir>] [<out dir>] [<source dir>]   # defaults: .publish .search
 *
 * What a bulletin page offers to search is decided here: its id, title, summary and body, without the indicator
 * tables (look indicators up in `iocs/all.csv`). The index goes to `<out dir>/pagefind/`, which the last stage
 * serves at `/pagefind/` beside the built site. The output folder is replaced whole, and only when the index was
 * made. Pagefind reads the pages from files: with a `<source dir>` (the build passes one in the build cache) they
 * stay there between builds and only the pages that changed are written again.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
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
 * Write the pages as files under `dir` (`<url>/index.html`, as Pagefind expects them), leaving alone the files that
 * already hold the same page (`<dir>.json` records each page's SHA-256 and size) and removing the pages that are
 * gone, so that after an edit only the edited bulletin's pages are written.
 *
 * @param pages From {@link searchPages}.
 * @param dir Folder of the page files (created when missing).
 * @returns How many files were written.
 */
export function writeSourcePages(pages: readonly SearchPage[], dir: string): number {
  const record = `${dir}.json`;
  let known: Record<string, readonly [string, number]> = {};
  try {
    known = JSON.parse(readFileSync(record, "utf8")) as typeof known;
  } catch {
    // No record (or an unreadable one): every page is written.
    rmSync(dir, { recursive: true, force: true });
  }
  // The record goes first: a stopped run leaves a folder the next run rewrites whole.
  rmSync(record, { force: true });
  const now: Record<string, readonly [string, number]> = {};
  let written = 0;
  for (const page of pages) {
    const file = path.join(dir, ...page.url.split("/"), "index.html");
    const bytes = Buffer.from(page.html);
    const hash = createHash("sha256").update(bytes).digest("base64url");
    now[page.url] = [hash, bytes.byteLength];
    const was = known[page.url];
    if (was?.[0] === hash && statSync(file, { throwIfNoEntry: false })?.size === bytes.byteLength) continue;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    written++;
  }
  for (const url of Object.keys(known)) {
    if (now[url] === undefined) rmSync(path.join(dir, ...url.split("/")), { recursive: true, force: true });
  }
  writeFileSync(record, JSON.stringify(now));
  return written;
}

/**
 * Index the pages into `<outDir>/pagefind/`, replacing the folder whole once the index is written. Pagefind reads
 * the pages from files (much faster than it takes them one by one): in `sourceDir`, kept for the next build, or
 * in a temporary folder.
 *
 * @param pages From {@link searchPages}.
 * @param outDir Output folder (replaced).
 * @param sourceDir Where the page files are kept between builds (see {@link writeSourcePages}).
 */
export async function writeSearchIndex(
  pages: readonly SearchPage[],
  outDir: string,
  sourceDir?: string,
): Promise<void> {
  const staging = `${outDir}.tmp-${process.pid}`;
  const source = sourceDir ?? path.join(staging, "source");
  await rm(staging, { recursive: true, force: true });
  try {
    writeSourcePages(pages, source);
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
  const [publishDir = ".publish", outDir = ".search", sourceDir] = process.argv.slice(2);
  await writeSearchIndex(searchPages(publishDir), outDir, sourceDir);
}
