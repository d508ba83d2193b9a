import type { PageBulletin as Bulletin, Indicator, Lang } from "@atrc/bulletin";
import { hostOf, IOC_TYPES, type IocType } from "@atrc/ioc";
import { compareUtf16 } from "./ids.js";
import { perBulletin } from "./memo.js";

/** How one IOC type becomes a MISP attribute (FORMATS §3.2). */
export interface MispMapping {
  /** MISP attribute type. */
  readonly type: string;
  /** MISP category; must be one the type allows. */
  readonly category: string;
  /** Whether IDS exports should use the value. */
  readonly toIds: boolean;
}

/**
 * MISP type, category and `to_ids` per IOC type. The model has no `role` field, so the type decides (FORMATS §3.2,
 * PyMISP `describeTypes.json` defaults):
 * - network indicators and hashes are what a detection should match: `to_ids` true;
 * - e-mail addresses in our bulletins name who registered or ran the infrastructure (attribution), not a mail
 *   flow to block: MISP type `email` in its default category `Social network`, `to_ids` false;
 * - CVE ids describe what was exploited, not something to match on the wire: `vulnerability`, `External
 *   analysis`, `to_ids` false.
 *
 * @example
 * MISP_MAPPING.sha1 // { type: "sha1", category: "Payload delivery", toIds: true }
 */
export const MISP_MAPPING: Readonly<Record<IocType, MispMapping>> = Object.freeze({
  url: { type: "url", category: "Network activity", toIds: true },
  domain: { type: "domain", category: "Network activity", toIds: true },
  ipv4: { type: "ip-dst", category: "Network activity", toIds: true },
  ipv6: { type: "ip-dst", category: "Network activity", toIds: true },
  email: { type: "email", category: "Social network", toIds: false },
  md5: { type: "md5", category: "Payload delivery", toIds: true },
  sha1: { type: "sha1", category: "Payload delivery", toIds: true },
  sha256: { type: "sha256", category: "Payload delivery", toIds: true },
  sha512: { type: "sha512", category: "Payload delivery", toIds: true },
  cve: { type: "vulnerability", category: "External analysis", toIds: false },
});

/** One indicator as every format exports it: canonical, with both descriptions and its MISP mapping. */
export interface ExportIndicator {
  readonly key: string;
  readonly type: IocType;
  /** Refanged, canonical: the only form machine fields carry. */
  readonly value: string;
  readonly defanged: string;
  readonly benignHost: boolean;
  /** Host of a URL or e-mail on a known-legitimate service, for the warning comment. */
  readonly host: string | null;
  readonly description: { readonly es: string; readonly en?: string };
  readonly misp: MispMapping;
}

/**
 * Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection; FORMATS §6).
 *
 * @example
 * FORMULA_START.test("=1+1") // true
 */
export const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u;

/**
 * The indicators of a bulletin, deduplicated on `key` and sorted by `IOC_TYPES` order, then value in code-unit
 * order (FORMATS invariant 3). Descriptions come from each language's own table, matched by `key`. Domain
 * indicators on known-legitimate hosts are left out of every format (FORMATS invariant 9).
 *
 * @param bulletin The bulletin.
 * @returns The sorted indicators.
 * @throws {TypeError} When a value is not canonical (surrounding space, formula character, key mismatch): the
 *   checker rejects those, so reaching here means the model was built by hand and wrong.
 * @example
 * exportIndicators(bulletin)[0] // { key: "url:https://…", type: "url", … }
 */
export function exportIndicators(bulletin: Bulletin): ExportIndicator[] {
  return [...indicatorsOf(bulletin)];
}

/**
 * {@link exportIndicators} computed once per bulletin and shared by every format: a frozen list of frozen indicators
 * (every format reads it several times per bulletin, and nobody may change a shared value).
 *
 * @param bulletin The bulletin.
 * @returns The sorted indicators, read-only.
 * @example
 * indicatorsOf(bulletin) === indicatorsOf(bulletin) // true
 */
export const indicatorsOf: (bulletin: Bulletin) => readonly ExportIndicator[] = perBulletin((bulletin) =>
  Object.freeze(computeIndicators(bulletin).map(freezeIndicator)),
);

/**
 * The uncached computation behind {@link exportIndicators}.
 *
 * @param bulletin The bulletin.
 * @returns A new sorted list.
 * @example
 * computeIndicators(bulletin) // what the tests compare the cached list with
 */
