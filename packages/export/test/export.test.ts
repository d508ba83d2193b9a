import type { Bulletin } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { parse } from "csv-parse/sync";
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import {
  EXPORT_FILES,
  exportAll,
  exportBulletin,
  exportPaths,
  IOC_JSON_SCHEMA,
  pdfAttachments,
} from "../src/index.js";
import { CONTENT, loadThreeCx, makeBulletin, OPTIONS, text } from "./helpers.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

describe("exportBulletin", () => {
  it("gives the four files of a bulletin under iocs/ with the lower-cased id", () => {
    expect([...exportBulletin(threeCx, OPTIONS).keys()]).toEqual([
      "iocs/atrc-2023-001.json",
      "iocs/atrc-2023-001.csv",
      "iocs/atrc-2023-001.stix.json",
      "iocs/atrc-2023-001.misp.json",
    ]);
    expect(exportPaths(threeCx).stix).toBe("iocs/atrc-2023-001.stix.json");
  });
});

describe("exportAll", () => {
  it("lists the complete 3CX file set", () => {
    const files = exportAll([threeCx], OPTIONS);
    const { uuid } = (
      JSON.parse(text(files.get("iocs/atrc-2023-001.misp.json"))) as { Event: { uuid: string } }
    ).Event;
    const content = [
      "SHA256SUMS",
      "feeds/changes.csv",
      "feeds/index.txt",
      `feeds/misp/${uuid}.json`,
      "feeds/misp/hashes.csv",
      "feeds/misp/manifest.json",
      "iocs/all.csv",
      "iocs/all.json",
      "iocs/atrc-2023-001.csv",
      "iocs/atrc-2023-001.json",
      "iocs/atrc-2023-001.misp.json",
      "iocs/atrc-2023-001.stix.json",
      "schema/atrc-iocs-v1.json",
    ];
    const expected = [
      ...content,
      ...content.filter((path) => path !== "SHA256SUMS").map((path) => `${path}.sha256`),
    ].sort();
    expect([...files.keys()]).toEqual(expected);
  });

  it("matches a documented pattern for every file it writes", () => {
    const patterns = EXPORT_FILES.map(
      (file) =>
        new RegExp(
          `^${file.path.replace(/[.+]/gu, "\\$&").replace("{id}", "[a-z0-9+_-]+").replace("{uuid}", "[0-9a-f-]{36}").replace("{file}", ".+")}$`,
          "u",
        ),
    );
    for (const path of exportAll([threeCx], OPTIONS).keys()) {
      expect(
        patterns.some((pattern) => pattern.test(path)),
        path,
      ).toBe(true);
    }
  });

  it("gives byte-identical files when run twice, from freshly loaded content, in any input order", async () => {
    const other = makeBulletin({
      id: "ATRC-2024-001",
      published: "2024-01-10",
      indicators: [{ type: "md5", value: "d41d8cd98f00b204e9800998ecf8427e" }],
    });
    const first = exportAll([threeCx, other], OPTIONS);
    const { bulletins } = await loadContent([CONTENT]);
    const second = exportAll([other, ...bulletins], OPTIONS);
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [path, bytes] of first)
      expect(Buffer.from(second.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
  });

  it("writes SHA256SUMS in sha256sum format over every file, and a matching sidecar beside each", () => {
    const files = exportAll([threeCx], OPTIONS);
    const lines = text(files.get("SHA256SUMS")).split("\n").slice(0, -1);
    const covered = [...files.keys()].filter((path) => path !== "SHA256SUMS" && !path.endsWith(".sha256"));
    expect(lines.map((line) => line.slice(66))).toEqual(covered);
    for (const line of lines) {
      const [hex, path] = line.split("  ") as [string, string];
      expect(hex).toBe(sha256(files.get(path)!));
      expect(text(files.get(`${path}.sha256`))).toBe(`${hex}  ${path.split("/").pop()!}\n`);
    }
  });

  it("publishes only TLP:CLEAR bulletins, in files, aggregates and feed alike", () => {
    const amber = makeBulletin({
      id: "ATRC-2024-002",
      tlp: "AMBER",
      indicators: [{ type: "domain", value: "secret.example.com" }],
    });
    const files = exportAll([threeCx, amber], OPTIONS);
    for (const [path, bytes] of files) {
      expect(path).not.toContain("atrc-2024-002");
      expect(text(bytes), path).not.toContain("secret.example.com");
    }
  });

  it("refuses two bulletins with the same id", () => {
    expect(() => exportAll([threeCx, threeCx], OPTIONS)).toThrow(/one bulletin per id/u);
  });

  it("lists per-bulletin files in feeds/index.txt and newest first in feeds/changes.csv", () => {
    const newer = makeBulletin({
      id: "ATRC-2024-001",
      published: "2024-01-10",
      modified: "2024-02-01",
      indicators: [{ type: "domain", value: "example.com" }],
    });
    const files = exportAll([threeCx, newer], OPTIONS);
    const index = text(files.get("feeds/index.txt")).split("\n").slice(0, -1);
    expect(index).toEqual([...index].sort());
    expect(index).toHaveLength(8);
    const changes = parse(text(files.get("feeds/changes.csv")));
    expect(changes[0]).toEqual(["iocs/atrc-2024-001.csv", "2024-02-01T00:00:00.000Z"]);
    expect(changes.at(-1)).toEqual(["iocs/atrc-2023-001.stix.json", "2023-03-30T00:00:00.000Z"]);
    expect(text(files.get("feeds/changes.csv"))).toMatch(
      /^"iocs\/atrc-2024-001\.csv","2024-02-01T00:00:00\.000Z"\r\n/u,
    );
  });

  it("publishes the JSON Schema at schema/atrc-iocs-v1.json", () => {
    expect(JSON.parse(text(exportAll([threeCx], OPTIONS).get("schema/atrc-iocs-v1.json")))).toEqual(
      IOC_JSON_SCHEMA,
    );
  });

  it("writes UTF-8 without BOM and LF-only JSON", () => {
    for (const [path, bytes] of exportAll([threeCx], OPTIONS)) {
      expect([bytes[0], bytes[1], bytes[2]], path).not.toEqual([0xef, 0xbb, 0xbf]);
      if (path.endsWith(".json")) expect(text(bytes), path).not.toContain("\r");
    }
  });

  it("rejects a site URL that is not an absolute http(s) URL without trailing slash", () => {
    for (const siteUrl of [
      "atrc.example",
      "https://atrc.example/",
      "ftp://atrc.example",
      "https://atrc.example?x=1",
    ]) {
      expect(() => exportAll([threeCx], { siteUrl }), siteUrl).toThrow(TypeError);
    }
  });
});

describe("extra files and PDF attachments", () => {
  it("checksums extra files (the PDFs) with the exports", () => {
    const pdf = new TextEncoder().encode("%PDF-1.7 test");
    const files = exportAll([threeCx], {
      ...OPTIONS,
      extraFiles: new Map([["pdf/atrc-2023-001-es.pdf", pdf]]),
    });
    const hex = createHash("sha256").update(pdf).digest("hex");
    expect(files.get("pdf/atrc-2023-001-es.pdf")).toBe(pdf);
    expect(text(files.get("pdf/atrc-2023-001-es.pdf.sha256"))).toBe(`${hex}  atrc-2023-001-es.pdf\n`);
    expect(text(files.get("SHA256SUMS"))).toContain(`${hex}  pdf/atrc-2023-001-es.pdf\n`);
  });

  it("gives the PDF the same CSV and STIX bytes as the downloads, under the same names", () => {
    const files = exportBulletin(threeCx, OPTIONS);
    const attachments = pdfAttachments(threeCx, OPTIONS);
    expect(attachments.map((a) => a.name)).toEqual(["atrc-2023-001.csv", "atrc-2023-001.stix.json"]);
    expect(attachments[0]!.data).toBe(text(files.get("iocs/atrc-2023-001.csv")));
    expect(attachments[1]!.data).toBe(text(files.get("iocs/atrc-2023-001.stix.json")));
  });
});
