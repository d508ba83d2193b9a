/**
 * The native JSON export (FORMATS §9), described by the JSON Schema in `schema.ts`: the bulletin's metadata, then
 * one entry per indicator carrying the machine value, the defanged form, both descriptions and the ids the same
 * indicator has in the STIX bundle and the MISP event, so tools can cross-reference the formats.
 */
import type { PageBulletin as Bulletin } from "@atrc/bulletin";
import { mispUuid, producerNamespace, stixId } from "./ids.js";
import { indicatorsOf } from "./indicators.js";
import { checkedSiteUrl, pageUrl, pdfUrl, type ExportOptions } from "./options.js";
import { IOC_SCHEMA_ID } from "./schema.js";

/** The bulletin part of the native JSON. */
export interface JsonBulletin {
  readonly id: string;
  readonly slug: string;
  readonly revision: number;
  readonly title: { readonly es: string; readonly en?: string };
  readonly lang: "es";
  readonly published: string;
  readonly modified: string;
  readonly tlp: string;
  readonly severity: string;
  readonly url: { readonly es: string; readonly en?: string };
  readonly pdf: { readonly es: string; readonly en?: string };
  readonly malware: readonly string[];
  readonly actors: readonly string[];
  readonly attack: readonly string[];
  readonly references: readonly { readonly title: string; readonly url: string }[];
  readonly stix_report_id: string;
  readonly misp_event_uuid: string;
}

/** One indicator of the native JSON. */
export interface JsonIndicator {
  readonly key: string;
  readonly type: string;
  readonly value: string;
  readonly value_defanged: string;
  readonly benign_host: boolean;
  readonly to_ids: boolean;
  readonly description: { readonly es: string; readonly en?: string };
  /** Id of the STIX indicator in the bulletin's bundle (every type but `cve`). */
  readonly stix_indicator_id?: string;
  /** Id of the STIX vulnerability in the bulletin's bundle (`cve` only: a CVE is not a pattern). */
  readonly stix_vulnerability_id?: string;
  readonly misp_attribute_uuid: string;
  readonly misp_type: string;
  readonly misp_category: string;
}

/** The native JSON of one bulletin. */
export interface JsonExport {
  readonly $schema: string;
  readonly schema_version: "1";
  readonly bulletin: JsonBulletin;
  readonly iocs: readonly JsonIndicator[];
}

/** The native JSON over many bulletins (`iocs/all.json`). */
export interface JsonCollection {
  readonly $schema: string;
  readonly schema_version: "1";
  readonly bulletins: readonly Omit<JsonExport, "$schema" | "schema_version">[];
}

/**
 * The native JSON of one bulletin, as data.
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns The document; serialise it with {@link toJson}.
 * @example
 * toJsonExport(bulletin, { siteUrl: "https://atrc.example" }).iocs.length // 22 for 3CX
 */
export function toJsonExport(bulletin: Bulletin, options: ExportOptions): JsonExport {
  const siteUrl = checkedSiteUrl(options);
  const ns = producerNamespace(siteUrl);
  const meta = bulletin.original.meta;
  const en = bulletin.documents.en;
  const both = <T>(es: T, english: T | undefined) => (english === undefined ? { es } : { es, en: english });
  return {
    $schema: IOC_SCHEMA_ID,
    schema_version: "1",
    bulletin: {
      id: bulletin.id,
      slug: bulletin.slug,
      revision: meta.revision,
      title: both(meta.title, en?.meta.title),
      lang: "es",
      published: meta.published,
      modified: meta.modified,
      tlp: `TLP:${meta.tlp}`,
      severity: meta.severity,
      url: both(pageUrl(siteUrl, bulletin, "es"), en && pageUrl(siteUrl, bulletin, "en")),
      pdf: both(pdfUrl(siteUrl, bulletin, "es"), en && pdfUrl(siteUrl, bulletin, "en")),
      malware: [...meta.malware],
      actors: [...meta.actors],
      attack: [...meta.attack],
      references: bulletin.original.references.map((reference) => ({
        title: reference.title,
        url: reference.url,
      })),
      stix_report_id: stixId(ns, "report", `${bulletin.id}|report`),
      misp_event_uuid: mispUuid(ns, `event|${bulletin.id}`),
    },
    iocs: indicatorsOf(bulletin).map((indicator) => ({
      key: indicator.key,
      type: indicator.type,
      value: indicator.value,
      value_defanged: indicator.defanged,
      benign_host: indicator.benignHost,
      to_ids: indicator.misp.toIds,
      description: { ...indicator.description },
      ...(indicator.type === "cve"
        ? { stix_vulnerability_id: stixId(ns, "vulnerability", `${bulletin.id}|${indicator.key}`) }
        : { stix_indicator_id: stixId(ns, "indicator", `${bulletin.id}|${indicator.key}`) }),
      misp_attribute_uuid: mispUuid(ns, `attribute|${bulletin.id}|${indicator.key}`),
      misp_type: indicator.misp.type,
      misp_category: indicator.misp.category,
    })),
  };
}

