import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  pageDataPath,
  pageFiles,
  pageHtmlPath,
  PAGE_INDEX,
  parseBulletin,
  readPageData,
  readPageIndex,
  restoreFiles,
  serializeFiles,
  toHtml,
  toPageData,
  toSummary,
  type Bulletin,
} from "../src/index.js";
import { loadContent } from "../src/node.js";
import { readThreeCx } from "./helpers.js";

const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/bulletins/", import.meta.url));

describe("diagnostics as plain data", () => {
  it.for(readdirSync(FIXTURES).sort())("round-trip every message of fixture %s", async (name) => {
    const { files } = await loadContent([`${FIXTURES}${name}`]);
    const data = serializeFiles(files);
    // Through JSON, as a cache or a worker message would carry them.
    const restored = restoreFiles(JSON.parse(JSON.stringify(data)) as typeof data);
    expect(serializeFiles(restored)).toEqual(data);
    expect(restored.map((file) => file.messages.map((message) => message.toString()))).toEqual(
      files.map((file) => file.messages.map((message) => message.toString())),
    );
    expect(restored.map((file) => file.messages.map((message) => message.fatal))).toEqual(
      files.map((file) => file.messages.map((message) => message.fatal)),
    );
    if (name !== "valid") expect(data.some((file) => file.messages.length > 0)).toBe(true);
  });
});

describe("page files", async () => {
  const sources = await readThreeCx();
  const { bulletin } = parseBulletin("2023-03-3cx", {
    es: { path: "es.md", value: sources.es },
    en: { path: "en.md", value: sources.en },
  });
  if (!bulletin) throw new Error("3CX does not parse");

  it("hold an index of summaries, each bulletin's page data and each document's HTML", () => {
    const files = pageFiles([bulletin]);
    expect([...files.keys()].sort()).toEqual(
      [
        PAGE_INDEX,
        pageDataPath("2023-03-3cx"),
        pageHtmlPath("2023-03-3cx", "en"),
        pageHtmlPath("2023-03-3cx", "es"),
      ].sort(),
    );
    expect(files.get("2023-03-3cx/es.html")).toBe(toHtml(bulletin.documents.es!));
    const [summary] = readPageIndex(files.get(PAGE_INDEX)!);
    expect(summary).toEqual(toSummary(bulletin));
    expect(summary!.original).toBe(summary!.documents.es);
    expect(summary!.documents.en).toEqual({
      path: "en.md",
      meta: bulletin.documents.en!.meta,
      indicatorCount: 22,
    });
    const page = readPageData(files.get(pageDataPath("2023-03-3cx"))!);
    expect(page).toEqual(JSON.parse(JSON.stringify(toPageData(bulletin))));
    expect(page.original).toBe(page.documents.es);
    for (const lang of ["es", "en"] as const) {
      const document = bulletin.documents[lang]!;
      expect(page.documents[lang]).toEqual({
        path: document.path,
        meta: document.meta,
        indicatorCount: 22,
        sections: document.sections,
        indicatorTable: document.tables.find((table) => table.isIndicatorTable)!.headingId,
      });
    }
    // What the HTML shows is not in the page data again: no body, no indicator or table row.
    const text = files.get(pageDataPath("2023-03-3cx"))!;
    expect(text).not.toContain('"body"');
    expect(text).not.toContain('"rows"');
    expect(text).not.toContain('"indicators"');
    expect(text).not.toContain(bulletin.documents.es!.indicators[0]!.value);
  });

  it("name the indicator table's heading only when the table has one", () => {
    const es = bulletin.documents.es!;
    const tables = es.tables.map((table) => ({ ...table, isIndicatorTable: false }));
    const withoutTable: Bulletin = {
      ...bulletin,
      original: { ...es, tables },
      documents: { es: { ...es, tables } },
    };
    expect(toPageData(withoutTable).original).not.toHaveProperty("indicatorTable");
    const unnamed = es.tables.map((table) => ({ ...table, headingId: undefined }));
    const withoutHeading: Bulletin = {
      ...bulletin,
      original: { ...es, tables: unnamed },
      documents: { es: { ...es, tables: unnamed } },
    };
    expect(toPageData(withoutHeading).original).not.toHaveProperty("indicatorTable");
  });

  it("keep a translation-only bulletin's original language", () => {
    const english: Bulletin = {
      ...bulletin,
      original: bulletin.documents.en!,
      documents: { en: bulletin.documents.en! },
    };
    const files = pageFiles([english]);
    const [summary] = readPageIndex(files.get(PAGE_INDEX)!);
    expect(summary!.original).toBe(summary!.documents.en);
    expect(readPageData(files.get(pageDataPath("2023-03-3cx"))!).original.meta.lang).toBe("en");
  });

  it("render HTML without changing the model", () => {
    const before = structuredClone(bulletin.documents.en!.body);
    const html = toHtml(bulletin.documents.en!);
    expect(bulletin.documents.en!.body).toEqual(before);
    expect(toHtml(bulletin.documents.en!)).toBe(html);
  });

  it("refuse an index of another version", () => {
    expect(() => readPageIndex('{"version":1,"bulletins":[]}')).toThrow(/version 1/u);
  });
});
