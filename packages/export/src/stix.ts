/**
 * STIX 2.1 bundle of one bulletin (FORMATS §2, §9): identity, the TLP 2.0 marking, the report, one indicator (and its
 * SCO) per IOC, a vulnerability per CVE, malware, threat actor and attack patterns from the front matter, and the
 * relationships between them. Every id is deterministic (see `ids.ts`).
 */
import type { PageBulletin as Bulletin, Tlp } from "@atrc/bulletin";
import type { IocType } from "@atrc/ioc";
import { commentOf, indicatorsOf, type ExportIndicator } from "./indicators.js";
import { producerNamespace, scoId, stixId } from "./ids.js";
import { checkedSiteUrl, pageUrl, pdfUrl, stixTimestamp, type ExportOptions } from "./options.js";

/** A STIX object as plain JSON data; the bundle is serialised in insertion order. */
export type StixObject = { readonly type: string; readonly id: string } & Readonly<Record<string, unknown>>;

/** A STIX 2.1 bundle. */
export interface StixBundle {
  readonly type: "bundle";
  readonly id: string;
  readonly objects: readonly StixObject[];
}

/** The TLP 2.0 extension definition (cti-stix-common-objects); referenced, never included (FORMATS §2.5). */
const TLP_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/** TLP 2.0 marking-definition ids (FORMATS §2.3). Never mint new TLP markings. */
const TLP_MARKING_IDS: Readonly<Record<Tlp, string>> = {
  CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

/**
 * The TLP 2.0 marking definition for a label, verbatim from oasis-open/cti-stix-common-objects.
 *
 * @param tlp TLP label without the `TLP:` prefix.
 * @returns The marking-definition object.
 * @example
 * tlpMarking("CLEAR").id // "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"
 */
export function tlpMarking(tlp: Tlp): StixObject {
  return {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP_MARKING_IDS[tlp],
    created: "2022-10-01T00:00:00.000Z",
    name: `TLP:${tlp}`,
    extensions: { [TLP_EXTENSION]: { extension_type: "property-extension", tlp_2_0: tlp.toLowerCase() } },
  };
}

/** The object path of each indicator type in a pattern; hash keys with `-` are quoted (spec 9.7, FORMATS §0.3). */
const PATTERN_PATHS: Readonly<Record<Exclude<IocType, "cve">, string>> = {
  url: "url:value",
  domain: "domain-name:value",
  ipv4: "ipv4-addr:value",
  ipv6: "ipv6-addr:value",
  email: "email-addr:value",
  md5: "file:hashes.MD5",
  sha1: "file:hashes.'SHA-1'",
  sha256: "file:hashes.'SHA-256'",
  sha512: "file:hashes.'SHA-512'",
};

/** STIX hash-algorithm-ov names of our hash types. */
const HASH_NAMES = { md5: "MD5", sha1: "SHA-1", sha256: "SHA-256", sha512: "SHA-512" } as const;

/**
 * The STIX pattern of one indicator. This is the only place patterns are built (FORMATS invariant 6): inside the
 * string literal, `\` becomes `\\` and then `'` becomes `\'`, the only two escapes the grammar allows (spec 9.2).
 *
 * @param type Indicator type (not `cve`: a CVE is a vulnerability, not a pattern).
 * @param value Canonical, refanged value.
 * @returns The pattern, e.g. `[file:hashes.'SHA-1' = 'cad1…']`.
 * @example
 * stixPattern("url", "https://example.com/it's") // "[url:value = 'https://example.com/it\\'s']"
 */
export function stixPattern(type: Exclude<IocType, "cve">, value: string): string {
  const literal = value.replaceAll("\\", "\\\\").replaceAll("'", "\\'");
  return `[${PATTERN_PATHS[type]} = '${literal}']`;
}

/**
 * The STIX 2.1 bundle of a bulletin, as data.
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns The bundle; serialise it with {@link toStix}.
 * @example
 * toStixBundle(bulletin, { siteUrl: "https://atrc.example" }).objects.length
 */
export function toStixBundle(bulletin: Bulletin, options: ExportOptions): StixBundle {
  const siteUrl = checkedSiteUrl(options);
  const ns = producerNamespace(siteUrl);
  const meta = bulletin.original.meta;
  const created = stixTimestamp(meta.published);
  const modified = stixTimestamp(meta.modified);
  const marking = tlpMarking(meta.tlp);
  const identityId = stixId(ns, "identity", "ATRc");
  const scope = bulletin.id;
  const common = (type: string, name: string) => ({
    type,
    spec_version: "2.1",
    id: stixId(ns, type, `${scope}|${name}`),
    created_by_ref: identityId,
    created,
    modified,
  });
  const marked = { object_marking_refs: [marking.id] };

  const identity: StixObject = {
    type: "identity",
    spec_version: "2.1",
    id: identityId,
    // One fixed version: the identity is shared by every bundle we publish, so it must not change with each bulletin.
    created: PRODUCER_CREATED,
    modified: PRODUCER_CREATED,
    name: "ATRc",
    identity_class: "organization",
    contact_information: `${siteUrl}/`,
  };

  const [actorName, ...aliases] = meta.actors;
  const actor: StixObject | undefined =
    actorName === undefined
      ? undefined
      : {
          ...common("threat-actor", actorName),
          name: actorName,
          ...(aliases.length > 0 ? { aliases } : {}),
          ...marked,
        };
  const malware: StixObject[] = meta.malware.map((name) => ({
    ...common("malware", name),
    name,
    is_family: true,
    ...marked,
  }));
  const attackPatterns: StixObject[] = meta.attack.map((technique) => ({
    ...common("attack-pattern", technique),
    name: technique,
    external_references: [
      {
        source_name: "mitre-attack",
        url: `https://attack.mitre.org/techniques/${technique.replace(".", "/")}/`,
        external_id: technique,
      },
    ],
    ...marked,
  }));

  const indicators = indicatorsOf(bulletin);
  // Indicators and vulnerabilities share one list, so the bundle keeps the IOC order of every other format.
  const iocObjects: StixObject[] = [];
  const indicatorObjects: StixObject[] = [];
  const observables: StixObject[] = [];
  const vulnerabilities: StixObject[] = [];
  for (const indicator of indicators) {
    if (indicator.type === "cve") {
      const vulnerability: StixObject = {
        ...common("vulnerability", indicator.key),
        name: indicator.value,
        ...descriptionOf(indicator),
        external_references: [{ source_name: "cve", external_id: indicator.value }],
        ...marked,
      };
      vulnerabilities.push(vulnerability);
      iocObjects.push(vulnerability);
      continue;
    }
    const indicatorObject: StixObject = {
      ...common("indicator", indicator.key),
      name: indicator.value,
      ...descriptionOf(indicator),
      indicator_types: [indicator.type === "email" ? "attribution" : "malicious-activity"],
      pattern: stixPattern(indicator.type, indicator.value),
      pattern_type: "stix",
      pattern_version: "2.1",
      valid_from: created,
      ...marked,
    };
    indicatorObjects.push(indicatorObject);
    iocObjects.push(indicatorObject);
    const observable = observableOf(indicator.type, indicator.value, marking.id);
    if (observable) observables.push(observable);
  }

  const relationships: StixObject[] = [];
  const relate = (source: StixObject, relationshipType: string, target: StixObject) => {
    relationships.push({
      ...common("relationship", `${source.id}|${relationshipType}|${target.id}`),
      relationship_type: relationshipType,
      source_ref: source.id,
      target_ref: target.id,
      ...marked,
    });
  };
  // What the indicators point at: the malware if named, else the actor (spec 4.8 `indicates`).
  const indicated = malware.length > 0 ? malware : actor ? [actor] : [];
  for (const indicator of indicatorObjects)
    for (const target of indicated) relate(indicator, "indicates", target);
  for (const family of malware)
    for (const vulnerability of vulnerabilities) relate(family, "exploits", vulnerability);
  if (actor) for (const family of malware) relate(actor, "uses", family);
  // Techniques are the campaign's: used by the actor if named, else by the malware.
  const users = actor ? [actor] : malware;
  for (const user of users) for (const pattern of attackPatterns) relate(user, "uses", pattern);

  const members: StixObject[] = [
    identity,
    ...(actor ? [actor] : []),
    ...malware,
    ...attackPatterns,
    ...iocObjects,
    ...observables,
    ...relationships,
  ];
  const report: StixObject = {
    ...common("report", "report"),
    name: meta.title,
    description: meta.summary,
    report_types: ["threat-report"],
    published: created,
    object_refs: members.map((object) => object.id),
    lang: "es",
    external_references: reportReferences(siteUrl, bulletin),
    ...marked,
  };
  return {
    type: "bundle",
    id: stixId(ns, "bundle", `${scope}|r${meta.revision}|${meta.modified}`),
    objects: [identity, marking, report, ...members.slice(1)],
  };
}

/**
 * The STIX 2.1 bundle of a bulletin as JSON text (2-space indent, LF, final newline), ready to publish or to attach to
 * a PDF.
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns The bundle as JSON.
 * @example
 * const stix = toStix(bulletin, { siteUrl: "https://atrc.example" })
 */
export function toStix(bulletin: Bulletin, options: ExportOptions): string {
  return `${stixBody(bulletin, options)}\n`;
}

/**
 * {@link toStix} without its final newline, for `exportAll` to encode without a concatenation (see `jsonBody`).
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns The bundle as JSON, without the final newline.
 * @example
 * `${stixBody(bulletin, options)}\n` === toStix(bulletin, options) // true
 */
export function stixBody(bulletin: Bulletin, options: ExportOptions): string {
  return JSON.stringify(toStixBundle(bulletin, options), null, 2);
}

/** Version of the shared identity object; never changes unless the identity does. */
const PRODUCER_CREATED = "2023-01-01T00:00:00.000Z";

function descriptionOf(indicator: ExportIndicator): { description?: string } {
  const text = commentOf(indicator);
  return text === "" ? {} : { description: text };
}

/**
 * The SCO of an indicator value, or `undefined` when the value does not meet the SCO's own format: a `url` value MUST
 * be an RFC 3986 URI and an `email-addr` value an RFC 5322 addr-spec (spec 6.16, 6.5), while our canonical values may
 * be looser (a stray `%`, non-ASCII paths). The indicator pattern carries any value, so only the optional SCO is left out.
 */
function observableOf(
  type: Exclude<IocType, "cve">,
  value: string,
  markingId: string,
): StixObject | undefined {
  switch (type) {
    case "md5":
    case "sha1":
    case "sha256":
    case "sha512": {
      const hashes = { [HASH_NAMES[type]]: value };
      return {
        type: "file",
        spec_version: "2.1",
        id: scoId("file", { hashes }),
        hashes,
        object_marking_refs: [markingId],
      };
    }
    case "url":
    case "domain":
    case "ipv4":
    case "ipv6":
    case "email": {
      if ((type === "url" && !RFC3986_URI.test(value)) || (type === "email" && !ADDR_SPEC.test(value)))
        return undefined;
      const scoType = PATTERN_PATHS[type].slice(0, PATTERN_PATHS[type].indexOf(":"));
      return {
        type: scoType,
        spec_version: "2.1",
        id: scoId(scoType, { value }),
        value,
        object_marking_refs: [markingId],
      };
    }
  }
}

/** RFC 3986 unreserved and sub-delims characters (`\w` is `A-Za-z0-9_`). */
const UNRESERVED_OR_SUB = String.raw`\w\-.~!$&'()*+,;=`;
const PCT = "%[0-9A-Fa-f]{2}";
/** An RFC 3986 URI with an authority (scheme://…), as the STIX schema's `format: uri` checks it. */
const RFC3986_URI = new RegExp(
  String.raw`^[A-Za-z][A-Za-z0-9+.\-]*://` +
    String.raw`(?:(?:[${UNRESERVED_OR_SUB}:]|${PCT})*@)?(?:\[[0-9A-Fa-f:.]+\]|(?:[${UNRESERVED_OR_SUB}]|${PCT})*)(?::\d*)?` +
    String.raw`(?:/(?:[${UNRESERVED_OR_SUB}:@]|${PCT})*)*` +
    String.raw`(?:\?(?:[${UNRESERVED_OR_SUB}:@/?]|${PCT})*)?(?:#(?:[${UNRESERVED_OR_SUB}:@/?]|${PCT})*)?$`,
  "u",
);
/** An RFC 5322 dot-atom addr-spec (the domain part is already a validated host). */
const ADDR_SPEC = /^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*@[^@\s]+$/u;

function reportReferences(siteUrl: string, bulletin: Bulletin): Record<string, string>[] {
  const references: Record<string, string>[] = [
    {
      source_name: "ATRc",
      description: "Boletín (es)",
      url: pageUrl(siteUrl, bulletin, "es"),
      external_id: bulletin.id,
    },
  ];
  if (bulletin.documents.en) {
    references.push({
      source_name: "ATRc",
      description: "Bulletin (en)",
      url: pageUrl(siteUrl, bulletin, "en"),
    });
  }
  references.push({ source_name: "ATRc", description: "PDF (es)", url: pdfUrl(siteUrl, bulletin, "es") });
  if (bulletin.documents.en) {
    references.push({ source_name: "ATRc", description: "PDF (en)", url: pdfUrl(siteUrl, bulletin, "en") });
  }
  for (const reference of bulletin.original.references) {
    references.push({
      source_name: hostName(reference.url),
      description: reference.title,
      url: reference.url,
    });
  }
  return references;
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
