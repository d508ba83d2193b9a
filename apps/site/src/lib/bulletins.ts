/**
 * Bulletins as the pages see them: reassembled from the `bulletins` collection, newest first.
 */
import type { PageBulletin as Bulletin, PageDocument as BulletinDocument } from "./loader.ts";
import { getCollection, type CollectionEntry } from "astro:content";
import { slugify, translateTagSlug, type Lang } from "./routes.ts";

/** One entry of the `bulletins` collection (one language of one bulletin). */
export type BulletinEntry = CollectionEntry<"bulletins">;

let memo: Promise<Bulletin[]> | undefined;

/**
 * Every bulletin with all its languages, newest first (by published date, then id), rebuilt from the
 * collection so that pages and downloads use the very documents the loader checked.
 *
 * @returns The bulletins.
 */
export function getBulletins(): Promise<Bulletin[]> {
  memo ??= (async () => {
    const entries = await getCollection("bulletins");
    const bySlug = new Map<
      string,
      {
        id: string;
        slug: string;
        documents: Partial<Record<Lang, BulletinDocument>>;
        original?: BulletinDocument;
      }
    >();
    for (const entry of entries) {
      const { slug, id, lang, original, document } = entry.data;
      const item = bySlug.get(slug) ?? { id, slug, documents: {} };
      item.documents[lang] = document;
      if (original) item.original = document;
      bySlug.set(slug, item);
    }
    const bulletins: Bulletin[] = [];
    for (const item of bySlug.values()) {
      const original = item.original ?? item.documents.es ?? item.documents.en;
      if (!original) continue;
      bulletins.push({ id: item.id, slug: item.slug, original, documents: item.documents });
    }
    return bulletins.sort(
      (a, b) =>
        b.original.meta.published.localeCompare(a.original.meta.published) || b.id.localeCompare(a.id),
    );
  })();
  return memo;
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
 * The collection entry of one bulletin in one language (for its rendered HTML).
 *
 * @param slug Bulletin slug.
 * @param lang Language.
 * @returns The entry, or undefined.
 */
export async function getEntry(slug: string, lang: Lang): Promise<BulletinEntry | undefined> {
  const entries = await getCollection("bulletins");
  return entries.find((entry) => entry.id === `${slug}/${lang}`);
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
