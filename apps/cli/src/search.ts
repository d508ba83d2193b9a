/**
 * The site's search index (Pagefind), made by `atrc publish --search` from the bulletin pages it has just published,
 * instead of by a site stage after it: on one core while the other renders, not beside Astro.
 *
 * One index per year of publication (a shard, `pagefind/<year>/`), which the site's search merges in the browser
 * (Pagefind's `mergeIndex`), listed in `pagefind/shards.json`. Pagefind has no incremental mode: with one index, an
 * edit of one bulletin made Pagefind index the whole archive again (2,000 pages at 1,000 bulletins, ≈ 3 s); with one
 * per year, only the edited bulletin's year is indexed again, and the files of the other years stay the same bytes.
 *
 * What a bulletin page offers to search is decided here: its id, title, summary and body, without the indicator
 * tables (look indicators up in `iocs/all.csv`). Pagefind reads the pages from files (much faster than taking them
 * one by one); they stay in a folder of the cache between runs, and only the pages of bulletins whose cache entry
 * changed are written again.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** One page to index: where the site serves it, what it is made of, and its HTML (read only when needed). */
export interface SearchPage {
  /** Path of the page on the site (`/es/boletines/<slug>/`). */
  readonly url: string;
  /** The shard (index) it belongs to: see {@link searchShard}. */
  readonly shard: string;
  /** Its language (`<html lang>`): Pagefind makes one index per language in each shard. */
  readonly lang: string;
  /** Names everything the page is made of (its bulletin's cache entry and language): equal keys, equal pages. */
  readonly key: string;
  readonly html: () => string;
}

/** What a bulletin page gives the index. */
export interface SearchSource {
  readonly lang: string;
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** The bulletin's body HTML (`toHtml`). */
  readonly body: string;
}

/**
 * The shard of a bulletin's pages: the year it was published (`YYYY` of `YYYY-MM-DD`). A new bulletin only changes its
 * year's index; an archive of ten years has ten.
 *
 * @param published The original document's `published` date.
 * @returns The shard's name, also its folder under `pagefind/`.
 */
export function searchShard(published: string): string {
  const year = /^(\d{4})-/u.exec(published)?.[1];
  if (!year) throw new Error(`Not a YYYY-MM-DD date: ${published}`);
  return year;
}

/** The list of shards the site's search reads (`pagefind/shards.json`). */
export const SHARDS_FILE = "shards.json";

/**
 * `pagefind/shards.json`: every shard, newest first, with the languages it has pages in. The site's search takes
 * the first shard with the page's language as Pagefind's primary index and merges the others with that language
 * (Pagefind would otherwise answer from another language's index of a shard without the page's).
 *
 * @param shards Every shard's pages.
 * @returns The file's text.
 */
export function shardsIndexText(shards: ReadonlyMap<string, readonly SearchPage[]>): string {
  const list = [...shards]
    .sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0))
    .map(([name, pages]) => ({
      path: `${name}/`,
      languages: [...new Set(pages.map((page) => page.lang))].sort(),
    }));
  return `${JSON.stringify({ version: 1, shards: list })}\n`;
}

/**
 * Remove the page folders (and their records) of shards that are no longer indexed.
 *
 * @param root Folder holding one page folder per shard (see {@link writeSourcePages}).
 * @param shards The shards still indexed.
 */
export function removeOtherShards(root: string, shards: ReadonlySet<string>): void {
  let names;
  try {
    names = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const name of names) {
    const shard = name.isDirectory() ? name.name : name.name.replace(/\.json$/u, "");
    if (!shards.has(shard)) rmSync(path.join(root, name.name), { recursive: true, force: true });
  }
}

/**
 * The HTML Pagefind reads for one bulletin page: language, id, title (the result's title), summary and body without
 * its indicator tables.
 *
 * @param source The page's parts.
 * @returns A small HTML document.
 */
