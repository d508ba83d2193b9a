/** Shared test fixtures: the real 3CX bulletin, generated bulletins, and validators for every format. */
import type { Bulletin, BulletinDocument, BulletinMeta, Indicator, Severity } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { defang, hostOf, IOC_TYPES, isBenignHost, validate, type IocType } from "@atrc/ioc";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IOC_JSON_SCHEMA } from "../src/index.js";

/** The options every test exports with. */
export const OPTIONS = { siteUrl: "https://atrc.example" } as const;

/** The real content folder of the repository. */
export const CONTENT = fileURLToPath(new URL("../../../content", import.meta.url));

/**
 * The real 3CX bulletin, loaded and checked exactly as the CLI does.
 *
 * @returns The bulletin.
 */
export async function loadThreeCx(): Promise<Bulletin> {
  const { bulletins, files } = await loadContent([`${CONTENT}/bulletins/2023-03-3cx`]);
  const errors = files.flatMap((file) => file.messages.filter((message) => message.fatal === true));
  if (errors.length > 0 || bulletins[0] === undefined)
    throw new Error(`3CX bulletin does not check: ${errors.join("\n")}`);
  return bulletins[0];
}

// ajv-formats is CommonJS; its default export arrives wrapped depending on the loader.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => Ajv2020;

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats lacks idn-hostname; the STIX schemas only use it for email-addr-like fields we never fill with IDNs.
  ajv.addFormat("idn-hostname", true);
  return ajv;
}

const STIX_BASE = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas";
let stixAjv: Ajv2020 | undefined;

/**
 * A validator for one STIX 2.1 schema from the vendored OASIS copy.
 *
 * @param entry Schema path under `schemas/`, e.g. `common/bundle.json` or `sdos/indicator.json`.
 * @returns The compiled validator.
 */
export function stixSchema(entry: string): ValidateFunction {
  if (!stixAjv) {
    stixAjv = newAjv();
    const root = fileURLToPath(new URL("schemas/stix2.1/", import.meta.url));
    for (const folder of ["common", "sdos", "sros", "observables"]) {
      for (const name of readdirSync(`${root}${folder}`).sort()) {
        stixAjv.addSchema(JSON.parse(readFileSync(`${root}${folder}/${name}`, "utf8")) as object);
      }
    }
  }
  const validateFunction = stixAjv.getSchema(`${STIX_BASE}/${entry}`);
  if (!validateFunction) throw new Error(`No STIX schema ${entry}`);
  return validateFunction;
}

/** The STIX schema entry point for an object type, or undefined for types without their own schema. */
export function stixSchemaFor(type: string): string | undefined {
  if (type === "relationship" || type === "sighting") return `sros/${type}.json`;
  if (type === "marking-definition") return "common/marking-definition.json";
  const sdo = [
    "attack-pattern",
    "identity",
    "indicator",
    "malware",
    "report",
    "threat-actor",
    "vulnerability",
  ];
  if (sdo.includes(type)) return `sdos/${type}.json`;
  const sco = ["url", "domain-name", "ipv4-addr", "ipv6-addr", "email-addr", "file"];
  return sco.includes(type) ? `observables/${type}.json` : undefined;
}

let iocValidator: ValidateFunction | undefined;

/**
 * The validator of our own JSON Schema.
 *
 * @returns The compiled validator.
 */
export function iocJsonSchema(): ValidateFunction {
  iocValidator ??= newAjv().compile(IOC_JSON_SCHEMA);
  return iocValidator;
}

/**
 * Valid (type, category) pairs for the MISP types we emit, vendored from MISP `AttributesTable.php`
 * `generateCategoryDefinitions()` (MISP/MISP @26720dd; FORMATS §3.2 says to check against a vendored copy).
 */
export const MISP_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  url: ["Payload delivery", "Network activity", "External analysis"],
  domain: ["Payload delivery", "Network activity", "External analysis"],
  hostname: ["Payload delivery", "Network activity", "External analysis"],
  "ip-dst": ["Payload delivery", "Network activity", "External analysis"],
  email: ["Payload delivery", "Network activity", "Attribution", "Social network", "Person"],
  md5: ["Payload delivery", "Artifacts dropped", "Payload installation", "External analysis"],
  sha1: ["Payload delivery", "Artifacts dropped", "Payload installation", "External analysis"],
  sha256: ["Payload delivery", "Artifacts dropped", "Payload installation", "External analysis"],
  sha512: ["Payload delivery", "Artifacts dropped", "Payload installation"],
  vulnerability: ["Payload delivery", "Payload installation", "External analysis"],
};

/** Decode UTF-8 bytes, failing on anything that is not UTF-8. */
export function text(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) throw new Error("missing file");
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

// ---------------------------------------------------------------------------------------------------------------
// Generated bulletins: the model is plain data, so a property test can build it directly from canonical values.

/** A bulletin document with only the fields exports read filled in. */
function documentOf(meta: BulletinMeta, indicators: readonly Indicator[]): BulletinDocument {
  return {
    path: `content/bulletins/generated/${meta.lang}.md`,
    meta,
    body: { type: "root", children: [] },
    sections: [],
    tables: [],
    indicators,
    references: [{ title: "Source", url: "https://example.org/report", place: { line: 1, column: 1 } }],
  };
}

/** What a generated bulletin is made of. */
export interface BulletinSpec {
  readonly id?: string;
  readonly slug?: string;
  readonly tlp?: BulletinMeta["tlp"];
  readonly severity?: Severity;
  readonly published?: string;
  readonly modified?: string;
  readonly title?: string;
  readonly malware?: readonly string[];
  readonly actors?: readonly string[];
  readonly attack?: readonly string[];
  readonly english?: boolean;
  readonly indicators: readonly {
    type: IocType;
    value: string;
    description?: string;
    descriptionEn?: string;
  }[];
}

