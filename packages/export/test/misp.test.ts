import type { Bulletin } from "@atrc/bulletin";
import { IOC_TYPES } from "@atrc/ioc";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { exportAll, MISP_MAPPING, mispFeed, toMisp, toMispEvent } from "../src/index.js";
import { loadThreeCx, makeBulletin, MISP_CATEGORIES, OPTIONS, text } from "./helpers.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/u;

describe("MISP_MAPPING", () => {
  it("maps every IOC type to a category MISP allows for its attribute type", () => {
    for (const type of IOC_TYPES) {
      const mapping = MISP_MAPPING[type];
      expect(MISP_CATEGORIES[mapping.type], `${type} → ${mapping.type}`).toContain(mapping.category);
    }
  });
});

describe("toMispEvent", () => {
  it("gives the 3CX event with deterministic uuids, string timestamps and the TLP:CLEAR tag", () => {
    const { Event: event } = toMispEvent(threeCx, OPTIONS);
    expect(event).toMatchObject({
      info: "Compromiso de la cadena de suministro de 3CX Desktop App",
      date: "2023-03-30",
      threat_level_id: "1",
      analysis: "2",
      published: true,
      timestamp: "1680134400",
      publish_timestamp: "1680134400",
      Orgc: { name: "ATRc" },
      Tag: [{ name: "tlp:clear", colour: "#ffffff" }],
    });
    expect(event.uuid).toMatch(UUID);
    expect(event.Orgc.uuid).toMatch(UUID);
    expect(event.Attribute).toHaveLength(22);
    expect(new Set(event.Attribute.map((attribute) => attribute.uuid)).size).toBe(22);
    for (const attribute of event.Attribute) {
      expect(attribute.uuid).toMatch(UUID);
      expect(attribute.timestamp).toBe("1680134400");
      expect(MISP_CATEGORIES[attribute.type]).toContain(attribute.category);
      expect(Object.keys(attribute)).toEqual([
        "uuid",
        "type",
        "category",
        "value",
        "to_ids",
        "comment",
        "timestamp",
        "deleted",
        "disable_correlation",
      ]);
    }
    expect(Object.keys(event)).not.toContain("id");
    expect(Object.keys(event)).not.toContain("distribution");
  });

  it("maps URLs to url/Network activity, SHA-1 to Payload delivery and the proton.me addresses to email without IDS", () => {
    const attributes = toMispEvent(threeCx, OPTIONS).Event.Attribute;
    const byType = (type: string) => attributes.filter((attribute) => attribute.type === type);
    expect(byType("url")).toHaveLength(17);
    expect(byType("sha1").map((attribute) => [attribute.category, attribute.to_ids])).toEqual(
      Array(3).fill(["Payload delivery", true]),
    );
    expect(
      byType("email").map((attribute) => [attribute.value, attribute.category, attribute.to_ids]),
    ).toEqual([
      ["cliego.garcia@proton.me", "Social network", false],
      ["philip.je@proton.me", "Social network", false],
    ]);
    expect(byType("email")[0]!.comment).toContain("proton.me es legítimo");
    expect(byType("domain")).toEqual([]);
  });

  it("takes the threat level from the severity and truncates a long title to 256 characters on one line", () => {
    const bulletin = makeBulletin({
      severity: "low",
      title: `${"a".repeat(300)}\nb`,
      indicators: [{ type: "domain", value: "example.com" }],
    });
    const { Event: event } = toMispEvent(bulletin, OPTIONS);
    expect(event.threat_level_id).toBe("3");
    expect([...event.info]).toHaveLength(256);
    expect(event.info).not.toContain("\n");
    expect(
      toMispEvent(makeBulletin({ severity: "medium", indicators: [] }), OPTIONS).Event.threat_level_id,
    ).toBe("2");
  });
});

describe("mispFeed", () => {
  it("writes a manifest entry, an event file and a hashes.csv line per attribute", () => {
    const other = makeBulletin({ id: "ATRC-2024-001", indicators: [{ type: "ipv4", value: "203.0.113.7" }] });
    const files = exportAll([threeCx, other], OPTIONS);
    const manifest = JSON.parse(text(files.get("feeds/misp/manifest.json"))) as Record<
      string,
      Record<string, unknown>
    >;
    const uuids = Object.keys(manifest);
    expect(uuids).toHaveLength(2);
    expect(uuids).toEqual([...uuids].sort());
    const hashes = text(files.get("feeds/misp/hashes.csv"));
    const expectedLines: string[] = [];
    for (const uuid of uuids) {
      const { Event: event } = JSON.parse(text(files.get(`feeds/misp/${uuid}.json`))) as ReturnType<
        typeof toMispEvent
      >;
      expect(event.uuid).toBe(uuid);
      expect(manifest[uuid]).toEqual({
        Orgc: event.Orgc,
        Tag: [{ name: "tlp:clear", colour: "#ffffff", local: false, relationship_type: "" }],
        info: event.info,
        date: event.date,
        analysis: event.analysis,
        threat_level_id: event.threat_level_id,
        timestamp: event.timestamp,
      });
      for (const attribute of event.Attribute) {
        expectedLines.push(`${createHash("md5").update(attribute.value).digest("hex")},${uuid}`);
      }
    }
    expect(hashes.split("\n").slice(0, -1)).toEqual(expectedLines);
    expect(hashes.endsWith("\n")).toBe(true);
  });

  it("publishes the same bytes in the feed as in the per-bulletin MISP file", () => {
    const files = exportAll([threeCx], OPTIONS);
    const { uuid } = toMispEvent(threeCx, OPTIONS).Event;
    expect(text(files.get(`feeds/misp/${uuid}.json`))).toBe(toMisp(threeCx, OPTIONS));
    expect(text(files.get("iocs/atrc-2023-001.misp.json"))).toBe(toMisp(threeCx, OPTIONS));
  });

  it("refuses two events with the same uuid", () => {
    const event = toMispEvent(threeCx, OPTIONS);
    expect(() => mispFeed([event, event])).toThrow(TypeError);
  });
});
