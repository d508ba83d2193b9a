/**
 * Where the pages get their bulletins from.
 *
 * - `npm run build` (`ATRC_PUBLISH_DIR` set): the files `atrc publish` wrote in the pipeline's first stage,
 *   `<publish>/pages/`: an index of summaries, and per bulletin its page data and HTML. The content was parsed,
 *   checked and rendered once, there; the site only reads it, and reads a bulletin's large parts (indicators,
 *   tables, body) only for its own page.
 * - `astro dev` and a plain `astro build`: the content folder is read, checked and rendered in this process,
 *   again whenever a Markdown file changes (see the `atrc-content` Vite plugin in astro.config.ts). An error
 *   prints the same report as `atrc check` and fails the build.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  hasErrors,
  PAGE_INDEX,
  pageDataPath,
  pageHtmlPath,
  readPageData,
  readPageIndex,
  toHtml,
  toPageBulletin,
  toSummary,
  type BulletinSummary,
  type Lang,
  type PageBulletin,
} from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { formatReport } from "@atrc/report";

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
  /** One bulletin's page data: every document without its mdast body. */
  page(slug: string): Promise<PageBulletin>;
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
  const bulletins = readPageIndex(await readFile(path.join(pages, PAGE_INDEX), "utf8"));
  return {
    bulletins,
    page: async (slug) => readPageData(await readFile(path.join(pages, pageDataPath(slug)), "utf8")),
    html: (slug, lang) => readFile(path.join(pages, pageHtmlPath(slug, lang)), "utf8"),
  };
}

async function loadHere(): Promise<SiteContent> {
  const { bulletins, files } = await loadContent([CONTENT_DIR], { cwd: REPO_ROOT });
  if (hasErrors(files)) {
    console.error(`\n${formatReport(files, { onError: "The site was not built." })}`);
    throw new Error(
      `Content in ${path.relative(REPO_ROOT, CONTENT_DIR) || CONTENT_DIR} has errors (see above).`,
    );
  }
  const warnings = formatReport(files);
  if (warnings) console.warn(`\n${warnings}`);
  const html = new Map<string, string>();
  for (const bulletin of bulletins) {
    for (const [lang, document] of Object.entries(bulletin.documents)) {
      html.set(pageHtmlPath(bulletin.slug, lang as Lang), toHtml(document));
    }
  }
  const pages = new Map(bulletins.map((bulletin) => [bulletin.slug, toPageBulletin(bulletin)]));
  return {
    bulletins: bulletins.map(toSummary),
    page: (slug) => {
      const page = pages.get(slug);
      return page ? Promise.resolve(page) : Promise.reject(new Error(`No bulletin ${slug}`));
    },
    html: (slug, lang) => {
      const text = html.get(pageHtmlPath(slug, lang));
      return text === undefined
        ? Promise.reject(new Error(`No ${lang} document for bulletin ${slug}`))
        : Promise.resolve(text);
    },
  };
}
