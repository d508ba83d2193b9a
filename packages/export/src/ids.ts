/**
 * Deterministic identifiers (FORMATS §2.4, invariant 4). Every id is a UUIDv5, so two builds of the same content
 * give the same bytes:
 * - STIX SDOs, SROs and bundles: `uuid5(producer, "<type>|<name>")`, where `producer = uuid5(NAMESPACE_URL,
 *   siteUrl + "/")`. The STIX type is part of the name because the UUID part must be unique across types for one
 *   producer (spec 2.9), and the producer namespace is never the SCO one (spec 2.9 forbids that for SDOs).
 * - STIX SCOs: `uuid5(00abedb4-…, JCS(id-contributing properties))`, exactly as spec 2.9 says, so our observables
 *   merge with everyone else's.
 * - MISP: the same producer namespace, names prefixed `misp|`.
 */
import { v5 as uuidv5 } from "uuid";

/**
 * The namespace STIX 2.1 (section 2.9) fixes for deterministic SCO ids.
 *
 * @example
 * scoId("url", { value }) // uuid5 in STIX_SCO_NAMESPACE
 */
export const STIX_SCO_NAMESPACE = "00abedb4-aa42-466c-9c01-fed23315a9b7";

/**
 * The producer namespace: UUIDv5 of the site URL (with its trailing slash) in the RFC 9562 URL namespace.
 *
 * @param siteUrl Site URL without a trailing slash.
 * @returns A UUID string.
 * @example
 * producerNamespace("https://atrc.example") // same value on every build
 */
export function producerNamespace(siteUrl: string): string {
  return uuidv5(`${siteUrl}/`, uuidv5.URL);
}

/**
 * A STIX id for a domain object, relationship or bundle.
 *
 * @param namespace Producer namespace ({@link producerNamespace}).
 * @param type STIX type (`indicator`, `relationship`, `bundle`…).
 * @param name What makes the object unique for this producer (`ATRC-2023-001|url:https://…`).
 * @returns `<type>--<uuid>`.
 * @example
 * stixId(ns, "indicator", "ATRC-2023-001|sha1:cad1…") // "indicator--…"
 */
export function stixId(namespace: string, type: string, name: string): string {
  return `${type}--${uuidv5(`${type}|${name}`, namespace)}`;
}

/**
 * A STIX id for a cyber-observable, per spec 2.9: UUIDv5 in the fixed SCO namespace over the RFC 8785 (JCS) form of
 * the object's id-contributing properties.
 *
 * @param type SCO type (`url`, `file`…).
 * @param contributing The id-contributing properties (`{ value }`, or `{ hashes: { "SHA-1": … } }`).
 * @returns `<type>--<uuid>`.
 * @example
 * scoId("ipv4-addr", { value: "198.51.100.3" }) // "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4" (spec example)
 */
export function scoId(type: string, contributing: Readonly<Record<string, unknown>>): string {
  return `${type}--${uuidv5(canonicalJson(contributing), STIX_SCO_NAMESPACE)}`;
}

/**
 * A MISP uuid: UUIDv5 in the producer namespace over `misp|<name>`.
 *
 * @param namespace Producer namespace.
 * @param name What the uuid names (`event|ATRC-2023-001`).
 * @returns A UUID string.
 * @example
 * mispUuid(ns, "event|ATRC-2023-001")
 */
export function mispUuid(namespace: string, name: string): string {
  return uuidv5(`misp|${name}`, namespace);
}

/**
 * RFC 8785 (JCS) for the values SCO ids are made of: objects with sorted keys, strings and finite numbers. Strings
 * serialise exactly as `JSON.stringify` does, which is what JCS prescribes.
 */
function canonicalJson(value: unknown): string {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Expected a finite number, not \`${value}\``);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareUtf16(a, b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new TypeError(`Expected JSON data, not a ${typeof value}`);
}

/**
 * Code-unit order, as JCS sorts keys and as every export sorts values (never locale-dependent).
 *
 * @param a One string.
 * @param b Another.
 * @returns Negative, zero or positive.
 * @example
 * ["b", "B", "a"].sort(compareUtf16) // ["B", "a", "b"]
 */
export function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
