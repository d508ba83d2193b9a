import { extract } from "@atrc/ioc";
import { describe, expect, it } from "vitest";
import { pdfFileName, renderPdf } from "../src/index.js";
import { generatedIndicators, largeBulletin, LONG_HEADING, unplannedBulletin } from "./fixtures/generate.js";
import { exportsOf, load3cx, pageCount, parseGenerated, pdfText, squash, tool } from "./helpers.js";

describe("@atrc/pdf", () => {
  it("exports a stable API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual(["pdfFileName", "renderPdf"]);
  });

  it("names files `<id>-<lang>.pdf` in lower case", async () => {
    const bulletin = await load3cx();
    expect(pdfFileName(bulletin, "es")).toBe("atrc-2023-001-es.pdf");
    expect(pdfFileName(bulletin, "en")).toBe("atrc-2023-001-en.pdf");
  });

  it("rejects a language the bulletin does not have", async () => {
    const bulletin = await load3cx();
    await expect(renderPdf(bulletin, "fr" as "es")).rejects.toThrow(TypeError);
  });
});

describe("the 3CX bulletin", async () => {
  const bulletin = await load3cx();
  const attachments = exportsOf(bulletin);
  const rendered = {
    es: await renderPdf(bulletin, "es", { attachments }),
    en: await renderPdf(bulletin, "en", { attachments }),
  };

  for (const lang of ["es", "en"] as const) {
    const { bytes, warnings } = rendered[lang];
    const document = bulletin.documents[lang]!;

    it(`renders ${lang} without layout warnings`, () => {
      expect(warnings).toEqual([]);
      expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("%PDF-1.7");
    });

    it(`shows every indicator defanged in ${lang}, and no live one`, () => {
      const text = pdfText(bytes);
      const flat = squash(text);
      for (const indicator of document.indicators) expect(flat).toContain(squash(indicator.defanged));
      const values = new Set(document.indicators.map((indicator) => indicator.value));
      const references = new Set(document.references.map((reference) => reference.url));
      const live = extract(text).filter(
        (found) =>
          found.fanged &&
          values.has(found.value) &&
          ["url", "domain", "email", "ipv4", "ipv6"].includes(found.type),
      );
      expect(live.filter((found) => !references.has(found.value))).toEqual([]);
      // The flattened text too, since wrapping can split a value over lines.
      for (const indicator of document.indicators) {
        if (indicator.value !== indicator.defanged) expect(flat).not.toContain(squash(indicator.value));
      }
    });

    it(`has the front-page facts in ${lang}`, () => {
      const first = pdfText(bytes, 1);
      expect(first).toContain("ATRC-2023-001");
      expect(first).toContain("TLP:CLEAR");
      expect(first).toContain("Lazarus Group, APT38");
      expect(first).toContain("3CX Desktop App");
      expect(squash(first)).toContain(squash(document.meta.title));
      expect(first).toContain(lang === "es" ? "30 de marzo de 2023" : "30 March 2023");
      expect(first).toContain(lang === "es" ? "Crítica" : "Critical");
    });

    it(`puts the TLP label and the page number on every page in ${lang}`, () => {
      const pages = pageCount(bytes);
      expect(pages).toBeGreaterThan(2);
      for (let page = 1; page <= pages; page++) {
        const text = pdfText(bytes, page);
        expect(text.match(/TLP:CLEAR/gu)?.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(text).toContain(lang === "es" ? `Página ${page} de ${pages}` : `Page ${page} of ${pages}`);
      }
    });

    it(`has the document metadata in ${lang}`, () => {
      const info = tool("pdfinfo", ["$PDF"], bytes);
      expect(info).toMatch(new RegExp(`^Title:\\s+${document.meta.title}$`, "mu"));
      expect(info).toMatch(/^Author:\s+ATRc — /mu);
      expect(info).toMatch(/^Subject:\s+\S/mu);
      expect(info).toMatch(/^Keywords:\s+ATRC-2023-001, TLP:CLEAR, .*Lazarus Group/mu);
      expect(info).toMatch(/^Tagged:\s+yes$/mu);
      expect(info).toMatch(/^Page size:\s+595\.28 x 841\.89 pts \(A4\)$/mu);
      expect(info).toMatch(/^CreationDate:\s+Thu Mar 30 00:00:00 2023 UTC$/mu);
      const meta = tool("pdfinfo", ["-meta", "$PDF"], bytes);
      expect(meta).toContain(`<rdf:li>${lang === "es" ? "es-ES" : "en-GB"}</rdf:li>`);
      expect(new TextDecoder("latin1").decode(bytes)).toContain(
        `/Lang (${lang === "es" ? "es-ES" : "en-GB"})`,
      );
    });

    it(`carries the CSV and STIX exports as attachments in ${lang}`, () => {
      const list = tool("pdfdetach", ["-list", "$PDF"], bytes);
      expect(list).toContain("2 embedded files");
      expect(list).toContain("atrc-2023-001.csv");
      expect(list).toContain("atrc-2023-001.stix.json");
    });

    it(`embeds every font in ${lang}`, () => {
      const fonts = tool("pdffonts", ["$PDF"], bytes).split("\n").slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThanOrEqual(3);
      for (const row of fonts) expect(row).toMatch(/(?:SourceSans3|SourceCodePro)\S*\s.*\byes yes yes\b/u);
      expect(fonts.some((row) => row.includes("SourceCodePro"))).toBe(true);
    });

    it(`passes qpdf --check in ${lang}`, () => {
      expect(tool("qpdf", ["--check", "$PDF"], bytes)).toContain("No syntax or stream encoding errors found");
    });
  }

  it("renders the same bytes twice", async () => {
    const again = await renderPdf(bulletin, "es", { attachments });
    expect(Buffer.from(again.bytes).equals(Buffer.from(rendered.es.bytes))).toBe(true);
  });

  it("links the references, and never an indicator", () => {
    const raw = new TextDecoder("latin1").decode(rendered.es.bytes);
    // Annotations are not compressed by pdfkit: every /URI is visible in the raw file.
    const uris = [...raw.matchAll(/\/URI \(([^)]*)\)/gu)].map((match) => match[1]);
    for (const reference of bulletin.original.references) expect(uris).toContain(reference.url);
    const values = new Set(bulletin.original.indicators.map((indicator) => indicator.value));
    for (const uri of uris) expect(values.has(uri!)).toBe(false);
  });

  it("has one bookmark per section", () => {
    const raw = new TextDecoder("latin1").decode(rendered.en.bytes);
    expect(raw).toContain("/Outlines");
    for (const section of bulletin.documents.en!.sections) expect(raw).toContain(`/Title (${section.title})`);
  });
});

