/**
 * The indicator guard: finds indicators of any bulletin written live (fanged) where a person reads
 * them, or used as a link target. Built on @atrc/ioc's `extract()`, the same extractor as the checks.
 */
import type { Bulletin } from "@atrc/bulletin";
import { extract, hostOf } from "@atrc/ioc";

/** What the guard looks for. */
export interface Watchlist {
  /** `<type>:<value>` of every indicator of every bulletin. */
  readonly keys: ReadonlySet<string>;
  /** Hosts of indicators, except well-known legitimate ones (github.com, proton.me...). */
  readonly hosts: ReadonlySet<string>;
}

/** One finding. */
export interface Finding {
  readonly key: string;
  readonly written: string;
}

/**
 * The watchlist of a set of bulletins.
 *
 * @param bulletins Bulletins (every language is included).
 * @returns Keys and hosts.
 */
export function watchlist(bulletins: readonly Bulletin[]): Watchlist {
  const keys = new Set<string>();
  const hosts = new Set<string>();
  for (const bulletin of bulletins) {
    for (const document of Object.values(bulletin.documents)) {
      for (const indicator of document.indicators) {
        keys.add(indicator.key);
        const host = hostOf(indicator.type, indicator.value);
        if (host && !indicator.benignHost) hosts.add(host);
      }
    }
  }
  return { keys, hosts };
}

function matches(list: Watchlist, type: Parameters<typeof hostOf>[0], value: string): boolean {
  if (list.keys.has(`${type}:${value}`)) return true;
  const host = hostOf(type, value);
  return host !== null && list.hosts.has(host);
}

/**
 * Live indicators of the watchlist in a text meant for people.
 *
 * @param text Plain text.
 * @param list The watchlist.
 * @returns One finding per live occurrence.
 */
export function fangedIn(text: string, list: Watchlist): Finding[] {
  return extract(text)
    .filter((found) => found.fanged && matches(list, found.type, found.value))
    .map((found) => ({ key: `${found.type}:${found.value}`, written: text.slice(found.start, found.end) }));
}

/**
 * Whether a link target points at an indicator, written live or defanged.
 *
 * @param target An href/src value.
 * @param list The watchlist.
 * @returns The findings (empty when the link is fine).
 */
export function linkedIn(target: string, list: Watchlist): Finding[] {
  return extract(target)
    .filter((found) => matches(list, found.type, found.value))
    .map((found) => ({ key: `${found.type}:${found.value}`, written: target }));
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Decode the HTML/XML character references that matter for text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/giu, (match, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? match;
  });
}

/**
 * What a person can read in an HTML or XML file: the text between tags, attribute values (titles,
 * labels, meta descriptions) and the content of data blocks such as JSON-LD, one item per line.
 *
 * @param markup HTML or XML.
 * @returns Plain text.
 */
export function readableText(markup: string): string {
  const attributes = [...markup.matchAll(/\s[\w:-]+="([^"]*)"/gu)].map((match) => match[1] ?? "");
  const cdata = markup.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/gu, "$1");
  const text = cdata.replace(/<[^>]+>/gu, "\n");
  return decodeEntities([text, ...attributes].join("\n"));
}

/**
 * Every link target of an HTML or XML file: href, src, action, srcset, `<loc>`, `<link>` and `<guid>`
 * elements of feeds.
 *
 * @param markup HTML or XML.
 * @returns Decoded targets.
 */
export function linkTargets(markup: string): string[] {
  const attributes = [
    ...markup.matchAll(/\s(?:href|src|action|srcset|poster|data|cite|formaction)="([^"]*)"/giu),
  ];
  const elements = [...markup.matchAll(/<(loc|link|guid|comments|url)>([^<]*)<\/\1>/giu)].map(
    (match) => match[2],
  );
  const refresh = [...markup.matchAll(/http-equiv="refresh" content="[^"]*url=([^"]*)"/giu)].map(
    (match) => match[1],
  );
  return [...attributes.map((match) => match[1]), ...elements, ...refresh].map((value) =>
    decodeEntities(value ?? ""),
  );
}
