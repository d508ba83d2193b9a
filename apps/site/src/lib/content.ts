/**
 * Where the pages get their bulletins from.
 *
 * - `npm run build` (`ATRC_PUBLISH_DIR` set): the files `atrc publish` wrote in the pipeline's first stage,
 *   `<publish>/pages/`: an index of summaries, and per bulletin its page data and HTML. The content was parsed,
 *   checked and rendered once, there; the site only reads it, and reads a bulletin's HTML (indicator table and
 *   other tables included) only for its own page.
 * - `astro dev` and a plain `astro build`: the content folder is read, checked and rendered in this process,
 *   again whenever a Markdown file changes (see the `atrc-content` Vite plugin in astro.config.ts). An error
 *   prints the same report as `atrc check` and fails the build.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  hasErrors,
  PAGE_INDEX,
  pageDataPath,
  pageHtmlPath,
  pageFiles,
  readPageData,
  readPageIndex,
  type Bulletin,
  type BulletinSummary,
  type Lang,
  type PageData,
} from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { formatReport } from "@atrc/report";
import { noteRead } from "./page-reads.ts";

/** The site lives in apps/site, which is where Astro runs: the repository root is two levels up. */
export const REPO_ROOT = path.resolve(process.cwd(), "../..");

/** The content folder: `$ATRC_CONTENT_DIR` (relative to the repository root) or `content/`. */
export const CONTENT_DIR = path.resolve(REPO_ROOT, process.env.ATRC_CONTENT_DIR ?? "content");

/**
 * Where the publish pipeline left the pages data (`<dir>/pages/`), the PDFs (`<dir>/pdf/`) and the exports
 * (`<dir>/exports/`), when the site is built by `npm run build`.
 */
export const PUBLISH_DIR =
  process.env.ATRC_PUBLISH_DIR === undefined ? undefined : path.resolve(process.env.ATRC_PUBLISH_DIR);

/** Bulletins and their rendered documents. */
export interface SiteContent {
  /** Every bulletin's summary (what lists, feeds and the sitemap show). */
  readonly bulletins: readonly BulletinSummary[];
  /** One bulletin's page data: each document's summary, table of contents and indicator table heading. */
  page(slug: string): Promise<PageData>;
  /** The body HTML of one document. */
  html(slug: string, lang: Lang): Promise<string>;
}

/** Bumped by the dev server's watcher when a file under the content folder changes. */
const GENERATION = Symbol.for("atrc.contentGeneration");
type WithGeneration = typeof globalThis & { [GENERATION]?: number };

/** Tell every later {@link getSiteContent} call to read the content again (dev server). */
export function invalidateContent(): void {
  const global = globalThis as WithGeneration;
  global[GENERATION] = (global[GENERATION] ?? 0) + 1;
}

/** How many times the content changed since the dev server started (always 0 in a build). */
export function contentGeneration(): number {
  return (globalThis as WithGeneration)[GENERATION] ?? 0;
}

let memo: { generation: number; content: Promise<SiteContent> } | undefined;

/**
 * The site's content, read once per build (and once per change in `astro dev`).
 *
 * @returns The bulletins and their HTML.
 */
export function getSiteContent(): Promise<SiteContent> {
  const generation = contentGeneration();
  if (memo?.generation !== generation) {
    memo = { generation, content: PUBLISH_DIR === undefined ? loadHere() : readPages(PUBLISH_DIR) };
  }
  return memo.content;
}

async function readPages(dir: string): Promise<SiteContent> {
  const pages = path.join(dir, "pages");
  // Read synchronously: two small files per bulletin page, already in the OS's cache, cost less than the promise
  // round trips of `fs/promises` (a file handle, `fstat`, `read` and `close` through libuv's thread pool), and the
  // build has nothing else to do meanwhile.
  return fromPageFiles((name) => {
    try {
      return Promise.resolve(readFileSync(path.join(pages, name), "utf8"));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** The site's content over the files of a pages folder (see `pageFiles` in @atrc/bulletin). */
async function fromPageFiles(read: (name: string) => Promise<string>): Promise<SiteContent> {
  return {
    bulletins: readPageIndex(await read(PAGE_INDEX)),
    page: async (slug) => {
      noteRead("bulletin");
      return readPageData(await read(pageDataPath(slug)));
    },
    html: (slug, lang) => {
      noteRead("bulletin");
      return read(pageHtmlPath(slug, lang));
    },
  };
}

let checked: { generation: number; bulletins: Promise<readonly Bulletin[]> } | undefined;

/**
 * The content folder read and checked in this process (`astro dev`, a plain `astro build`), once per change: the
 * pages and the downloads made here share it. An error prints the same report as `atrc check` and throws.
 *
 * @returns The bulletins, with their mdast bodies.
 */
export function getCheckedBulletins(): Promise<readonly Bulletin[]> {
  const generation = contentGeneration();
  if (checked?.generation !== generation) checked = { generation, bulletins: check() };
  return checked.bulletins;
}

async function check(): Promise<readonly Bulletin[]> {
  const { bulletins, files } = await loadContent([CONTENT_DIR], { cwd: REPO_ROOT });
  if (hasErrors(files)) {
    console.error(`\n${formatReport(files, { onError: "The site was not built." })}`);
    throw new Error(
      `Content in ${path.relative(REPO_ROOT, CONTENT_DIR) || CONTENT_DIR} has errors (see above).`,
    );
  }
  const warnings = formatReport(files);
  if (warnings) console.warn(`\n${warnings}`);
  return bulletins;
}

/** The same files `atrc publish` writes, made in memory from the content folder. */
async function loadHere(): Promise<SiteContent> {
  const files = pageFiles(await getCheckedBulletins());
  return fromPageFiles((name) => {
    const text = files.get(name);
    return text === undefined ? Promise.reject(new Error(`No page file ${name}`)) : Promise.resolve(text);
  });
}