describe("a bulletin with 300 indicators", async () => {
  const bulletin = parseGenerated("large", (lang) => largeBulletin(300, lang));
  const { bytes, warnings } = await renderPdf(bulletin, "es", { attachments: exportsOf(bulletin) });

  it("paginates the table with its header on every page and loses no indicator", () => {
    expect(warnings).toEqual([]);
    const pages = pageCount(bytes);
    expect(pages).toBeGreaterThan(6);
    let tablePages = 0;
    for (let page = 1; page <= pages; page++) {
      const text = pdfText(bytes, page);
      if (!/Indicador\s+generado\s+número/u.test(text)) continue;
      tablePages++;
      expect(text).toMatch(/Tipo\s+Indicador\s+Descripción/u);
    }
    expect(tablePages).toBeGreaterThan(4);
    const flat = squash(pdfText(bytes));
    const indicators = bulletin.original.indicators;
    expect(indicators).toHaveLength(generatedIndicators(300).length);
    for (const indicator of indicators) expect(flat).toContain(squash(indicator.defanged));
    for (let number = 1; number <= 300; number++) expect(flat).toContain(`Indicadorgeneradonúmero${number}`);
  });

  it("passes qpdf --check", () => {
    expect(tool("qpdf", ["--check", "$PDF"], bytes)).toContain("No syntax or stream encoding errors found");
  });
});

describe("content the layout did not plan for", async () => {
  const bulletin = parseGenerated("unplanned", unplannedBulletin);
  const { bytes, warnings } = await renderPdf(bulletin, "es");
  const text = pdfText(bytes);
  const flat = squash(text);

  it("reports each case as a warning with its place", () => {
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^Line \d+:\d+: image `diagram\.png` is shown as a box with its alt text/u);
    expect(warnings[1]).toMatch(
      /^Line \d+: the table under “Encabezado muy largo.*” has 10 columns .* set at \d+(?:\.\d+)? pt\.$/u,
    );
    expect(warnings[2]).toMatch(
      /^Line \d+: characters “😀” \(U\+1F600\), “中” \(U\+4E2D\), “文” \(U\+6587\) are not in the embedded fonts/u,
    );
  });

  it("keeps the text of every case", () => {
    expect(text).toContain("Diagrama de la cadena de ataque");
    expect(text).toContain("[U+1F600]");
    expect(text).toContain("[U+4E2D]");
    expect(text).toContain("¿¡«»");
    expect(flat).toContain(squash(LONG_HEADING));
    for (let column = 1; column <= 10; column++) {
      expect(text).toContain(`Columna ${column}`);
      expect(flat).toContain(`valor-${column}-largo-${"x".repeat(5 + column)}`);
    }
    for (const indicator of bulletin.original.indicators) expect(flat).toContain(squash(indicator.defanged));
    expect(flat).toContain(`https://www.example.org/${"a".repeat(150)}${"B".repeat(126)}`);
  });

  it("draws nothing outside the page margins", () => {
    const bbox = tool("pdftotext", ["-bbox", "$PDF", "-"], bytes);
    for (const match of bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"/gu)) {
      expect(Number(match[1])).toBeGreaterThanOrEqual(56 - 0.5);
      expect(Number(match[2])).toBeLessThanOrEqual(595.28 - 56 + 0.5);
    }
  });
});
