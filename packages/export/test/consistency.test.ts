/**
 * FORMATS invariant 2: the same IOC set (count and values, in the same order) in JSON, CSV, STIX and MISP, for the real
 * 3CX bulletin and for generated bulletins; plus invariants 1, 4, 8 and 10 on the generated ones.
 */
import type { Bulletin } from "@atrc/bulletin";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  exportBulletin,
  exportPaths,
  type JsonExport,
  type MispEvent,
  type StixBundle,
} from "../src/index.js";
import {
  bulletinSpecArb,
  iocJsonSchema,
  loadThreeCx,
  makeBulletin,
  MISP_CATEGORIES,
  OPTIONS,
  stixSchema,
  text,
} from "./helpers.js";
import { lintStixBundle, parsePattern } from "./stix-lint.js";

interface Views {
  json: JsonExport;
  csv: Record<string, string>[];
  stix: StixBundle;
  misp: MispEvent;
}

function views(bulletin: Bulletin): Views {
  const files = exportBulletin(bulletin, OPTIONS);
  const paths = exportPaths(bulletin);
  return {
    json: JSON.parse(text(files.get(paths.json))) as JsonExport,
    csv: parse<Record<string, string>>(text(files.get(paths.csv)), { columns: true }),
    stix: JSON.parse(text(files.get(paths.stix))) as StixBundle,
    misp: JSON.parse(text(files.get(paths.misp))) as MispEvent,
  };
}

/** The IOC values each format carries, in file order. */
function valueLists({ json, csv, stix, misp }: Views) {
  return {
    json: json.iocs.map((ioc) => ioc.value),
    csv: csv.map((row) => row.value),
    stix: stix.objects.flatMap((object) => {
      if (object.type === "indicator")
        return [parsePattern(String(object.pattern))?.value ?? `unparsable ${String(object.pattern)}`];
      if (object.type === "vulnerability") return [String(object.name)];
      return [];
    }),
    misp: misp.Event.Attribute.map((attribute) => attribute.value),
  };
}

function expectConsistent(bulletin: Bulletin): void {
  const all = views(bulletin);
  const lists = valueLists(all);
  const expected = all.json.iocs.map((ioc) => ioc.value);
  expect(new Set(expected).size).toBe(expected.length);
  expect(lists).toEqual({ json: expected, csv: expected, stix: expected, misp: expected });
  // The ids the JSON gives resolve in the STIX bundle and the MISP event.
  const stixIds = new Set(all.stix.objects.map((object) => object.id));
  const mispIds = new Set(all.misp.Event.Attribute.map((attribute) => attribute.uuid));
  for (const ioc of all.json.iocs) {
    expect(stixIds.has(ioc.stix_indicator_id ?? ioc.stix_vulnerability_id ?? "")).toBe(true);
    expect(mispIds.has(ioc.misp_attribute_uuid)).toBe(true);
  }
  expect(stixIds.has(all.json.bulletin.stix_report_id)).toBe(true);
  expect(all.json.bulletin.misp_event_uuid).toBe(all.misp.Event.uuid);
  // to_ids and the defanged form agree across JSON, CSV and MISP.
  all.json.iocs.forEach((ioc, index) => {
    expect(all.csv[index]).toMatchObject({
      type: ioc.type,
      value_defanged: ioc.value_defanged,
      to_ids: String(ioc.to_ids),
      benign_host: String(ioc.benign_host),
    });
    expect(all.misp.Event.Attribute[index]).toMatchObject({
      to_ids: ioc.to_ids,
      type: ioc.misp_type,
      category: ioc.misp_category,
    });
  });
}

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

describe("cross-format consistency", () => {
  it("gives the 22 3CX indicators (17 url, 2 email, 3 sha1) in the same order in JSON, CSV, STIX and MISP", () => {
    expectConsistent(threeCx);
    const { json } = views(threeCx);
    expect(json.iocs.map((ioc) => ioc.type)).toEqual([
      ...Array<string>(17).fill("url"),
      "email",
      "email",
      "sha1",
      "sha1",
      "sha1",
    ]);
  });

  it("leaves a benign host given as a domain indicator out of every format", () => {
    const bulletin = makeBulletin({
      indicators: [
        { type: "domain", value: "github.com" },
        { type: "domain", value: "evil.example.com" },
        { type: "url", value: "https://github.com/evil/repo" },
      ],
    });
    expectConsistent(bulletin);
    expect(valueLists(views(bulletin)).json).toEqual(["https://github.com/evil/repo", "evil.example.com"]);
  });

  it("keeps the same IOC set in every format for generated bulletins, each valid in its own format", () => {
    const bundleSchema = stixSchema("common/bundle.json");
    const jsonSchema = iocJsonSchema();
    fc.assert(
      fc.property(bulletinSpecArb, (spec) => {
        const bulletin = makeBulletin(spec);
        expectConsistent(bulletin);
        const { json, csv, stix, misp } = views(bulletin);
        expect(bundleSchema(stix), JSON.stringify(bundleSchema.errors?.slice(0, 3))).toBe(true);
        expect(lintStixBundle(stix)).toEqual([]);
        expect(jsonSchema(json), JSON.stringify(jsonSchema.errors?.slice(0, 3))).toBe(true);
        for (const attribute of misp.Event.Attribute)
          expect(MISP_CATEGORIES[attribute.type]).toContain(attribute.category);
        // Invariant 1: machine values never defanged; invariant 9: no benign host as a domain indicator.
        for (const ioc of json.iocs) {
          expect(ioc.value).not.toMatch(/\[\.\]|\[@\]|\[:\]|^hxxp/u);
          expect(ioc.type === "domain" && ioc.benign_host).toBe(false);
        }
        // Invariant 8: free text that starts like a formula gets a leading quote; the rest round-trips untouched.
        for (const row of csv) {
          const source = json.iocs.find((ioc) => ioc.value === row.value)!;
          const expectedEs = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/u.test(source.description.es)
            ? `'${source.description.es}`
            : source.description.es;
          expect(row.description_es).toBe(expectedEs);
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