export function computeIndicators(bulletin: Bulletin): ExportIndicator[] {
  const english = descriptionsOf(bulletin, "en");
  const byKey = new Map<string, ExportIndicator>();
  for (const indicator of bulletin.original.indicators) {
    // A known-legitimate host is never a domain indicator (FORMATS invariant 9). The checker only warns
    // (`ioc-benign-domain`), so the exports enforce it: blocking github.com would break far more than the attack.
    if (byKey.has(indicator.key) || (indicator.type === "domain" && indicator.benignHost)) continue;
    checkIndicator(indicator);
    const host = indicator.benignHost ? hostOf(indicator.type, indicator.value) : null;
    const en = english?.get(indicator.key);
    byKey.set(indicator.key, {
      key: indicator.key,
      type: indicator.type,
      value: indicator.value,
      defanged: indicator.defanged,
      benignHost: indicator.benignHost,
      host,
      description:
        english === undefined ? { es: indicator.description } : { es: indicator.description, en: en ?? "" },
      misp: MISP_MAPPING[indicator.type],
    });
  }
  return [...byKey.values()].sort(compareIndicators);
}

/**
 * Sort order of every export: `IOC_TYPES` order, then value in code-unit order.
 *
 * @param a One indicator.
 * @param b Another.
 * @returns Negative, zero or positive, as `Array#sort` wants.
 * @example
 * indicators.sort(compareIndicators) // urls first, then domains, …, then CVEs
 */
export function compareIndicators(
  a: Pick<Indicator, "type" | "value">,
  b: Pick<Indicator, "type" | "value">,
): number {
  return IOC_TYPES.indexOf(a.type) - IOC_TYPES.indexOf(b.type) || compareUtf16(a.value, b.value);
}

/**
 * The warning attached to an indicator on a known-legitimate host, in Spanish and English (machine consumers read
 * either).
 *
 * @param indicator An exported indicator.
 * @returns Both sentences, or `undefined` when the host is not a known-legitimate one.
 * @example
 * benignNote(github)?.en // "The host github.com is legitimate: block only this value, never the whole domain."
 */
export function benignNote(indicator: ExportIndicator): { es: string; en: string } | undefined {
  if (!indicator.benignHost) return undefined;
  const host = indicator.host;
  return host === null
    ? {
        es: "El servicio que aloja este valor es legítimo: bloquee solo este valor, nunca el dominio entero.",
        en: "The service hosting this value is legitimate: block only this value, never the whole domain.",
      }
    : {
        es: `El host ${host} es legítimo: bloquee solo este valor, nunca el dominio entero.`,
        en: `The host ${host} is legitimate: block only this value, never the whole domain.`,
      };
}

/**
 * The free-text comment machine formats carry for an indicator: the Spanish description, then the benign-host warning
 * in Spanish and English, as sentences.
 *
 * @param indicator An exported indicator.
 * @returns The comment (empty when there is nothing to say).
 * @example
 * commentOf(github) // "Repositorio … (GitHub es un servicio legítimo). El host github.com es legítimo: … The host …"
 */
export function commentOf(indicator: ExportIndicator): string {
  const note = benignNote(indicator);
  const parts = [indicator.description.es.trim(), note?.es, note?.en].filter(
    (part): part is string => part !== undefined && part !== "",
  );
  return parts
    .map((part, index) => (index < parts.length - 1 && !/[.!?…]$/u.test(part) ? `${part}.` : part))
    .join(" ");
}

function freezeIndicator(indicator: ExportIndicator): ExportIndicator {
  Object.freeze(indicator.description);
  return Object.freeze(indicator);
}

function descriptionsOf(bulletin: Bulletin, lang: Lang): Map<string, string> | undefined {
  const document = bulletin.documents[lang];
  if (document === undefined) return undefined;
  return new Map(document.indicators.map((indicator) => [indicator.key, indicator.description]));
}

function checkIndicator(indicator: Indicator): void {
  if (!IOC_TYPES.includes(indicator.type)) {
    throw new TypeError(`Expected an indicator type from \`IOC_TYPES\`, not \`${String(indicator.type)}\``);
  }
  if (indicator.key !== `${indicator.type}:${indicator.value}`) {
    throw new TypeError(
      `Expected indicator key \`${indicator.type}:${indicator.value}\`, not \`${indicator.key}\``,
    );
  }
  for (const value of [indicator.value, indicator.defanged]) {
    if (value === "" || value.trim() !== value || FORMULA_START.test(value) || /[\r\n]/u.test(value)) {
      throw new TypeError(`Expected a canonical indicator value, not \`${value}\``);
    }
  }
}
