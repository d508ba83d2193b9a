import i18next, { type TFunction } from "i18next";
import enCommon from "../locales/en/common.json" with { type: "json" };
import enPdf from "../locales/en/pdf.json" with { type: "json" };
import enSite from "../locales/en/site.json" with { type: "json" };
import esCommon from "../locales/es/common.json" with { type: "json" };
import esPdf from "../locales/es/pdf.json" with { type: "json" };
import esSite from "../locales/es/site.json" with { type: "json" };

/** Languages with UI strings. */
export type Locale = "es" | "en";

/** Namespaces: `common` is shared, `site` and `pdf` belong to one renderer each. */
export type Namespace = "common" | "site" | "pdf";

/** The resources of every locale, as loaded into i18next (flat, dotted keys; plurals as `_one`/`_other`). */
export const resources = {
  es: { common: esCommon, site: esSite, pdf: esPdf },
  en: { common: enCommon, site: enSite, pdf: enPdf },
} as const satisfies Record<Locale, Record<Namespace, Record<string, string>>>;

/** BCP 47 tags used for dates and numbers. */
export const INTL_LOCALES: Readonly<Record<Locale, string>> = { es: "es-ES", en: "en-GB" };

const instances = new Map<Locale, TFunction>();

/**
 * A translation function for one locale, from a private i18next instance (never the global one,
 * so the site build and PDF workers cannot step on each other's language).
 *
 * @param locale `es` or `en`.
 * @returns `t(key, options)`; keys are `ns:key` or plain keys of `common`.
 * @example
 * const t = getT("es"); t("site:nav.archive"); t("ioc.count", { count: 22 }) // "22 indicadores"
 */
export function getT(locale: Locale): TFunction {
  if (locale !== "es" && locale !== "en") {
    throw new TypeError(`Expected \`locale\` to be \`es\` or \`en\`, not \`${String(locale)}\``);
  }
  let t = instances.get(locale);
  if (!t) {
    const instance = i18next.createInstance();
    // initAsync: false makes init synchronous, since the resources are bundled.
    void instance.init({
      lng: locale,
      fallbackLng: false,
      resources,
      ns: ["common", "site", "pdf"],
      defaultNS: "common",
      keySeparator: false,
      nsSeparator: ":",
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
    // A page or PDF asks for the same few dozen plain strings (no options) again and again, and i18next resolves each
    // call anew (≈ 7 µs: 2,000 bulletin pages made 120,000 calls); the resources never change, so those are kept.
    const resolve = instance.t.bind(instance) as unknown as (...args: unknown[]) => unknown;
    const plain = new Map<string, unknown>();
    t = ((...args: unknown[]) => {
      const [key] = args;
      if (args.length !== 1 || typeof key !== "string") return resolve(...args);
      let text = plain.get(key);
      if (text === undefined) {
        text = resolve(key);
        plain.set(key, text);
      }
      return text;
    }) as unknown as TFunction;
    instances.set(locale, t);
  }
  return t;
}

/**
 * Format a `YYYY-MM-DD` date for people: `29 de marzo de 2023`, `29 March 2023`.
 *
 * @param date A calendar date (`YYYY-MM-DD`, read as UTC).
 * @param locale `es` or `en`.
 * @returns The long date.
 * @example
 * formatDate("2023-03-29", "es") // "29 de marzo de 2023"
 */
export function formatDate(date: string, locale: Locale): string {
  // A formatter costs far more to make than to use (a site build formats thousands of dates): one per locale.
  dateFormats[locale] ??= new Intl.DateTimeFormat(INTL_LOCALES[locale], {
    dateStyle: "long",
    timeZone: "UTC",
  });
  return dateFormats[locale].format(new Date(`${date}T00:00:00Z`));
}

const dateFormats: Partial<Record<Locale, Intl.DateTimeFormat>> = {};
const numberFormats: Partial<Record<Locale, Intl.NumberFormat>> = {};

/**
 * Format a number for people: `242.519` in Spanish, `242,519` in English.
 * Spanish style (RAE) leaves four-digit numbers ungrouped; we group them too so tables align.
 *
 * @param value The number.
 * @param locale `es` or `en`.
 * @returns The grouped number.
 * @example
 * formatNumber(242519, "es") // "242.519"
 */
export function formatNumber(value: number, locale: Locale): string {
  numberFormats[locale] ??= new Intl.NumberFormat(INTL_LOCALES[locale], { useGrouping: "always" });
  return numberFormats[locale].format(value);
}
