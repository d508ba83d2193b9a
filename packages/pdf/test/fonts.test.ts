import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fastRun,
  kerningTable,
  loadFonts,
  openFonts,
  unitWidth,
  type FontKey,
  type KerningTable,
} from "../src/fonts.js";

const fonts = loadFonts();
const codes = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => String.fromCharCode(from + index));
const ascii = codes(0x20, 0x7e);
/** What the text faces' shortcut takes: ASCII, Latin-1 but the soft hyphen and middle dot, dashes, quotes, …, €. */
const text = [
  ...ascii,
  ...codes(0xa1, 0xff).filter((character) => character !== "\u00ad" && character !== "·"),
  ..."–—‘’“”…€",
];
const MONO = ["mono", "monoBold"] as const;
const SANS = ["sans", "sansBold", "sansItalic", "sansBoldItalic"] as const;
/** The pairs Source Sans 3 turns into ligatures (f_f, f_t, and f_f_t after them). */
const LIGATURES = /f[ft]/u;

interface Laid {
  readonly ids: readonly number[];
  readonly advances: readonly number[];
  /** Glyphs moved off their pen position or advanced vertically. */
  readonly offsets: number;
}

/** fontkit's own layout of `value` as one run, or word by word as pdfkit lays text out (each word with its spaces). */
function shaped(key: FontKey, value: string, words = false, faces = fonts): Laid {
  const chunks: string[] = [];
  if (words) {
    let last = 0;
    for (let index = 0; index < value.length; index++) {
      if (value[index] === " " || value[index] === "\t") {
        chunks.push(value.slice(last, index + 1));
        last = index + 1;
      }
    }
    if (last < value.length) chunks.push(value.slice(last));
  } else chunks.push(value);
  const runs = chunks.map((chunk) => faces[key].layout(chunk));
  return {
    ids: runs.flatMap((run) => run.glyphs.map((glyph) => glyph.id)),
    advances: runs.flatMap((run) => run.positions.map((position) => position.xAdvance)),
    offsets: runs.flatMap((run) => run.positions).filter((p) => p.xOffset || p.yOffset || p.yAdvance).length,
  };
}

function fast(key: FontKey, value: string, faces = fonts): Laid {
  const run = fastRun(faces[key], value);
  if (!run) throw new Error(`no fast run for ${JSON.stringify(value)} in ${key}`);
  return { ids: run.glyphs.map((glyph) => glyph.id), advances: run.advances, offsets: 0 };
}

/**
 * Check the shortcut of `faces` against fontkit on every pair of a text face's characters but the ligatures.
 *
 * @returns How many glyphs fontkit kerned (Source Sans 3 kerns ≈ 2,000 pairs of these characters).
 */
function everyPair(key: (typeof SANS)[number], faces: typeof fonts): number {
  let kerned = 0;
  for (const first of text) {
    // first x first y …: every pair that starts or ends with `first`.
    const value = text.filter((second) => !LIGATURES.test(first + second + first)).join(first);
    const expected = shaped(key, value, false, faces);
    expect(fast(key, value, faces)).toEqual(expected);
    expect(expected.offsets).toBe(0);
    kerned += expected.advances.filter(
      (advance, index) => advance !== faces[key].glyphForCodePoint(value.codePointAt(index)!).advanceWidth,
    ).length;
  }
  return kerned;
}

describe("the shaping shortcut", () => {
  it.for(MONO)("matches fontkit on every ASCII pair in %s", (key) => {
    for (const first of ascii) {
      const value = ascii.map((second) => `${first}${second}`).join("");
      expect(fast(key, value)).toEqual(shaped(key, value));
    }
  });

  it.for(SANS)("matches fontkit on every pair of its characters but the ligatures in %s", (key) => {
    expect(everyPair(key, fonts)).toBeGreaterThan(1000);
  });

  it.for([...MONO, ...SANS])("matches fontkit on random text in %s, as one run and word by word", (key) => {
    const units = (MONO as readonly string[]).includes(key) ? ascii : text;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...units), maxLength: 120 }), (value) => {
        if (LIGATURES.test(value) && !(MONO as readonly string[]).includes(key)) {
          expect(fastRun(fonts[key], value)).toBeUndefined();
          return;
        }
        expect(fast(key, value)).toEqual(shaped(key, value));
        expect(fast(key, value)).toEqual(shaped(key, value, true));
        expect(unitWidth(key, value)).toBe(fonts[key].layout(value).advanceWidth / fonts[key].unitsPerEm);
      }),
      { numRuns: 1500 },
    );
  });

  it("matches fontkit on numbers, identifiers, dates and addresses", () => {
    const values = [
      "15.871",
      "17,022 ",
      "ATRC-2023-001",
      "27 de febrero de 2016",
      "https://atrc.example/en/bulletins/2023-03-3cx/",
      "1/2 – 3/4 … «Año» “To” ‘Ty’ 100 €",
      "AVATAR  Tea. Vy, P. Ya",
    ];
    for (const key of SANS) {
      for (const value of values) {
        expect(fast(key, value)).toEqual(shaped(key, value));
        expect(fast(key, value)).toEqual(shaped(key, value, true));
      }
    }
  });

  it("leaves to fontkit what shaping changes otherwise: ligatures, combining marks, tabs, other scripts", () => {
    // fontkit forms the ligatures (f_f_t, and the Catalan l·l): fewer glyphs than characters.
    expect(fonts.sans.layout("offset").glyphs.length).toBeLessThan(6);
    expect(fonts.sans.layout("l·l").glyphs.length).toBeLessThan(3);
    for (const value of [
      "offset",
      "after",
      "Cafe\u0301",
      "n\u0303",
      "col·lecció",
      "a\tb",
      "soft\u00adhyphen",
      "Ωmega",
      "東京",
    ]) {
      expect(fastRun(fonts.sans, value), value).toBeUndefined();
      expect(fastRun(fonts.sansBoldItalic, value), value).toBeUndefined();
    }
    // The indicator faces take printable ASCII only; ligatures are text-face business.
    expect(fastRun(fonts.mono, "café")).toBeUndefined();
    expect(fastRun(fonts.mono, "a\tb")).toBeUndefined();
    expect(fastRun(fonts.mono, "hxxps://example[.]com/offset")).toBeDefined();
    expect(fastRun(fonts.sans, "hxxps://example[.]com")).toBeDefined();
  });

  it.for(SANS)(
    "lays text out the same as one run and word by word in %s: no pair starting with a space is kerned",
    (key) => {
      // pdfkit shapes each word with its trailing spaces on its own, `unitWidth` a whole text: the shortcut serves both.
      const space = fonts[key].glyphForCodePoint(0x20).advanceWidth;
      for (const second of text) expect(fonts[key].layout(` ${second}`).positions[0]!.xAdvance).toBe(space);
    },
  );
});

