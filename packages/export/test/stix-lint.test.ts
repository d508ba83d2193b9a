import type { Bulletin } from "@atrc/bulletin";
import { beforeAll, describe, expect, it } from "vitest";
import { toStixBundle, type StixObject } from "../src/index.js";
import { loadThreeCx, OPTIONS, stixSchema } from "./helpers.js";
import { lintStixBundle } from "./stix-lint.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

/** The 3CX bundle with one object changed by `edit`. */
function broken(edit: (objects: StixObject[]) => void): { type: string; id: string; objects: StixObject[] } {
  const bundle = structuredClone(toStixBundle(threeCx, OPTIONS)) as {
    type: string;
    id: string;
    objects: StixObject[];
  };
  edit(bundle.objects);
  return bundle;
}

const firstIndicator = (objects: StixObject[]) =>
  objects.find((object) => object.type === "indicator") as Record<string, unknown>;

describe("the STIX checks themselves", () => {
  it("make the OASIS bundle schema reject an offset timestamp, so schema validation is not vacuous", () => {
    const bundle = broken((objects) => {
      firstIndicator(objects).modified = "2023-03-30T00:00:00+01:00";
    });
    expect(stixSchema("common/bundle.json")(bundle)).toBe(false);
  });

  it("catch an unquoted SHA-1 hash key", () => {
    const bundle = broken((objects) => {
      const sha1 = objects.find((object) => String(object.pattern).includes("'SHA-1'")) as Record<
        string,
        unknown
      >;
      sha1.pattern = String(sha1.pattern).replace("'SHA-1'", "SHA-1");
    });
    expect(lintStixBundle(bundle).join("\n")).toMatch(/pattern .* is not one we allow/u);
  });

  it("catch a quoted MD5 key and an illegal escape", () => {
    const bundle = broken((objects) => {
      firstIndicator(objects).pattern = "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']";
      (objects.filter((object) => object.type === "indicator")[1] as Record<string, unknown>).pattern =
        String.raw`[url:value = 'https://a.example/\x']`;
    });
    expect(lintStixBundle(bundle).filter((problem) => problem.includes("is not one we allow"))).toHaveLength(
      2,
    );
  });

  it("catch a duplicate id, a dangling reference and a UUIDv4 where we mint v5", () => {
    const bundle = broken((objects) => {
      objects.push(structuredClone(objects[3]!));
      firstIndicator(objects).created_by_ref = "identity--00000000-0000-5000-8000-000000000000";
      const malware = objects.find((object) => object.type === "malware") as Record<string, unknown>;
      malware.id = "malware--2f0d6e1a-4d52-4a7b-9c3e-1b2a3c4d5e6f";
    });
    const problems = lintStixBundle(bundle).join("\n");
    expect(problems).toContain("duplicate id");
    expect(problems).toContain("does not resolve");
    expect(problems).toContain("UUIDv5");
  });

  it("catch modified before created and an object the report does not list", () => {
    const bundle = broken((objects) => {
      firstIndicator(objects).modified = "2020-01-01T00:00:00.000Z";
      const report = objects.find((object) => object.type === "report") as Record<string, unknown>;
      report.object_refs = (report.object_refs as string[]).slice(1);
    });
    const problems = lintStixBundle(bundle).join("\n");
    expect(problems).toContain("is before created");
    expect(problems).toContain("report does not list");
  });

  it("catch a TLP marking that is not the verbatim TLP 2.0 object", () => {
    const bundle = broken((objects) => {
      (objects[1] as Record<string, unknown>).name = "TLP:WHITE";
    });
    expect(lintStixBundle(bundle).join("\n")).toContain("differs from the TLP 2.0 marking");
  });
});
