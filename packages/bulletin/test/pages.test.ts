import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  pageFiles,
  pageHtmlPath,
  PAGE_INDEX,
  parseBulletin,
  readPageIndex,
  restoreFiles,
  serializeFiles,
  toHtml,
  toPageBulletin,
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

  it("hold every document's HTML and an index that gives back the page bulletins", () => {
    const files = pageFiles([bulletin]);
    expect([...files.keys()].sort()).toEqual(
      [PAGE_INDEX, pageHtmlPath("2023-03-3cx", "en"), pageHtmlPath("2023-03-3cx", "es")].sort(),
    );
    expect(files.get("2023-03-3cx/es.html")).toBe(toHtml(bulletin.documents.es!));
    const [page] = readPageIndex(files.get(PAGE_INDEX)!);
    expect(page).toEqual(JSON.parse(JSON.stringify(toPageBulletin(bulletin))));
    expect(page!.original).toBe(page!.documents.es);
    expect(JSON.stringify(page)).not.toContain('"body"');
  });

  it("keep a translation-only bulletin's original language", () => {
    const english: Bulletin = {
      ...bulletin,
      original: bulletin.documents.en!,
      documents: { en: bulletin.documents.en! },
    };
    const [page] = readPageIndex(pageFiles([english]).get(PAGE_INDEX)!);
    expect(page!.original).toBe(page!.documents.en);
  });

  it("render HTML without changing the model", () => {
    const before = structuredClone(bulletin.documents.en!.body);
    const html = toHtml(bulletin.documents.en!);
    expect(bulletin.documents.en!.body).toEqual(before);
    expect(toHtml(bulletin.documents.en!)).toBe(html);
  });

  it("refuse an index of another version", () => {
    expect(() => readPageIndex('{"version":2,"bulletins":[]}')).toThrow(/version 2/u);
  });
});
