/**
 * What keeps `renderPdf` fast, checked without timing anything (timed tests are flaky on shared
 * CI machines): fonts parsed once, text shaped once per process, the fast subsetter producing
 * fontkit's exact bytes, and output that does not depend on what the process rendered before.
 */
import { create, type Font } from "fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { loadFonts } from "../src/fonts.js";
import { renderPdf } from "../src/index.js";
import PDFDocument from "pdfkit";
import { TrueTypeSubset } from "../src/subset.js";
import { drawText, textStats } from "../src/text.js";
import { useColors } from "../src/document.js";
import { largeBulletin, unplannedBulletin } from "./fixtures/generate.js";
import { exportsOf, load3cx, parseGenerated, pdfText } from "./helpers.js";

const require = createRequire(import.meta.url);

/** A fresh parse of a font file, so fontkit's glyph cache is not shared with the renderer. */
function freshFont(file: string): Font {
  return create(readFileSync(require.resolve(file)));
}

/**
 * The bytes of a plain pdfkit document (fixed dates and identifier) with one A4 page, drawn by `draw`.
 *
 * @param draw Sets the document up and draws on its page.
 * @returns The file.
 */
async function documentBytes(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, info: { CreationDate: new Date(0) } });
  (doc as unknown as { _id: Uint8Array })._id = new Uint8Array(16);
  const chunks: Uint8Array[] = [];
  const done = new Promise((resolve) => doc.on("end", resolve));
  doc.on("data", (chunk: Uint8Array) => chunks.push(chunk));
  draw(doc);
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

/** fontkit's own subsetter (what pdfkit would use). */
interface FontkitSubsetter {
  createSubset(): { includeGlyph(gid: number): number; encode(): Uint8Array; glyphs: number[] };
  readonly numGlyphs: number;
}

describe("rendering cost", () => {
  it("parses the fonts once per process", () => {
    expect(loadFonts()).toBe(loadFonts());
  });

  it("shapes each text once per process: a second render shapes nothing", async () => {
    const bulletin = await load3cx();
    const attachments = exportsOf(bulletin);
    await renderPdf(bulletin, "es", { attachments });
    const before = textStats.shaped;
    const again = await renderPdf(bulletin, "es", { attachments });
    expect(textStats.shaped).toBe(before);
    expect(again.bytes.length).toBeGreaterThan(0);
  });
});

describe("the TrueType subsetter", () => {
  const files = [
    "source-sans/TTF/SourceSans3-Regular.ttf",
    "source-sans/TTF/SourceSans3-SemiboldIt.ttf",
    "source-code-pro/TTF/SourceCodePro-Regular.ttf",
  ];
  for (const file of files) {
    it(`writes fontkit's bytes for ${file.split("/").at(-1)}`, () => {
      const reference = freshFont(file) as unknown as FontkitSubsetter;
      const font = freshFont(file);
      // A fixed pseudo-random sequence: composite glyphs (accented letters) are among them.
      let seed = 7;
      const next = () => (seed = (seed * 48_271) % 2_147_483_647);
      for (let trial = 0; trial < 12; trial++) {
        const theirs = reference.createSubset();
        const ours = new TrueTypeSubset(font);
        const count = 1 + (next() % 150);
        for (let index = 0; index < count; index++) {
          const gid = next() % reference.numGlyphs;
          expect(ours.includeGlyph(gid)).toBe(theirs.includeGlyph(gid));
        }
        expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode()))).toBe(true);
        expect(ours.glyphs).toEqual(theirs.glyphs);
      }
    });
  }
});

describe("the TrueType subsetter's kept files", () => {
  it("returns the file made before for the same glyphs, ending with the same glyphs", () => {
    const file = "source-sans/TTF/SourceSans3-Regular.ttf";
    const font = freshFont(file);
    const reference = (freshFont(file) as unknown as FontkitSubsetter).createSubset();
    const ids = Array.from("Año — «Tráfico» ǅ", (char) => font.glyphForCodePoint(char.codePointAt(0)!).id);
    const [first, second] = [new TrueTypeSubset(font), new TrueTypeSubset(font)];
    for (const id of ids) {
      first.includeGlyph(id);
      second.includeGlyph(id);
      reference.includeGlyph(id);
    }
    const made = first.encode();
    const again = second.encode();
    expect(again).toBe(made);
    expect(Buffer.from(again).equals(Buffer.from(reference.encode()))).toBe(true);
    // Encoding appended the components of composite glyphs, to the kept file's subset too.
    expect(second.glyphs).toEqual(reference.glyphs);
    expect(second.glyphs.length).toBeGreaterThan(new Set(ids).size + 1);
    // Another glyph, another file.
    const third = new TrueTypeSubset(font);
    for (const id of [...ids, font.glyphForCodePoint(0x5a).id]) third.includeGlyph(id);
    expect(third.encode()).not.toBe(made);
  });
});

