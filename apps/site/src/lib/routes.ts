/**
 * Every URL of the site in one place. Paths are translated (`/es/boletines/…`, `/en/bulletins/…`),
 * so the language switch, hreflang links and the sitemap all ask this module for "the same page in
 * the other language" instead of rewriting URLs by hand.
 */

/** Languages of the site, Spanish first. */
export type Lang = "es" | "en";

/** All languages, Spanish first. */
export const LANGS: readonly Lang[] = ["es", "en"];

/** Kinds of pages that exist in both languages. */
export type PageKind =
  | "home"
  | "bulletin"
  | "archive"
  | "tags"
  | "tag"
  | "actors"
  | "actor"
  | "search"
  | "subscribe"
  | "tlp"
  | "rss";

const SEGMENTS: Readonly<Record<Lang, Readonly<Record<Exclude<PageKind, "home">, string>>>> = {
  es: {
    bulletin: "boletines",
    archive: "archivo",
    tags: "etiquetas",
    tag: "etiquetas",
    actors: "actores",
    actor: "actores",
    search: "buscar",
    subscribe: "suscribirse",
    tlp: "tlp",
    rss: "rss.xml",
  },
  en: {
    bulletin: "bulletins",
    archive: "archive",
    tags: "tags",
    tag: "tags",
    actors: "actors",
    actor: "actors",
    search: "search",
    subscribe: "subscribe",
    tlp: "tlp",
    rss: "rss.xml",
  },
};

/**
 * Root-relative path of a page.
 *
 * @param lang Language of the page.
 * @param kind Page kind.
 * @param param Slug for `bulletin`, `tag` and `actor` pages.
 * @returns A path such as `/es/boletines/2023-03-3cx/`.
 * @example
 * pathTo("en", "bulletin", "2023-03-3cx") // "/en/bulletins/2023-03-3cx/"
 */
export function pathTo(lang: Lang, kind: PageKind, param?: string): string {
  if (kind === "home") return `/${lang}/`;
  const segment = SEGMENTS[lang][kind];
  if (kind === "rss") return `/${lang}/${segment}`;
  if (kind === "bulletin" || kind === "tag" || kind === "actor") {
    if (!param) throw new TypeError(`Expected a slug for a \`${kind}\` page`);
    return `/${lang}/${segment}/${param}/`;
  }
  return `/${lang}/${segment}/`;
}

/** The other language. */
export function otherLang(lang: Lang): Lang {
  return lang === "es" ? "en" : "es";
}

/**
 * URL slug of a tag or actor name: lower case, accents removed, runs of other characters as `-`.
 *
 * @param name A tag or actor as written in the front matter.
 * @returns `cadena-de-suministro`, `lazarus-group`.
 * @example
 * slugify("Corea del Norte") // "corea-del-norte"
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Public path of a bulletin's PDF in one language (`/pdf/atrc-2023-001-es.pdf`). */
export function pdfPath(fileName: string): string {
  return `/pdf/${fileName}`;
}

/** The tags of one bulletin in each of its languages, in front-matter order. */
export type TagSets = { readonly [L in Lang]?: readonly string[] | undefined };

/**
 * The same tag in the other language. Tags are written in each document's language in the same order
 * (the checker compares both documents), so the tag at the same position of a bulletin's other document
 * is its translation.
 *
 * @param bulletins Tag lists of every bulletin.
 * @param slug Tag slug in `from`.
 * @param from Language of the slug.
 * @param to Target language.
 * @returns The slug in `to`, or undefined when no bulletin pairs it.
 * @example
 * translateTagSlug([{ es: ["VoIP", "troyano"], en: ["VoIP", "trojan"] }], "troyano", "es", "en") // "trojan"
 */
export function translateTagSlug(
  bulletins: readonly TagSets[],
  slug: string,
  from: Lang,
  to: Lang,
): string | undefined {
  for (const tags of bulletins) {
    const source = tags[from];
    const target = tags[to];
    if (!source || !target || source.length !== target.length) continue;
    const index = source.findIndex((name) => slugify(name) === slug);
    const translated = index === -1 ? undefined : target[index];
    if (translated) return slugify(translated);
  }
  return undefined;
}

/**
 * The same page in the other language, from its path alone (plus the tag lists, for tag pages).
 * Used by the sitemap, which only sees URLs.
 *
 * @param pathname A root-relative page path (`/es/boletines/2023-03-3cx/`).
 * @param bulletins Tag lists of every bulletin.
 * @returns The path in the other language, or undefined when there is none.
 */
export function translatePath(pathname: string, bulletins: readonly TagSets[]): string | undefined {
  const [, lang, segment, param] = pathname.split("/");
  if (lang !== "es" && lang !== "en") return undefined;
  const to = otherLang(lang);
  if (!segment) return pathTo(to, "home");
  const kinds = Object.entries(SEGMENTS[lang]) as [Exclude<PageKind, "home">, string][];
  const single = param
    ? kinds.find(([kind, name]) => name === segment && ["bulletin", "tag", "actor"].includes(kind))
    : kinds.find(([kind, name]) => name === segment && !["bulletin", "tag", "actor"].includes(kind));
  if (!single) return undefined;
  const [kind] = single;
  if (kind === "tag") {
    const translated = translateTagSlug(bulletins, param ?? "", lang, to);
    return translated ? pathTo(to, "tag", translated) : undefined;
  }
  return pathTo(to, kind, param);
}
