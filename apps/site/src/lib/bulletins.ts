/**
 * Bulletins as the pages see them, newest first, with their tags and actors.
 */
import type {
  BulletinSummary as Bulletin,
  DocumentSummary as BulletinDocument,
  Lang,
  PageData,
} from "@atrc/bulletin";
import { getSiteContent, type SiteContent } from "./content.ts";
import { slugify, translateTagSlug } from "./routes.ts";

const newestFirst = (a: Bulletin, b: Bulletin) =>
  b.original.meta.published.localeCompare(a.original.meta.published) || b.id.localeCompare(a.id);

const sortedCache = new WeakMap<SiteContent, readonly Bulletin[]>();

/**
 * Every bulletin with all its languages, newest first (by published date, then id): the very documents
 * the check stage (or, in `astro dev`, this process) checked.
 *
 * @returns The bulletins.
 */
export async function getBulletins(): Promise<readonly Bulletin[]> {
  const content = await getSiteContent();
  let sorted = sortedCache.get(content);
  if (!sorted) {
    sorted = [...content.bulletins].sort(newestFirst);
    sortedCache.set(content, sorted);
  }
  return sorted;
}

/**
 * One bulletin's page data (each document's summary, table of contents and indicator table heading).
 *
 * @param slug Bulletin slug.
 * @returns The bulletin, or undefined when there is none.
 */
export async function getBulletin(slug: string): Promise<PageData | undefined> {
  const content = await getSiteContent();
  if (!content.bulletins.some((bulletin) => bulletin.slug === slug)) return undefined;
  return content.page(slug);
}

/**
 * The documents of one language, newest first. A bulletin without that language is skipped.
 *
 * @param lang Language.
 * @returns `{ bulletin, document }` pairs.
 */
export async function getDocuments(
  lang: Lang,
): Promise<{ bulletin: Bulletin; document: BulletinDocument }[]> {
  const bulletins = await getBulletins();
  return bulletins.flatMap((bulletin) => {
    const document = bulletin.documents[lang];
    return document ? [{ bulletin, document }] : [];
  });
}

/**
 * The body HTML of one bulletin in one language (rendered by `@atrc/bulletin`'s `toHtml`).
 *
 * @param slug Bulletin slug.
 * @param lang Language.
 * @returns The HTML.
 */
export async function getHtml(slug: string, lang: Lang): Promise<string> {
  return (await getSiteContent()).html(slug, lang);
}

/** A tag or actor with the documents that carry it. */
export interface Term {
  readonly name: string;
  readonly slug: string;
  readonly documents: readonly { bulletin: Bulletin; document: BulletinDocument }[];
}

/**
 * Tags or actors of one language, sorted by name, with their documents (newest first).
 *
 * @param lang Language.
 * @param field `tags` or `actors`.
 * @returns One term per distinct slug.
 */
export async function getTerms(lang: Lang, field: "tags" | "actors"): Promise<Term[]> {
  const documents = await getDocuments(lang);
  const terms = new Map<
    string,
    { name: string; slug: string; documents: { bulletin: Bulletin; document: BulletinDocument }[] }
  >();
  for (const item of documents) {
    for (const name of item.document.meta[field]) {
      const slug = slugify(name);
      if (!slug) continue;
      const term = terms.get(slug) ?? { name, slug, documents: [] };
      term.documents.push(item);
      terms.set(slug, term);
    }
  }
  const collator = new Intl.Collator(lang);
  return [...terms.values()].sort((a, b) => collator.compare(a.name, b.name));
}

/**
 * The same tag in the other language (see {@link translateTagSlug}).
 *
 * @param slug Tag slug in `from`.
 * @param from Language of the slug.
 * @param to Target language.
 * @returns The slug in `to`, or undefined when no bulletin pairs it.
 */
export async function translateTag(slug: string, from: Lang, to: Lang): Promise<string | undefined> {
  const bulletins = await getBulletins();
  return translateTagSlug(
    bulletins.map((bulletin) => ({
      es: bulletin.documents.es?.meta.tags,
      en: bulletin.documents.en?.meta.tags,
    })),
    slug,
    from,
    to,
  );
}
