/**
 * Checked bulletins as files for a site generator: one JSON index of every bulletin without its mdast
 * bodies, and each document's HTML. `atrc check --pages` writes them once per publish, so the site builds
 * its pages from data that is already parsed, checked and rendered instead of parsing the content again.
 */
import { toHtml } from "./html.js";
import { LANGS, type Bulletin, type BulletinDocument, type Lang } from "./model.js";

/** A checked document as pages see it: everything but the mdast body (its HTML is a file of its own). */
export type PageDocument = Omit<BulletinDocument, "body">;

/** A bulletin as pages see it. */
export interface PageBulletin {
  readonly id: string;
  readonly slug: string;
  readonly original: PageDocument;
  readonly documents: Readonly<Partial<Record<Lang, PageDocument>>>;
}

/** `index.json`: the bulletins in the order given (newest first from `loadContent`). */
export interface PageIndex {
  readonly version: 1;
  readonly bulletins: readonly {
    readonly id: string;
    readonly slug: string;
    /** Language of the original document. */
    readonly original: Lang;
    readonly documents: Readonly<Partial<Record<Lang, PageDocument>>>;
  }[];
}

/** Where the HTML of one document lives inside the pages folder. */
export const pageHtmlPath = (slug: string, lang: Lang): string => `${slug}/${lang}.html`;

/** Index file name inside the pages folder. */
export const PAGE_INDEX = "index.json";

function withoutBody(document: BulletinDocument): PageDocument {
  const { body: _body, ...rest } = document;
  return rest;
}

/**
 * The files of the pages folder: `index.json` and `<slug>/<lang>.html` for every document.
 *
 * @param bulletins Checked bulletins (without errors).
 * @returns Relative path to text.
 * @example
 * for (const [file, text] of pageFiles(bulletins)) await writeFile(path.join(dir, file), text)
 */
export function pageFiles(bulletins: readonly Bulletin[]): Map<string, string> {
  const files = new Map<string, string>();
  const index: PageIndex = {
    version: 1,
    bulletins: bulletins.map((bulletin) => {
      const documents: Partial<Record<Lang, PageDocument>> = {};
      let original: Lang = "es";
      for (const lang of LANGS) {
        const document = bulletin.documents[lang];
        if (!document) continue;
        documents[lang] = withoutBody(document);
        if (document === bulletin.original) original = lang;
        files.set(pageHtmlPath(bulletin.slug, lang), toHtml(document));
      }
      return { id: bulletin.id, slug: bulletin.slug, original, documents };
    }),
  };
  files.set(PAGE_INDEX, JSON.stringify(index));
  return files;
}

/**
 * Rebuild the page bulletins from `index.json` (`original` is the very object of its language).
 *
 * @param text The index file's text.
 * @returns The bulletins, in index order.
 * @example
 * const bulletins = readPageIndex(await readFile("pages/index.json", "utf8"))
 */
export function readPageIndex(text: string): PageBulletin[] {
  const index = JSON.parse(text) as PageIndex;
  if (index.version !== 1) throw new Error(`Unsupported page index version ${String(index.version)}`);
  return index.bulletins.map((item) => {
    const original = item.documents[item.original];
    if (!original) throw new Error(`Page index: bulletin ${item.slug} has no ${item.original} document`);
    return { id: item.id, slug: item.slug, original, documents: item.documents };
  });
}

/**
 * The page bulletin of a parsed bulletin (in process, as `astro dev` uses it).
 *
 * @param bulletin A checked bulletin.
 * @returns The same bulletin without mdast bodies.
 */
export function toPageBulletin(bulletin: Bulletin): PageBulletin {
  const documents: Partial<Record<Lang, PageDocument>> = {};
  let original: PageDocument | undefined;
  for (const lang of LANGS) {
    const document = bulletin.documents[lang];
    if (!document) continue;
    documents[lang] = withoutBody(document);
    if (document === bulletin.original) original = documents[lang];
  }
  return {
    id: bulletin.id,
    slug: bulletin.slug,
    original: original ?? withoutBody(bulletin.original),
    documents,
  };
}
