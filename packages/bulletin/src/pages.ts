/**
 * Checked bulletins as files for a site generator: `index.json` with a summary of every bulletin (what lists,
 * feeds and the sitemap show), and per bulletin its page data (`<slug>/bulletin.json`: each document's summary,
 * table of contents and where its indicator table is) and each document's HTML (`<slug>/<lang>.html`, indicator
 * table and other tables included). `atrc publish` writes them once per publish, so the site builds its pages
 * from data that is already parsed, checked and rendered, and reads a bulletin's HTML only for the page that
 * shows it.
 */
import { toHtml } from "./html.js";
import {
  LANGS,
  type Bulletin,
  type BulletinDocument,
  type BulletinMeta,
  type Lang,
  type Section,
} from "./model.js";

/** A bulletin whose documents are seen as `D`: the original is the very object of its language. */
export interface BulletinOf<D> {
  readonly id: string;
  readonly slug: string;
  readonly original: D;
  readonly documents: Readonly<Partial<Record<Lang, D>>>;
}

/** A checked document without its mdast body: what the exports read of it. */
export type PageDocument = Omit<BulletinDocument, "body">;

/** A checked bulletin without its mdast bodies (the exports take it; a parsed bulletin is one). */
export type PageBulletin = BulletinOf<PageDocument>;

/** A document as lists see it. */
export interface DocumentSummary {
  readonly path: string;
  readonly meta: BulletinMeta;
  readonly indicatorCount: number;
}

/** A bulletin as lists, feeds and the sitemap see it. */
export type BulletinSummary = BulletinOf<DocumentSummary>;

/**
 * A document as its own page reads it besides its HTML: its summary, its table of contents and where its indicator
 * table is. The indicators and the tables are in the HTML, where the page shows them, so they are not here again
 * (they were: the pages of a thousand bulletins read 190 MB of page data, nine tenths of it indicators and table
 * rows, only to count the indicators).
 */
export interface PageOutline extends DocumentSummary {
  readonly sections: readonly Section[];
  /** Id of the heading above the indicator table, when the document has that table under a heading. */
  readonly indicatorTable?: string;
}

/** A bulletin as its pages see it (`<slug>/bulletin.json`). */
export type PageData = BulletinOf<PageOutline>;

/** A bulletin in a JSON file: the original is named by language (JSON has no shared objects). */
export interface StoredBulletin<D> {
  readonly id: string;
  readonly slug: string;
  /** Language of the original document. */
  readonly original: Lang;
  readonly documents: Readonly<Partial<Record<Lang, D>>>;
}

/** `index.json`: every bulletin's summary, newest first. */
export interface PageIndex {
  readonly version: 2;
  readonly bulletins: readonly StoredBulletin<DocumentSummary>[];
}

/** Index file name inside the pages folder. */
export const PAGE_INDEX = "index.json";

/**
 * `keys.json` in the pages folder (written by `atrc publish`): for each bulletin slug, a key that is the same only
 * when its page data, HTML and downloads are (the hash of its sources, the options and the code that made them).
 */
export const PAGE_KEYS = "keys.json";

/** Where the HTML of one document lives inside the pages folder. */
export const pageHtmlPath = (slug: string, lang: Lang): string => `${slug}/${lang}.html`;

/** Where the page data of one bulletin lives inside the pages folder. */
export const pageDataPath = (slug: string): string => `${slug}/bulletin.json`;

function summaryOf(document: BulletinDocument): DocumentSummary {
  return { path: document.path, meta: document.meta, indicatorCount: document.indicators.length };
}

function outlineOf(document: BulletinDocument): PageOutline {
  const indicatorTable = document.tables.find((table) => table.isIndicatorTable)?.headingId;
  return {
    ...summaryOf(document),
    sections: document.sections,
    ...(indicatorTable === undefined ? {} : { indicatorTable }),
  };
}

function stored<D>(bulletin: Bulletin, convert: (document: BulletinDocument) => D): StoredBulletin<D> {
  const documents: Partial<Record<Lang, D>> = {};
  let original: Lang = "es";
  for (const lang of LANGS) {
    const document = bulletin.documents[lang];
    if (!document) continue;
    documents[lang] = convert(document);
    if (document === bulletin.original) original = lang;
  }
  return { id: bulletin.id, slug: bulletin.slug, original, documents };
}

/**
 * A bulletin's page data as `<slug>/bulletin.json` holds it.
 *
 * @param bulletin A checked bulletin.
 * @returns Its page data: each document's summary, sections and indicator table heading.
 */
export function toStoredPage(bulletin: Bulletin): StoredBulletin<PageOutline> {
  return stored(bulletin, outlineOf);
}

/**
 * A bulletin's summary as `index.json` holds it.
 *
 * @param bulletin A checked bulletin.
 * @returns Its summary.
 */
export function toStoredSummary(bulletin: Bulletin): StoredBulletin<DocumentSummary> {
  return stored(bulletin, summaryOf);
}

/**
 * The text of `index.json`.
 *
 * @param summaries The bulletins' summaries, in the order lists show them.
 * @returns JSON text.
 */
export function pageIndexText(summaries: readonly StoredBulletin<DocumentSummary>[]): string {
  const index: PageIndex = { version: 2, bulletins: summaries };
  return JSON.stringify(index);
}

/**
 * The files of the pages folder.
 *
 * @param bulletins Checked bulletins (without errors), in the order lists show them.
 * @returns Relative path to text.
 * @example
 * for (const [file, text] of pageFiles(bulletins)) await writeFile(path.join(dir, file), text)
 */
export function pageFiles(bulletins: readonly Bulletin[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const bulletin of bulletins) {
    files.set(pageDataPath(bulletin.slug), JSON.stringify(toStoredPage(bulletin)));
    for (const lang of LANGS) {
      const document = bulletin.documents[lang];
      if (document) files.set(pageHtmlPath(bulletin.slug, lang), toHtml(document));
    }
  }
  files.set(PAGE_INDEX, pageIndexText(bulletins.map(toStoredSummary)));
  return files;
}

/** `original` as the very object of its language. */
function restore<D>(item: StoredBulletin<D>): BulletinOf<D> {
  const original = item.documents[item.original];
  if (!original) throw new Error(`Bulletin ${item.slug} has no ${item.original} document`);
  return { id: item.id, slug: item.slug, original, documents: item.documents };
}

/**
 * The summaries of `index.json`.
 *
 * @param text The index file's text.
 * @returns The summaries, in index order.
 * @example
 * const bulletins = readPageIndex(await readFile("pages/index.json", "utf8"))
 */
export function readPageIndex(text: string): BulletinSummary[] {
  const index = JSON.parse(text) as PageIndex;
  if (index.version !== 2) throw new Error(`Unsupported page index version ${String(index.version)}`);
  return index.bulletins.map(restore);
}

/**
 * The page data of `<slug>/bulletin.json`.
 *
 * @param text The file's text.
 * @returns The bulletin as its pages see it.
 */
export function readPageData(text: string): PageData {
  return restore(JSON.parse(text) as StoredBulletin<PageOutline>);
}

/**
 * The page data of a parsed bulletin (in process).
 *
 * @param bulletin A checked bulletin.
 * @returns The bulletin as its pages see it.
 */
export function toPageData(bulletin: Bulletin): PageData {
  return restore(toStoredPage(bulletin));
}

/**
 * The summary of a parsed bulletin (in process).
 *
 * @param bulletin A checked bulletin.
 * @returns Its summary.
 */
export function toSummary(bulletin: Bulletin): BulletinSummary {
  return restore(toStoredSummary(bulletin));
}
