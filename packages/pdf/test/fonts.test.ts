import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadFonts, simpleRun, unitWidth } from "../src/fonts.js";

const fonts = loadFonts();
const ascii = Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index));

/** fontkit's own layout, as ids and advances. */
function shaped(key: "mono" | "monoBold", text: string) {
  const run = fonts[key].layout(text);
  return {
    ids: run.glyphs.map((glyph) => glyph.id),
    advances: run.positions.map((position) => position.xAdvance),
    offsets: run.positions.filter((position) => position.xOffset || position.yOffset || position.yAdvance)
      .length,
  };
}

function simple(key: "mono" | "monoBold", text: string) {
  const glyphs = simpleRun(fonts[key], text);
  if (!glyphs) throw new Error(`no simple run for ${JSON.stringify(text)}`);
  return {
    ids: glyphs.map((glyph) => glyph.id),
    advances: glyphs.map((glyph) => glyph.advanceWidth),
    offsets: 0,
  };
}

describe("the shaping shortcut for indicators", () => {
  it.for(["mono", "monoBold"] as const)("matches fontkit on every ASCII pair in %s", (key) => {
    for (const first of ascii) {
      const text = ascii.map((second) => `${first}${second}`).join("");
      expect(simple(key, text)).toEqual(shaped(key, text));
    }
  });

  it.for(["mono", "monoBold"] as const)("matches fontkit on random ASCII text in %s", (key) => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ascii), maxLength: 120 }), (text) => {
        expect(simple(key, text)).toEqual(shaped(key, text));
        expect(unitWidth(key, text)).toBe(fonts[key].layout(text).advanceWidth / fonts[key].unitsPerEm);
      }),
      { numRuns: 2000 },
    );
  });

  it("is never taken for the text faces or for other characters", () => {
    expect(simpleRun(fonts.sans, "hxxps://example[.]com")).toBeUndefined();
    expect(simpleRun(fonts.sansBold, "abc")).toBeUndefined();
    expect(simpleRun(fonts.mono, "café")).toBeUndefined();
    expect(simpleRun(fonts.mono, "a\tb")).toBeUndefined();
    expect(simpleRun(fonts.mono, "hxxps://example[.]com")).toBeDefined();
  });
});