/**
 * Build a bulletin from canonical indicator values, the way the parser would.
 *
 * @param spec What to put in it.
 * @returns The bulletin.
 */
export function makeBulletin(spec: BulletinSpec): Bulletin {
  const base: BulletinMeta = {
    id: spec.id ?? "ATRC-2024-042",
    lang: "es",
    title: spec.title ?? "Boletín de prueba",
    summary: "Resumen de prueba.",
    published: spec.published ?? "2024-05-01",
    modified: spec.modified ?? spec.published ?? "2024-05-01",
    revision: 1,
    tlp: spec.tlp ?? "CLEAR",
    severity: spec.severity ?? "high",
    tags: [],
    actors: spec.actors ?? [],
    products: [],
    malware: spec.malware ?? [],
    attack: spec.attack ?? [],
  };
  const indicatorsIn = (lang: "es" | "en"): Indicator[] =>
    spec.indicators.map((entry, index) => {
      const host = hostOf(entry.type, entry.value);
      return {
        type: entry.type,
        value: entry.value,
        defanged: defang(entry.value),
        key: `${entry.type}:${entry.value}`,
        description: (lang === "es" ? entry.description : entry.descriptionEn) ?? "",
        benignHost: host !== null && isBenignHost(host),
        place: { line: index + 1, column: 1 },
      };
    });
  const original = documentOf(base, indicatorsIn("es"));
  const documents: Bulletin["documents"] =
    spec.english === false
      ? { es: original }
      : {
          es: original,
          en: documentOf(
            { ...base, lang: "en", title: `${base.title} (en)`, translation: { source: "es", revision: 1 } },
            indicatorsIn("en"),
          ),
        };
  return { id: base.id, slug: spec.slug ?? "2024-05-prueba", original, documents };
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/u);
const tld = fc.constantFrom("com", "net", "org", "es", "io", "info");
const domainArb = fc
  .tuple(fc.array(label, { minLength: 1, maxLength: 3 }), tld)
  .map(([labels, top]) => `${labels.join(".")}.${top}`);
const benignBase = fc.constantFrom("github.com", "raw.githubusercontent.com", "proton.me", "dropbox.com");
const hex = (length: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${length}}$`, "u"));

/** A raw value for a type, as an analyst might write it (validated and canonicalised before use). */
function rawValue(type: IocType): fc.Arbitrary<string> {
  switch (type) {
    case "url":
      return fc
        .tuple(
          fc.constantFrom("http", "https"),
          fc.oneof(domainArb, benignBase),
          fc.stringMatching(/^[\w/'.~%=&?-]{0,24}$/u),
        )
        .map(([scheme, host, path]) => `${scheme}://${host}/${path}`);
    case "domain":
      return domainArb;
    case "ipv4":
      return fc.ipV4();
    case "ipv6":
      return fc.ipV6();
    case "email":
      return fc
        .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._]{0,10}$/u), fc.oneof(domainArb, benignBase))
        .map(([local, host]) => `${local}@${host}`);
    case "md5":
      return hex(32);
    case "sha1":
      return hex(40);
    case "sha256":
      return hex(64);
    case "sha512":
      return hex(128);
    case "cve":
      return fc
        .tuple(fc.integer({ min: 1999, max: 2030 }), fc.integer({ min: 1000, max: 999_999 }))
        .map(([year, number]) => `CVE-${year}-${number}`);
  }
}

/** Free text, biased towards what breaks CSV and spreadsheets. */
export const descriptionArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '=HYPERLINK("https://evil.example/x","Haz clic")',
    "+34 600 000 000",
    "-1+1",
    "@SUM(A1:A2)",
    "\tindented",
    "\rcarriage",
    "＝1+1",
    'comma, and "quotes"',
    "línea\nnueva",
    "Servidor de mando y control (C2)",
  ),
);

/** A canonical indicator of any type that the checker would accept (benign hosts never as domains). */
export const indicatorArb = fc
  .constantFrom(...IOC_TYPES)
  .chain((type) => rawValue(type).map((raw) => ({ type, result: validate(type, raw) })))
  .filter(({ type, result }) => {
    if (!result.ok) return false;
    const host = hostOf(type, result.value);
    return !(type === "domain" && host !== null && isBenignHost(host));
  })
  .chain(({ type, result }) =>
    fc.record({
      type: fc.constant(type),
      value: fc.constant(result.ok ? result.value : ""),
      description: descriptionArb,
      descriptionEn: descriptionArb,
    }),
  );

/** A whole generated bulletin spec. */
export const bulletinSpecArb: fc.Arbitrary<BulletinSpec> = fc.record({
  id: fc.integer({ min: 1, max: 999 }).map((number) => `ATRC-2024-${String(number).padStart(3, "0")}`),
  severity: fc.constantFrom<Severity>("low", "medium", "high", "critical"),
  published: fc.constantFrom("2023-01-31", "2024-02-29", "2025-12-31"),
  title: fc.string({ minLength: 1, maxLength: 300 }),
  malware: fc.uniqueArray(fc.constantFrom("SmoothOperator", "ICONICSTEALER", "Emotet"), { maxLength: 2 }),
  actors: fc.uniqueArray(fc.constantFrom("Lazarus Group", "APT38", "UNC4736"), { maxLength: 3 }),
  attack: fc.uniqueArray(fc.constantFrom("T1195.002", "T1027", "T1071.001"), { maxLength: 3 }),
  english: fc.boolean(),
  indicators: fc.uniqueArray(indicatorArb, {
    minLength: 1,
    maxLength: 25,
    selector: (entry) => `${entry.type}:${entry.value}`,
  }),
});
