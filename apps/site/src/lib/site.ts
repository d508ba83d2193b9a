/**
 * Site-wide constants: the Content-Security-Policy, locale tags and small formatting helpers.
 */
import { INTL_LOCALES, formatNumber } from "@atrc/i18n";
import type { Lang } from "./routes.ts";

/**
 * The Content-Security-Policy of every page, as a `<meta http-equiv>` (so it also holds on a plain static
 * host). Scripts only from our own origin: the copy buttons and the search are bundled files, and JSON-LD
 * is a data block (`application/ld+json`) that browsers never execute, so it needs no exception.
 * `'wasm-unsafe-eval'` lets Pagefind compile its WebAssembly and nothing else. `frame-ancestors` is not
 * allowed in a meta tag, so it is not set here.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** Open Graph locale tags. */
export const OG_LOCALES: Readonly<Record<Lang, string>> = { es: "es_ES", en: "en_GB" };

const sizeFormats: Partial<Record<Lang, Intl.NumberFormat>> = {};

/**
 * A file size for people: `12,4 kB` in Spanish, `12.4 kB` in English (SI units, as browsers show them).
 *
 * @param bytes Size in bytes.
 * @param lang Language.
 * @returns The size with its unit.
 */
export function formatSize(bytes: number, lang: Lang): string {
  if (bytes < 1000) return `${formatNumber(bytes, lang)} B`;
  const units = ["kB", "MB", "GB"] as const;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  sizeFormats[lang] ??= new Intl.NumberFormat(INTL_LOCALES[lang], { maximumFractionDigits: 1 });
  const text = sizeFormats[lang].format(value);
  return `${text} ${units[unit]}`;
}

/** Absolute URL on the site. */
export function absolute(site: URL | undefined, path: string): string {
  return new URL(path, site ?? "https://atrc.example").href;
}

/** Escape text for use inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