/**
 * The native JSON of one bulletin as text (2-space indent, LF, final newline, fixed key order).
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns JSON text that validates against `schema/atrc-iocs.schema.json`.
 * @example
 * JSON.parse(toJson(bulletin, { siteUrl: "https://atrc.example" })).schema_version // "1"
 */
export function toJson(bulletin: Bulletin, options: ExportOptions): string {
  return `${jsonBody(bulletin, options)}\n`;
}

/**
 * {@link toJson} without its final newline. `exportAll` encodes the text and the newline as separate pieces: a
 * concatenated string would have to be flattened (copied) again before encoding, a measurable cost at 20 MB.
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns The JSON text, without the final newline.
 * @example
 * `${jsonBody(bulletin, options)}\n` === toJson(bulletin, options) // true
 */
export function jsonBody(bulletin: Bulletin, options: ExportOptions): string {
  return JSON.stringify(toJsonExport(bulletin, options), null, 2);
}

/**
 * The native JSON over many bulletins (`iocs/all.json`), bulletins in the given order.
 *
 * @param bulletins The bulletins.
 * @param options Export options.
 * @returns JSON text that validates against the same schema.
 * @example
 * jsonOf(publicBulletins(bulletins), options) // iocs/all.json
 */
export function jsonOf(bulletins: readonly Bulletin[], options: ExportOptions): string {
  return jsonOfBodies(bulletins.map((bulletin) => jsonBody(bulletin, options))).join("");
}

/**
 * `iocs/all.json` from the bulletins' own JSON texts ({@link jsonBody}), as pieces to concatenate (or encode one
 * after the other).
 *
 * The result is exactly `JSON.stringify({ $schema, schema_version, bulletins: [{ bulletin, iocs }, …] }, null, 2)`
 * and a newline, but each bulletin is serialised once (`exportAll` already has its text for `iocs/<id>.json`): an
 * entry of `bulletins` is that text without its `$schema` and `schema_version` members, every line indented two
 * levels (4 spaces) deeper. JSON text has no raw line break inside a string, so indenting after every `\n` is exact;
 * the tests compare with a plain `JSON.stringify` of the collection.
 *
 * @param bodies The {@link jsonBody} of each bulletin, in order.
 * @returns The pieces of `iocs/all.json`.
 * @example
 * jsonOfBodies(published.map((bulletin) => jsonBody(bulletin, options))).join("") // iocs/all.json
 */
export function jsonOfBodies(bodies: readonly string[]): string[] {
  return jsonOfMembers(bodies.map(jsonMembers));
}

/**
 * `iocs/all.json` around the bulletins' objects as {@link jsonMembers} gives them, as text or already as bytes.
 *
 * @param members Each bulletin's members, in order.
 * @returns The pieces of `iocs/all.json`: the members themselves and the text between them.
 */
export function jsonOfMembers<T>(members: readonly T[]): (string | T)[] {
  const head = `{\n  "$schema": ${JSON.stringify(IOC_SCHEMA_ID)},\n  "schema_version": "1",\n  "bulletins": `;
  if (members.length === 0) return [head, "[]\n}\n"];
  const pieces: (string | T)[] = [head, "["];
  for (const [index, member] of members.entries()) {
    pieces.push(index === 0 ? "\n    {\n    " : ",\n    {\n    ", member);
  }
  pieces.push("\n  ]\n}\n");
  return pieces;
}

/**
 * A bulletin's object as `iocs/all.json` nests it: from its `bulletin` member to its closing brace, indented
 * four more spaces.
 *
 * @param body The bulletin's {@link jsonBody}.
 * @returns Its members, re-indented.
 */
export function jsonMembers(body: string): string {
  return body.slice(body.indexOf(BULLETIN_MEMBER) + 1).replaceAll("\n", "\n    ");
}

/** Where the `bulletin` member starts in a bulletin's JSON text (its line break included). */
const BULLETIN_MEMBER = '\n  "bulletin": ';