export function searchPageHtml(source: SearchSource): string {
  const { lang, id, title, summary, body } = source;
  return (
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body><p>${escapeHtml(id)}</p><h1 data-pagefind-meta="title">${escapeHtml(title)}</h1>` +
    `<p>${escapeHtml(summary)}</p>${withoutIndicatorTables(body)}</body></html>`
  );
}

/** The site's escaping of text in HTML (`escapeHtml` of apps/site/src/lib/site.ts, which an app cannot import). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
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
 * already hold the page of the same key (`<dir>.json` records each page's key and size), and removing the pages
 * that are gone: after an edit only the edited bulletin's pages are read and written.
 *
 * @param pages The pages.
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
    const was = known[page.url];
    if (was?.[0] === page.key) {
      const size = statSync(file, { throwIfNoEntry: false })?.size;
      if (size === was[1]) {
        now[page.url] = was;
        continue;
      }
    }
    const bytes = Buffer.from(page.html());
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    now[page.url] = [page.key, bytes.byteLength];
    written++;
  }
  for (const url of Object.keys(known)) {
    if (now[url] === undefined) rmSync(path.join(dir, ...url.split("/")), { recursive: true, force: true });
  }
  writeFileSync(record, JSON.stringify(now));
  return written;
}

/** A Pagefind index being made (see {@link startSearch}). */
export interface SearchSession {
  /**
   * Index the pages and return Pagefind's files: the index and its scripts, as the site serves them under
   * `/pagefind/`. The pages are written (only the changed ones) and handed to Pagefind before this returns, so
   * Pagefind works in its own process while the caller goes on; await the result when it is needed.
   *
   * @param pages The pages (Pagefind reads them as a folder: their order does not matter).
   * @param sourceDir Where the page files are kept between runs (see {@link writeSourcePages}).
   * @returns Path under `pagefind/` (with `/`) to content, in path order.
   */
  index(pages: readonly SearchPage[], sourceDir: string): Promise<Map<string, Buffer>>;
  /** Stop Pagefind (whether or not it was used). */
  close(): Promise<void>;
}

/**
 * Start Pagefind now (its process and an empty index), so that it is ready once the pages are known.
 *
 * @returns The session; close it in every case.
 */
export function startSearch(): SearchSession {
  const loading = import("pagefind");
  const newIndex = () =>
    loading.then((pagefind) => pagefind.createIndex({ excludeSelectors: [".ioc-table"] }));
  type Created = Awaited<ReturnType<typeof newIndex>>;
  let created: Promise<Created> | undefined = newIndex();
  // Known as soon as Pagefind answers: the first `index` then hands it the pages at once, not after the caller's
  // next await.
  let ready: Created | undefined;
  created.then(
    (value) => (ready = value),
    () => undefined,
  );
  return {
    index(pages, sourceDir) {
      writeSourcePages(pages, sourceDir);
      const add = (value: Created) => {
        const { index } = value;
        if (!index) throw new Error(`Pagefind: ${value.errors.join("; ")}`);
        return { index, added: index.addDirectory({ path: sourceDir }) };
      };
      // The index made at the start serves the first call; another call gets an index of its own.
      const first = created;
      created = undefined;
      const started = first && ready ? Promise.resolve(add(ready)) : (first ?? newIndex()).then(add);
      return started.then(async ({ index, added }) => {
        const { errors, page_count: count } = await added;
        if (errors.length > 0) throw new Error(`Pagefind: ${errors.join("; ")}`);
        if (count !== pages.length)
          throw new Error(`Pagefind indexed ${count} pages, expected ${pages.length}`);
        // In memory: Pagefind writing two thousand files only for this thread to read them back is slower.
        const got = await index.getFiles();
        if (got.errors.length > 0) throw new Error(`Pagefind: ${got.errors.join("; ")}`);
        const files = new Map<string, Buffer>();
        for (const { path: name, content } of [...got.files].sort((a, b) =>
          a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
        ))
          files.set(name, Buffer.from(content.buffer, content.byteOffset, content.byteLength));
        return files;
      });
    },
    async close() {
      created?.catch(() => undefined);
      await (await loading).close();
    },
  };
}