describe("drawText", () => {
  // Kerning pairs, a ligature, accents (precomposed and combining: glyph offsets) and mono; with the process's
  // shared faces, the shaping shortcut lays out the lines without ligatures or combining marks (fonts.ts).
  const lines = [
    "AVATAR To Ty ffi",
    "Año — «cifrado» 45.10.3.7",
    "Cafe\u0301 n\u0303",
    "srv-pbx[.]net",
    "Tráfico 15.871 “Vy” P. Ya  AT&T, 27 de febrero de 2016 (TLP:CLEAR) 100 €…",
  ];
  const sans = "source-sans/TTF/SourceSans3-Regular.ttf";
  const mono = "source-code-pro/TTF/SourceCodePro-Regular.ttf";
  it.for([
    ["fresh faces", () => ({ sans: freshFont(sans), mono: freshFont(mono) })],
    ["the shared faces", () => ({ sans: loadFonts().sans, mono: loadFonts().mono })],
  ] as const)("writes the same file as pdfkit's doc.text, with %s", async ([, faces]) => {
    const render = (draw: (doc: PDFKit.PDFDocument, text: string, y: number) => void) =>
      documentBytes((doc) => {
        const { sans, mono } = faces();
        doc.registerFont("sans", sans as never);
        doc.registerFont("mono", mono as never);
        doc.addPage({ size: "A4" });
        lines.forEach((text, index) => {
          doc.font(index % 2 ? "mono" : "sans").fontSize(10.5 + index);
          draw(doc, text, 100 + index * 20.25);
        });
      });
    const theirs = await render((doc, text, y) =>
      doc.text(text, 56.5, y, { lineBreak: false, baseline: "alphabetic" }),
    );
    const ours = await render((doc, text, y) => drawText(doc, text, 56.5, y));
    expect(ours.equals(theirs)).toBe(true);
  });
});

describe("useColors", () => {
  it("writes the same file as pdfkit's fillColor and strokeColor", async () => {
    const render = (colors: boolean) =>
      documentBytes((doc) => {
        if (colors) useColors(doc);
        doc.addPage({ size: "A4" });
        // Hex colours (twice: the second from the kept operators), upper case, short hex, a named colour, opacity.
        for (const color of ["#1f3a5f", "#C0392B", "#1f3a5f", "#abc", "red", "#0b6e4f"]) {
          doc.fillColor(color).rect(10, 10, 20, 20).fill();
          doc.strokeColor(color).moveTo(0, 0).lineTo(50, 50).stroke();
        }
        doc.fillColor("#445566", 0.5).rect(40, 40, 5, 5).fill();
        doc.strokeColor("#445566", 0.25).moveTo(0, 0).lineTo(9, 9).stroke();
        doc.fillColor("#0b6e4f").text("Fill", 100, 100);
      });
    expect((await render(true)).equals(await render(false))).toBe(true);
  });
});

describe("determinism across render order", () => {
  it("renders the same bytes whatever the process rendered before", async () => {
    const first = await freshRenderer();
    const bulletin = await load3cx();
    const attachments = exportsOf(bulletin);
    const alone = await first(bulletin, "en", { attachments });

    // A fresh module graph (fresh fonts and caches) that first renders other bulletins. fontkit
    // keeps one glyph object per glyph with the code points of whoever asked first: a summary
    // with U+2010 HYPHEN (same glyph as `-`) or composite glyphs (emoji, CJK, accents in the
    // subsetter) used to change the ToUnicode map of every later PDF.
    const second = await freshRenderer();
    const hyphenated = parseGenerated("hyphenated", (lang) =>
      largeBulletin(12, lang)
        .replace("Boletín generado", "Boletín pre\u2010generado")
        .replace("Generated bulletin", "Pre\u2010generated bulletin"),
    );
    const unplanned = parseGenerated("unplanned", unplannedBulletin);
    await second(hyphenated, "en");
    await second(unplanned, "es");
    const after = await second(bulletin, "en", { attachments });

    expect(Buffer.from(after.bytes).equals(Buffer.from(alone.bytes))).toBe(true);
    // Periods survive text extraction (they were lost from the ToUnicode map before).
    expect(pdfText(after.bytes)).toMatch(/\[\.\]/u);
  });
});

async function freshRenderer(): Promise<typeof renderPdf> {
  vi.resetModules();
  const module = await import("../src/index.js");
  return module.renderPdf;
}
