/**
 * What the OASIS schemas do not check (FORMATS §2.5): pattern syntax per indicator type, quoted hash keys, references
 * that resolve, duplicate ids, UUID version/variant bits, `modified >= created`, and TLP 2.0 markings copied verbatim.
 * Returns one sentence per problem, so a failing test shows them all.
 */

/** A STIX object, loosely typed. */
type StixObject = Record<string, unknown> & { type: string; id: string };

/** UUIDv4 or v5 with the RFC 9562 variant; every id we mint is v5, SCOs included. */
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;
const ANY_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

/** The fixed TLP 2.0 marking ids (cti-stix-common-objects); these are v4, never ours. */
const TLP2 = new Map([
  ["marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "clear"],
  ["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "green"],
  ["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "amber"],
  ["marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "amber+strict"],
  ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "red"],
]);

/** A string literal as the pattern grammar allows it: only `\\` and `\'` escapes. */
const LITERAL = String.raw`'((?:[^'\\]|\\['\\])*)'`;

/** One regex per pattern kind we emit; anything else is an error. */
const PATTERNS: readonly {
  readonly name: string;
  readonly regex: RegExp;
  readonly check?: (value: string) => boolean;
}[] = [
  {
    name: "url",
    regex: new RegExp(`^\\[url:value = ${LITERAL}\\]$`, "u"),
    check: (value) => /^https?:\/\/[^\s/?#]+/u.test(value),
  },
  {
    name: "domain-name",
    regex: new RegExp(`^\\[domain-name:value = ${LITERAL}\\]$`, "u"),
    check: (value) => /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/u.test(value),
  },
  {
    name: "ipv4-addr",
    regex: new RegExp(`^\\[ipv4-addr:value = ${LITERAL}\\]$`, "u"),
    check: (value) =>
      /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/u.test(value),
  },
  {
    name: "ipv6-addr",
    regex: new RegExp(`^\\[ipv6-addr:value = ${LITERAL}\\]$`, "u"),
    check: (value) => /^[0-9a-f:.]+$/u.test(value) && value.includes(":"),
  },
  {
    name: "email-addr",
    regex: new RegExp(`^\\[email-addr:value = ${LITERAL}\\]$`, "u"),
    check: (value) => /^[^@\s]+@[a-z0-9.-]+$/u.test(value),
  },
  { name: "md5", regex: /^\[file:hashes\.MD5 = '([0-9a-f]{32})'\]$/u },
  { name: "sha1", regex: /^\[file:hashes\.'SHA-1' = '([0-9a-f]{40})'\]$/u },
  { name: "sha256", regex: /^\[file:hashes\.'SHA-256' = '([0-9a-f]{64})'\]$/u },
  { name: "sha512", regex: /^\[file:hashes\.'SHA-512' = '([0-9a-f]{128})'\]$/u },
];

/**
 * Undo the pattern string-literal escapes (`\'`, `\\`).
 *
 * @param literal The text between the quotes.
 * @returns The value.
 */
export function unescapeLiteral(literal: string): string {
  return literal.replace(/\\(['\\])/gu, "$1");
}

/**
 * The value a pattern we emit matches, or `undefined` when the pattern is not one of ours.
 *
 * @param pattern A STIX pattern.
 * @returns The kind (`url`, `sha1`…) and the unescaped value.
 */
export function parsePattern(pattern: string): { kind: string; value: string } | undefined {
  for (const { name, regex } of PATTERNS) {
    const match = regex.exec(pattern);
    if (match) return { kind: name, value: unescapeLiteral(match[1]!) };
  }
  return undefined;
}

/**
 * Lint a bundle: every problem as one sentence (empty when clean).
 *
 * @param bundle A parsed STIX bundle.
 * @returns Problems.
 */
export function lintStixBundle(bundle: { type?: unknown; id?: unknown; objects?: unknown }): string[] {
  const problems: string[] = [];
  if (bundle.type !== "bundle") problems.push("the top level is not a bundle");
  if (typeof bundle.id !== "string" || !checkId(bundle.id, "bundle"))
    problems.push(`bad bundle id ${String(bundle.id)}`);
  const objects = Array.isArray(bundle.objects) ? (bundle.objects as StixObject[]) : [];
  const ids = new Map<string, StixObject>();
  for (const object of objects) {
    if (ids.has(object.id)) problems.push(`duplicate id ${object.id}`);
    ids.set(object.id, object);
  }
  for (const object of objects) {
    const tlp = TLP2.get(object.id);
    if (object.type === "marking-definition") {
      if (tlp === undefined) problems.push(`${object.id} is not a TLP 2.0 marking (never mint markings)`);
      else if (
        object.created !== "2022-10-01T00:00:00.000Z" ||
        object.name !== `TLP:${tlp.toUpperCase()}` ||
        JSON.stringify(object.extensions) !==
          JSON.stringify({
            "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
              extension_type: "property-extension",
              tlp_2_0: tlp,
            },
          })
      ) {
        problems.push(`${object.id} differs from the TLP 2.0 marking it claims to be`);
      }
    } else if (!checkId(object.id, object.type)) {
      problems.push(`${object.id} is not \`${object.type}--\` + a UUIDv5 with the RFC 9562 variant`);
    }
    for (const [key, value] of Object.entries(object)) {
      const refs = key.endsWith("_ref")
        ? [value]
        : key.endsWith("_refs") && Array.isArray(value)
          ? value
          : [];
      for (const ref of refs) {
        if (typeof ref !== "string" || !ids.has(ref))
          problems.push(`${object.id} ${key} → ${String(ref)} does not resolve`);
      }
    }
    if (
      typeof object.created === "string" &&
      typeof object.modified === "string" &&
      object.modified < object.created
    ) {
      problems.push(`${object.id} modified ${object.modified} is before created ${object.created}`);
    }
    if (object.type === "indicator") {
      const pattern = object.pattern;
      if (typeof pattern !== "string" || parsePattern(pattern) === undefined)
        problems.push(`${object.id} pattern ${String(pattern)} is not one we allow`);
      else {
        const { kind, value } = parsePattern(pattern)!;
        const rule = PATTERNS.find((entry) => entry.name === kind);
        if (rule?.check && !rule.check(value))
          problems.push(`${object.id} ${kind} value ${value} is malformed`);
        if (/file:hashes\.(?!MD5\b)[A-Z0-9]+-/u.test(pattern) || /file:hashes\.'MD5'/u.test(pattern)) {
          problems.push(`${object.id} hash key quoting is wrong in ${pattern}`);
        }
      }
      if (object.pattern_type !== "stix" || object.pattern_version !== "2.1")
        problems.push(`${object.id} is not a STIX 2.1 pattern`);
      if (typeof object.valid_from !== "string") problems.push(`${object.id} has no valid_from`);
    }
    if (object.type === "report") {
      const refs = new Set(object.object_refs as string[]);
      for (const other of objects) {
        if (other !== object && other.type !== "marking-definition" && !refs.has(other.id)) {
          problems.push(`report does not list ${other.id} in object_refs`);
        }
      }
    }
  }
  return problems;
}

function checkId(id: string, type: string): boolean {
  const prefix = `${type}--`;
  if (!id.startsWith(prefix)) return false;
  const uuid = id.slice(prefix.length);
  return UUID_V5.test(uuid) && ANY_UUID.test(uuid);
}