describe("the kerning table made at build time", () => {
  // Made once for the file (≈ 1 s a face): what `scripts/kerning.mjs` writes beside the compiled module.
  let made: KerningTable | undefined;
  const table = () => (made ??= kerningTable());

  it("holds every kerned pair of the text faces, and the pairs shaping changes", () => {
    const { codes, faces } = table();
    expect(codes.split(" ").map(Number)).toEqual(text.map((character) => character.codePointAt(0)));
    expect(Object.keys(faces).sort()).toEqual([...SANS].sort());
    for (const key of SANS) {
      const { sha256, pairs } = faces[key]!;
      expect(sha256).toMatch(/^[0-9a-f]{64}$/u);
      // f+f and f+t (null: left to fontkit) among ≈ 3,900 kerned pairs of these characters.
      const size = text.length;
      const changed = pairs.filter((value, index) => index % 2 === 1 && value === null).length;
      expect(changed).toBe(2);
      expect(pairs.length / 2).toBeGreaterThan(3000);
      const slotOf = (pair: string) => text.indexOf(pair[0]!) * size + text.indexOf(pair[1]!);
      const at = (pair: string) => {
        const index = pairs.findIndex((value, position) => position % 2 === 0 && value === slotOf(pair));
        return index < 0 ? 0 : pairs[index + 1];
      };
      expect(at("ff")).toBeNull();
      expect(at("ft")).toBeNull();
      expect(at("AV")).toBe(
        fonts[key].layout("AV").positions[0]!.xAdvance - fonts[key].glyphForCodePoint(0x41).advanceWidth,
      );
      expect(at("AV")).toBeLessThan(0);
    }
  });

  it.for(SANS)(
    "gives what fontkit gives on every pair but the ligatures, and on random text, in %s",
    (key) => {
      const faces = openFonts(table());
      expect(everyPair(key, faces)).toBeGreaterThan(1000);
      fc.assert(
        fc.property(fc.string({ unit: fc.constantFrom(...text), maxLength: 120 }), (value) => {
          if (LIGATURES.test(value)) expect(fastRun(faces[key], value)).toBeUndefined();
          else expect(fast(key, value, faces)).toEqual(shaped(key, value, true, faces));
        }),
        { numRuns: 300 },
      );
    },
  );

  it("is read for the font files it was made from, and only for those", () => {
    // Every kerned pair off by 7 units: a table that is read shows in the advances.
    const skewed = (sha256: (key: FontKey, made: string) => string): KerningTable => ({
      ...table(),
      faces: Object.fromEntries(
        Object.entries(table().faces).map(([key, face]) => [
          key,
          {
            sha256: sha256(key as FontKey, face.sha256),
            pairs: face.pairs.map((value, index) => (index % 2 === 1 && value !== null ? value + 7 : value)),
          },
        ]),
      ),
    });
    const value = "AVATAR  Tea. Vy, P. Ya";
    const read = openFonts(skewed((_, made) => made));
    const ignored = openFonts(skewed((key, made) => (key === "sans" ? "0".repeat(64) : made)));
    expect(fast("sans", value, ignored)).toEqual(shaped("sans", value, false, ignored));
    expect(fast("sansBold", value, ignored)).not.toEqual(shaped("sansBold", value, false, ignored));
    expect(fast("sans", value, read)).not.toEqual(shaped("sans", value, false, read));
    // Nor when the characters are not the ones the shortcut takes now.
    const otherCodes = openFonts({ ...skewed((_, made) => made), codes: "32 33" });
    expect(fast("sans", value, otherCodes)).toEqual(shaped("sans", value, false, otherCodes));
  });
});
