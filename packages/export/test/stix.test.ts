import type { Bulletin } from "@atrc/bulletin";
import { beforeAll, describe, expect, it } from "vitest";
import { scoId, stixPattern, tlpMarking, toStix, toStixBundle, type StixObject } from "../src/index.js";
import { loadThreeCx, makeBulletin, OPTIONS, stixSchema, stixSchemaFor } from "./helpers.js";
import { lintStixBundle, parsePattern } from "./stix-lint.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

/** Validate a bundle against the OASIS bundle schema and each object against its own schema. */
function schemaErrors(bundle: { objects: readonly StixObject[] }): string[] {
  const errors: string[] = [];
  const whole = stixSchema("common/bundle.json");
  if (!whole(bundle)) errors.push(`bundle: ${JSON.stringify(whole.errors?.slice(0, 3))}`);
  for (const object of bundle.objects) {
    const entry = stixSchemaFor(object.type);
    if (entry === undefined) {
      errors.push(`no schema for ${object.type}`);
      continue;
    }
    const validate = stixSchema(entry);
    const { id } = object;
    if (!validate(object)) errors.push(`${id}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
  return errors;
}

describe("toStixBundle", () => {
  it("gives a 3CX bundle that validates against the OASIS STIX 2.1 schemas", () => {
    expect(schemaErrors(toStixBundle(threeCx, OPTIONS))).toEqual([]);
  });

  it("gives a 3CX bundle that passes our own lint (patterns, refs, duplicate ids, uuid bits, dates)", () => {
    expect(lintStixBundle(toStixBundle(threeCx, OPTIONS))).toEqual([]);
  });

  it("has the objects the issue asks for in the 3CX bundle", () => {
    const { objects } = toStixBundle(threeCx, OPTIONS);
    const count = (type: string) => objects.filter((object) => object.type === type).length;
    expect({
      identity: count("identity"),
      marking: count("marking-definition"),
      report: count("report"),
      indicator: count("indicator"),
      malware: count("malware"),
      "threat-actor": count("threat-actor"),
      "attack-pattern": count("attack-pattern"),
      "extension-definition": count("extension-definition"),
    }).toEqual({
      identity: 1,
      marking: 1,
      report: 1,
      indicator: 22,
      malware: 1,
      "threat-actor": 1,
      "attack-pattern": 9,
      "extension-definition": 0,
    });
    const malware = objects.find((object) => object.type === "malware")!;
    expect(malware).toMatchObject({ name: "SmoothOperator", is_family: true });
    const indicates = objects.filter(
      (object) => object.type === "relationship" && object.relationship_type === "indicates",
    );
    expect(indicates).toHaveLength(22);
    expect(new Set(indicates.map((relationship) => relationship.target_ref))).toEqual(new Set([malware.id]));
    expect(objects.find((object) => object.type === "threat-actor")).toMatchObject({
      name: "Lazarus Group",
      aliases: ["APT38"],
    });
  });

  it("marks every object TLP:CLEAR and dates the report from the bulletin", () => {
    const { objects } = toStixBundle(threeCx, OPTIONS);
    const [identity, marking, report] = objects;
    expect(marking).toEqual(tlpMarking("CLEAR"));
    expect(report).toMatchObject({
      type: "report",
      lang: "es",
      published: "2023-03-30T00:00:00.000Z",
      created: "2023-03-30T00:00:00.000Z",
      modified: "2023-03-30T00:00:00.000Z",
      created_by_ref: identity!.id,
    });
    expect(
      (report!.external_references as { url: string }[]).slice(0, 4).map((reference) => reference.url),
    ).toEqual([
      "https://atrc.example/es/boletines/2023-03-3cx/",
      "https://atrc.example/en/bulletins/2023-03-3cx/",
      "https://atrc.example/pdf/atrc-2023-001-es.pdf",
      "https://atrc.example/pdf/atrc-2023-001-en.pdf",
    ]);
    for (const object of objects.slice(2)) {
      if (object.type === "marking-definition" || object.type === "identity") continue;
      expect(object.object_marking_refs, object.id).toEqual([marking!.id]);
    }
  });

  it("writes SHA-1 patterns with the quoted hash key and the indicator valid from the publication day", () => {
    const sha1 = toStixBundle(threeCx, OPTIONS).objects.find(
      (object) =>
        object.type === "indicator" &&
        String(object.pattern).includes("cad1120d91b812acafef7175f949dd1b09c6c21a"),
    );
    expect(sha1).toMatchObject({
      pattern: "[file:hashes.'SHA-1' = 'cad1120d91b812acafef7175f949dd1b09c6c21a']",
      pattern_type: "stix",
      pattern_version: "2.1",
      valid_from: "2023-03-30T00:00:00.000Z",
    });
  });

  it("warns in the GitHub URL indicator that github.com itself is legitimate", () => {
    const github = toStixBundle(threeCx, OPTIONS).objects.find(
      (object) => object.name === "https://github.com/IconStorages/images",
    );
    expect(github?.description).toContain("github.com es legítimo");
    expect(github?.description).toContain("github.com is legitimate");
  });

  it("never emits a benign host as a domain indicator", () => {
    const patterns = toStixBundle(threeCx, OPTIONS).objects.flatMap((object) =>
      object.type === "indicator" ? [String(object.pattern)] : [],
    );
    expect(
      patterns.filter((pattern) =>
        /domain-name:value = '(?:[\w-]+\.)*(?:github\.com|proton\.me)'/u.test(pattern),
      ),
    ).toEqual([]);
  });

  it("turns a CVE into a vulnerability the malware exploits, not an indicator", () => {
    const bulletin = makeBulletin({
      malware: ["Emotet"],
      indicators: [{ type: "cve", value: "CVE-2023-29059" }],
    });
    const bundle = toStixBundle(bulletin, OPTIONS);
    const vulnerability = bundle.objects.find((object) => object.type === "vulnerability");
    expect(vulnerability).toMatchObject({
      name: "CVE-2023-29059",
      external_references: [{ source_name: "cve", external_id: "CVE-2023-29059" }],
    });
    expect(
      bundle.objects.some(
        (object) => object.relationship_type === "exploits" && object.target_ref === vulnerability!.id,
      ),
    ).toBe(true);
    expect(schemaErrors(bundle)).toEqual([]);
    expect(lintStixBundle(bundle)).toEqual([]);
  });

  it("points indicators at the actor when no malware is named", () => {
    const bulletin = makeBulletin({
      actors: ["UNC4736"],
      indicators: [{ type: "domain", value: "example.com" }],
    });
    const { objects } = toStixBundle(bulletin, OPTIONS);
    const actor = objects.find((object) => object.type === "threat-actor")!;
    expect(
      objects.filter((object) => object.relationship_type === "indicates").map((object) => object.target_ref),
    ).toEqual([actor.id]);
    expect(actor).not.toHaveProperty("aliases");
  });

  it("keeps the indicator but leaves out the url observable when the value is not an RFC 3986 URI", () => {
    const bulletin = makeBulletin({
      indicators: [
        { type: "url", value: "http://a.example.com/100%" },
        { type: "url", value: "http://b.example.com/ok" },
      ],
    });
    const bundle = toStixBundle(bulletin, OPTIONS);
    expect(bundle.objects.filter((object) => object.type === "indicator")).toHaveLength(2);
    expect(bundle.objects.filter((object) => object.type === "url").map((object) => object.value)).toEqual([
      "http://b.example.com/ok",
    ]);
    expect(schemaErrors(bundle)).toEqual([]);
  });

  it("uses the TLP 2.0 marking of the bulletin's label", () => {
    const bulletin = makeBulletin({
      tlp: "AMBER+STRICT",
      indicators: [{ type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" }],
    });
    const bundle = toStixBundle(bulletin, OPTIONS);
    expect(bundle.objects[1]).toMatchObject({
      id: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
      name: "TLP:AMBER+STRICT",
    });
    expect(lintStixBundle(bundle)).toEqual([]);
  });

  it("changes every id with the site URL (the producer namespace) and none without it", () => {
    const a = toStixBundle(threeCx, OPTIONS);
    const b = toStixBundle(threeCx, { siteUrl: "https://cert.example.org" });
    const ours = (bundle: typeof a) =>
      bundle.objects.filter(
        (object) => object.type !== "marking-definition" && !("value" in object) && !("hashes" in object),
      );
    const idsA = new Set(ours(a).map((object) => object.id));
    expect(ours(b).some((object) => idsA.has(object.id))).toBe(false);
    expect(toStix(threeCx, OPTIONS)).toBe(toStix(threeCx, { ...OPTIONS }));
  });

  it("rejects a site URL with a trailing slash", () => {
    expect(() => toStix(threeCx, { siteUrl: "https://atrc.example/" })).toThrow(TypeError);
  });
});

describe("stixPattern", () => {
  it("quotes hash keys that contain a hyphen and only those", () => {
    expect(stixPattern("md5", "d41d8cd98f00b204e9800998ecf8427e")).toBe(
      "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']",
    );
    expect(stixPattern("sha1", "a".repeat(40))).toBe(`[file:hashes.'SHA-1' = '${"a".repeat(40)}']`);
    expect(stixPattern("sha256", "b".repeat(64))).toBe(`[file:hashes.'SHA-256' = '${"b".repeat(64)}']`);
    expect(stixPattern("sha512", "c".repeat(128))).toBe(`[file:hashes.'SHA-512' = '${"c".repeat(128)}']`);
  });

  it("escapes backslashes first, then quotes, as the grammar requires", () => {
    expect(stixPattern("url", "https://example.com/it's\\odd")).toBe(
      String.raw`[url:value = 'https://example.com/it\'s\\odd']`,
    );
    expect(parsePattern(stixPattern("url", "https://example.com/\\'\\\\''"))?.value).toBe(
      "https://example.com/\\'\\\\''",
    );
  });

  it("uses the object path of each network type", () => {
    expect(stixPattern("domain", "example.com")).toBe("[domain-name:value = 'example.com']");
    expect(stixPattern("ipv4", "203.0.113.7")).toBe("[ipv4-addr:value = '203.0.113.7']");
    expect(stixPattern("ipv6", "2001:db8::1")).toBe("[ipv6-addr:value = '2001:db8::1']");
    expect(stixPattern("email", "a@example.com")).toBe("[email-addr:value = 'a@example.com']");
  });
});

describe("scoId", () => {
  it("reproduces the deterministic SCO id example of the STIX 2.1 specification", () => {
    expect(scoId("ipv4-addr", { value: "198.51.100.3" })).toBe(
      "ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4",
    );
  });
});
