/**
 * The fast paths give exactly what the straightforward code gives: the UUIDv5 implementation against the `uuid`
 * package, the cached indicator lists against a fresh computation, and the aggregates `exportAll` assembles from
 * per-bulletin texts (`iocs/all.json`, `iocs/all.csv`, the MISP feed) against one plain serialisation of the data.
 */
import type { Bulletin } from "@atrc/bulletin";
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { v5 as uuidv5 } from "uuid";
import { beforeAll, describe, expect, it } from "vitest";
import { csvOf, csvRowsOf } from "../src/csv.js";
import { producerNamespace, STIX_SCO_NAMESPACE, uuid5 } from "../src/ids.js";
import { computeIndicators, exportIndicators, indicatorsOf } from "../src/indicators.js";
import {
  CSV_COLUMNS,
  exportAll,
  exportPaths,
  mispFeed,
  publicBulletins,
  toCsv,
  toJson,
  toJsonExport,
  toMisp,
  toMispEvent,
  toStix,
  type JsonCollection,
} from "../src/index.js";
import { jsonOf } from "../src/json.js";
import { bulletinSpecArb, loadThreeCx, makeBulletin, OPTIONS, text } from "./helpers.js";

describe("uuid5", () => {
  it("equals the uuid package's v5 for any name and namespace", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 300 }).filter((name) => name.isWellFormed()),
        fc.oneof(fc.uuid(), fc.constantFrom(uuidv5.URL, uuidv5.DNS, STIX_SCO_NAMESPACE)),
        (name, namespace) => {
          expect(uuid5(name, namespace)).toBe(uuidv5(name, namespace));
          expect(uuid5(name, namespace.toUpperCase())).toBe(uuidv5(name, namespace.toUpperCase()));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("equals v5 on the names the exports hash (ASCII, Latin-1, astral characters, empty)", () => {
    const ns = producerNamespace(OPTIONS.siteUrl);
    expect(ns).toBe(uuidv5(`${OPTIONS.siteUrl}/`, uuidv5.URL));
    for (const name of [
      "",
      "indicator|ATRC-2023-001|url:https://example.com/ñ",
      "misp|org|ATRc",
      "🦀|x",
      "a'b\\c",
    ])
      expect(uuid5(name, ns)).toBe(uuidv5(name, ns));
  });

  it("rejects what v5 rejects: a namespace that is not a UUID, a name with a lone surrogate", () => {
    expect(() => uuidv5("x", "not-a-uuid")).toThrow(TypeError);
    expect(() => uuid5("x", "not-a-uuid")).toThrow(TypeError);
    expect(() => uuidv5("\uD800", uuidv5.URL)).toThrow(URIError);
    expect(() => uuid5("\uD800", uuidv5.URL)).toThrow(URIError);
  });
});

