import type { PageBulletin as Bulletin, Lang } from "@atrc/bulletin";

/** Options shared by every exporter. */
export interface ExportOptions {
  /**
   * Canonical URL of the public site, without a trailing slash (`https://atrc.example`). It names the bulletin
   * pages and PDFs in the exports and seeds the UUIDv5 namespace, so it must stay the same from build to build.
   */
  readonly siteUrl: string;
}

/**
 * Check the options once, at the entry of every exporter, so that a bad site URL fails loudly instead of
 * leaking into ids and links.
 *
 * @param options Export options.
 * @returns The site URL, unchanged.
 * @example
 * checkedSiteUrl({ siteUrl: "https://atrc.example" }) // "https://atrc.example"
 * @throws {TypeError} When `siteUrl` is not an absolute http(s) URL without a trailing slash, query or fragment.
 */
export function checkedSiteUrl(options: ExportOptions): string {
  const { siteUrl } = options;
  let url: URL | undefined;
  try {
    url = new URL(siteUrl);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== "https:" && url.protocol !== "http:") ||
    siteUrl.endsWith("/") ||
    url.search !== "" ||
    url.hash !== ""
  ) {
    throw new TypeError(
      `Expected \`siteUrl\` to be an http(s) URL without a trailing slash, not \`${siteUrl}\``,
    );
  }
  return siteUrl;
}

/**
 * The file-name form of a bulletin id: lower-cased, with runs of characters outside `[+\-a-z0-9]` turned into `_`
 * (the CSAF 2.0 file-name rule, FORMATS §4).
 *
 * @param bulletin The bulletin.
 * @returns The id used in export paths (`atrc-2023-001`).
 * @example
 * fileIdOf({ id: "ATRC-2023-001" }) // "atrc-2023-001"
 */
export function fileIdOf(bulletin: Pick<Bulletin, "id">): string {
  return bulletin.id.toLowerCase().replace(/[^+\-a-z0-9]+/gu, "_");
}

/**
 * Public URL of a bulletin page in one language.
 *
 * @param siteUrl Site URL without a trailing slash.
 * @param bulletin The bulletin (its slug names the page).
 * @param lang Page language.
 * @returns The page URL, with a trailing slash.
 * @example
 * pageUrl("https://atrc.example", bulletin, "en") // "https://atrc.example/en/bulletins/2023-03-3cx/"
 */
export function pageUrl(siteUrl: string, bulletin: Pick<Bulletin, "slug">, lang: Lang): string {
  return lang === "es"
    ? `${siteUrl}/es/boletines/${bulletin.slug}/`
    : `${siteUrl}/en/bulletins/${bulletin.slug}/`;
}

/**
 * Public URL of a bulletin PDF in one language.
 *
 * @param siteUrl Site URL without a trailing slash.
 * @param bulletin The bulletin.
 * @param lang PDF language.
 * @returns The PDF URL.
 * @example
 * pdfUrl("https://atrc.example", bulletin, "es") // "https://atrc.example/pdf/atrc-2023-001-es.pdf"
 */
export function pdfUrl(siteUrl: string, bulletin: Bulletin, lang: Lang): string {
  return `${siteUrl}/pdf/${fileIdOf(bulletin)}-${lang}.pdf`;
}

/**
 * A `YYYY-MM-DD` day as a STIX timestamp at midnight UTC (millisecond precision, spec 3.2).
 *
 * @param day The day.
 * @returns The timestamp.
 * @example
 * stixTimestamp("2023-03-30") // "2023-03-30T00:00:00.000Z"
 */
export function stixTimestamp(day: string): string {
  checkDay(day);
  return `${day}T00:00:00.000Z`;
}

/**
 * A `YYYY-MM-DD` day as epoch seconds at midnight UTC, as MISP wants timestamps (a decimal string). Computed with
 * `Date.UTC`, never from the clock.
 *
 * @param day The day.
 * @returns Seconds since 1970-01-01T00:00:00Z, as a string.
 * @example
 * epochSeconds("2023-03-30") // "1680134400"
 */
export function epochSeconds(day: string): string {
  const [year, month, date] = checkDay(day);
  return String(Date.UTC(year, month - 1, date) / 1000);
}

function checkDay(day: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(day);
  if (!match) throw new TypeError(`Expected a \`YYYY-MM-DD\` date, not \`${day}\``);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
