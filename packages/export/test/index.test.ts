import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXPORT_FILES, IOC_JSON_SCHEMA } from "../src/index.js";

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

describe("@atrc/export", () => {
  it("exposes exactly this public API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toMatchInlineSnapshot(`
      [
        "CSV_COLUMNS",
        "DOWNLOADS_INDEX",
        "EXPORT_FILES",
        "IOC_JSON_SCHEMA",
        "IOC_SCHEMA_ID",
        "MISP_MAPPING",
        "PART_FILES",
        "STIX_SCO_NAMESPACE",
        "aggregateCopies",
        "aggregateFiles",
        "aggregatePart",
        "bulletinFiles",
        "checksumFiles",
        "compareIndicators",
        "downloadsIndexText",
        "exportAll",
        "exportBulletin",
        "exportIndicators",
        "exportPaths",
        "exportTexts",
        "fileIdOf",
        "mispFeed",
        "mispFeedEntry",
        "mispFeedIndex",
        "pageUrl",
        "parseDownloadsIndex",
        "partFiles",
        "pdfAttachments",
        "producerNamespace",
        "publicBulletins",
        "scoId",
        "sha256",
        "stixPattern",
        "tlpMarking",
        "toCsv",
        "toJson",
        "toJsonExport",
        "toMisp",
        "toMispEvent",
        "toStix",
        "toStixBundle",
      ]
    `);
  });

  it("ships the JSON Schema file with exactly the content of IOC_JSON_SCHEMA", () => {
    expect(JSON.parse(readFileSync(root("schema/atrc-iocs.schema.json"), "utf8"))).toEqual(IOC_JSON_SCHEMA);
  });

  it("documents every file of the layout in the README", () => {
    const readme = readFileSync(root("README.md"), "utf8");
    for (const file of EXPORT_FILES) expect(readme).toContain(`\`${file.path}\``);
  });

  it("never reads the clock in its sources", () => {
    const folder = root("src");
    for (const name of readdirSync(folder)) {
      const source = readFileSync(`${folder}/${name}`, "utf8");
      expect(source, name).not.toMatch(
        /Date\.now\s*\(|new Date\s*\(\s*\)|performance\.now|process\.hrtime|Math\.random/u,
      );
    }
  });
});