describe("cached indicators", () => {
  it("equal a fresh computation, are computed once and cannot be changed", () => {
    fc.assert(
      fc.property(bulletinSpecArb, (spec) => {
        const bulletin = makeBulletin(spec);
        expect(indicatorsOf(bulletin)).toEqual(computeIndicators(bulletin));
        expect(indicatorsOf(bulletin)).toBe(indicatorsOf(bulletin));
        expect(Object.isFrozen(indicatorsOf(bulletin))).toBe(true);
        for (const indicator of indicatorsOf(bulletin))
          expect(Object.isFrozen(indicator.description)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("hand every exportIndicators caller its own array", async () => {
    const bulletin = await loadThreeCx();
    const list = exportIndicators(bulletin);
    list.reverse().pop();
    expect(exportIndicators(bulletin)).toEqual(computeIndicators(bulletin));
    expect(exportIndicators(bulletin)).not.toBe(exportIndicators(bulletin));
  });
});

/** What the aggregates were before they were assembled from per-bulletin texts: one plain serialisation each. */
function plainJsonOf(bulletins: readonly Bulletin[]): string {
  const collection: JsonCollection = {
    $schema: "https://atrc.example/schema/atrc-iocs-v1.json",
    schema_version: "1",
    bulletins: bulletins.map((bulletin) => {
      const { bulletin: meta, iocs } = toJsonExport(bulletin, OPTIONS);
      return { bulletin: meta, iocs };
    }),
  };
  return `${JSON.stringify(collection, null, 2)}\n`;
}

function plainCsvOf(bulletins: readonly Bulletin[]): string {
  const records = bulletins.flatMap((bulletin) =>
    computeIndicators(bulletin).map((indicator) => [
      bulletin.id,
      indicator.type,
      indicator.value,
      indicator.defanged,
      String(indicator.benignHost),
      String(indicator.misp.toIds),
      indicator.description.es,
      indicator.description.en ?? "",
      `TLP:${bulletin.original.meta.tlp}`,
      bulletin.original.meta.published,
    ]),
  );
  return stringify(records, {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: "\r\n",
    escape_formulas: true,
    bom: false,
  });
}

/** Distinct generated bulletins (unique ids), in a fixed order. */
const bulletinsArb = fc
  .uniqueArray(bulletinSpecArb, { selector: (spec) => spec.id, minLength: 0, maxLength: 5 })
  .map((specs) => specs.map((spec) => makeBulletin(spec)));

describe("aggregates from per-bulletin texts", () => {
  let threeCx: Bulletin;
  beforeAll(async () => {
    threeCx = await loadThreeCx();
  });

  it("give iocs/all.json and iocs/all.csv byte for byte as one plain serialisation", () => {
    expect(jsonOf([threeCx], OPTIONS)).toBe(plainJsonOf([threeCx]));
    expect(csvOf([threeCx], OPTIONS)).toBe(plainCsvOf([threeCx]));
    expect(jsonOf([], OPTIONS)).toBe(plainJsonOf([]));
    expect(csvOf([], OPTIONS)).toBe(plainCsvOf([]));
    fc.assert(
      fc.property(bulletinsArb, (bulletins) => {
        expect(jsonOf(bulletins, OPTIONS)).toBe(plainJsonOf(bulletins));
        expect(csvOf(bulletins, OPTIONS)).toBe(plainCsvOf(bulletins));
        for (const bulletin of bulletins) expect(toCsv(bulletin, OPTIONS)).toBe(plainCsvOf([bulletin]));
      }),
      { numRuns: 60 },
    );
    expect(csvRowsOf(threeCx)).toBe(plainCsvOf([threeCx]).slice(plainCsvOf([]).length));
  });

  it("make exportAll give the same bytes as the public per-format functions", () => {
    fc.assert(
      fc.property(bulletinsArb, (bulletins) => {
        const files = exportAll([threeCx, ...bulletins], OPTIONS);
        const published = publicBulletins([threeCx, ...bulletins]);
        for (const bulletin of published) {
          const paths = exportPaths(bulletin);
          expect(text(files.get(paths.json))).toBe(toJson(bulletin, OPTIONS));
          expect(text(files.get(paths.csv))).toBe(toCsv(bulletin, OPTIONS));
          expect(text(files.get(paths.stix))).toBe(toStix(bulletin, OPTIONS));
          expect(text(files.get(paths.misp))).toBe(toMisp(bulletin, OPTIONS));
        }
        expect(text(files.get("iocs/all.json"))).toBe(plainJsonOf(published));
        expect(text(files.get("iocs/all.csv"))).toBe(plainCsvOf(published));
        const feed = mispFeed(published.map((bulletin) => toMispEvent(bulletin, OPTIONS)));
        for (const [name, content] of feed) expect(text(files.get(`feeds/misp/${name}`))).toBe(content);
        for (const bulletin of published) {
          const { Event } = toMispEvent(bulletin, OPTIONS);
          expect(feed.get(`${Event.uuid}.json`)).toBe(toMisp(bulletin, OPTIONS));
        }
      }),
      { numRuns: 25 },
    );
  });

  it("is a pure function: two calls on the same bulletins give the same bytes", () => {
    const first = exportAll([threeCx], OPTIONS);
    const second = exportAll([threeCx], OPTIONS);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, bytes] of first) expect(second.get(path)).toEqual(bytes);
  });
});
