import type { Bulletin } from "@atrc/bulletin";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { CSV_COLUMNS, toCsv } from "../src/index.js";
import { loadThreeCx, makeBulletin, OPTIONS } from "./helpers.js";

let threeCx: Bulletin;
beforeAll(async () => {
  threeCx = await loadThreeCx();
});

const rowsOf = (csv: string) =>
  parse<Record<string, string>>(csv, { columns: true, relax_column_count: false });

describe("toCsv", () => {
  it("writes RFC 4180 CSV with CRLF records, the header row and no BOM", () => {
    const csv = toCsv(threeCx, OPTIONS);
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/u);
    expect(csv.split("\r\n")).toHaveLength(22 + 2);
  });

  it("round-trips the 3CX bulletin through csv-parse with refanged values and defanged forms apart", () => {
    const rows = rowsOf(toCsv(threeCx, OPTIONS));
    expect(rows).toHaveLength(22);
    expect(rows.map((row) => row.type)).toEqual([
      ...Array<string>(17).fill("url"),
      "email",
      "email",
      "sha1",
      "sha1",
      "sha1",
    ]);
    const github = rows.find((row) => row.value === "https://github.com/IconStorages/images");
    expect(github).toEqual({
      bulletin_id: "ATRC-2023-001",
      type: "url",
      value: "https://github.com/IconStorages/images",
      value_defanged: "hxxps://github[.]com/IconStorages/images",
      benign_host: "true",
      to_ids: "true",
      description_es:
        "Repositorio que alojaba los archivos ICO con las direcciones de C2 (GitHub es un servicio legítimo)",
      description_en: expect.any(String) as string,
      tlp: "TLP:CLEAR",
      published: "2023-03-30",
    });
    for (const row of rows) {
      expect(row.value).not.toMatch(/\[\.\]|\[@\]|hxxp/u);
    }
    expect(rows.filter((row) => row.type === "email").map((row) => row.to_ids)).toEqual(["false", "false"]);
  });

  it("neutralises a description crafted to inject a formula, and only that cell", () => {
    const bulletin = makeBulletin({
      indicators: [
        {
          type: "domain",
          value: "evil.example.com",
          description: '=HYPERLINK("https://evil.example/x","Haz clic")',
          descriptionEn: "+1+1",
        },
        {
          type: "md5",
          value: "d41d8cd98f00b204e9800998ecf8427e",
          description: "@SUM(A1)",
          descriptionEn: "\tindent",
        },
        { type: "sha1", value: "a".repeat(40), description: "-2", descriptionEn: "＝1" },
        { type: "sha256", value: "b".repeat(64), description: 'a, "quoted"\nline', descriptionEn: "plain" },
      ],
    });
    const rows = rowsOf(toCsv(bulletin, OPTIONS));
    expect(rows.map((row) => [row.description_es, row.description_en])).toEqual([
      ['\'=HYPERLINK("https://evil.example/x","Haz clic")', "'+1+1"],
      ["'@SUM(A1)", "'\tindent"],
      ["'-2", "'＝1"],
      ['a, "quoted"\nline', "plain"],
    ]);
    expect(rows.map((row) => row.value)).toEqual([
      "evil.example.com",
      "d41d8cd98f00b204e9800998ecf8427e",
      "a".repeat(40),
      "b".repeat(64),
    ]);
  });

  it("leaves the English description empty when the bulletin has no translation", () => {
    const bulletin = makeBulletin({
      english: false,
      indicators: [{ type: "ipv4", value: "203.0.113.7", description: "C2" }],
    });
    expect(rowsOf(toCsv(bulletin, OPTIONS))[0]).toMatchObject({ description_es: "C2", description_en: "" });
  });

  it("refuses an indicator value that starts like a formula instead of escaping it", () => {
    const bulletin = makeBulletin({ indicators: [{ type: "domain", value: "=cmd.example.com" }] });
    expect(() => toCsv(bulletin, OPTIONS)).toThrow(TypeError);
  });
});
