/**
 * Fonts: Source Sans 3 for text and Source Code Pro for indicators (Adobe, SIL OFL 1.1), read from
 * their npm packages and parsed once per process with fontkit. pdfkit accepts the parsed font
 * object in `registerFont`, which saves re-parsing the TTF for every document (TOOLCHAIN G12).
 */
import { create, type Font, type Glyph } from "fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The faces a bulletin uses. */
export type FontKey = "sans" | "sansBold" | "sansItalic" | "sansBoldItalic" | "mono" | "monoBold";

/** Every face, in registration order. */
export const FONT_KEYS: readonly FontKey[] = [
  "sans",
  "sansBold",
  "sansItalic",
  "sansBoldItalic",
  "mono",
  "monoBold",
];

// TTF rather than OTF: fontkit's TrueType subsetter is the better-tested path in pdfkit, and
// WOFF2 does not load at all (TOOLCHAIN §4).
const FILES: Readonly<Record<FontKey, string>> = {
  sans: "source-sans/TTF/SourceSans3-Regular.ttf",
  sansBold: "source-sans/TTF/SourceSans3-Semibold.ttf",
  sansItalic: "source-sans/TTF/SourceSans3-It.ttf",
  sansBoldItalic: "source-sans/TTF/SourceSans3-SemiboldIt.ttf",
  mono: "source-code-pro/TTF/SourceCodePro-Regular.ttf",
  monoBold: "source-code-pro/TTF/SourceCodePro-Semibold.ttf",
};

/**
 * Faces whose shaping of printable ASCII is the identity: each character is its `cmap` glyph at its own advance
 * (Source Code Pro: monospaced, no kerning, no ligature or contextual substitution on by default). For them
 * {@link simpleRun} lays indicators out without running fontkit's GSUB/GPOS engine; `test/index.test.ts`
 * holds it to fontkit's own layout.
 */
const SIMPLE_FACES: ReadonlySet<FontKey> = new Set(["mono", "monoBold"]);
/** The simple faces' `cmap` glyphs of printable ASCII, by character code (fontkit looks each up in the `cmap`). */
const simpleGlyphs = new WeakMap<Font, readonly Glyph[]>();

/** Printable ASCII only (U+0020–U+007E). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/u;

/** The glyph table of `font` when {@link simpleRun} applies to `text` (a simple face, printable ASCII). */
function simpleTable(font: Font, text: string): readonly Glyph[] | undefined {
  const table = simpleGlyphs.get(font);
  return table && PRINTABLE_ASCII.test(text) ? table : undefined;
}

/**
 * The glyphs of `text` in `font` when shaping cannot change them (a simple face and printable ASCII), else
 * undefined: the caller then asks fontkit.
 *
 * @param font A parsed face.
 * @param text Text to lay out.
 * @returns The `cmap` glyph of each character, or undefined.
 */
export function simpleRun(font: Font, text: string): readonly Glyph[] | undefined {
  const table = simpleTable(font, text);
  if (!table) return undefined;
  const glyphs = new Array<Glyph>(text.length);
  for (let index = 0; index < text.length; index++) glyphs[index] = table[text.charCodeAt(index)]!;
  return glyphs;
}

/**
 * The advance of `text` in font units when {@link simpleRun} would lay it out, else undefined.
 *
 * @param font A parsed face.
 * @param text Text to measure.
 * @returns The sum of its glyphs' advances, or undefined.
 */
function simpleAdvance(font: Font, text: string): number | undefined {
  const table = simpleTable(font, text);
  if (!table) return undefined;
  let advance = 0;
  for (let index = 0; index < text.length; index++) advance += table[text.charCodeAt(index)]!.advanceWidth;
  return advance;
}

let cache: Readonly<Record<FontKey, Font>> | undefined;
let bytes: Readonly<Record<FontKey, Uint8Array>> | undefined;

/**
 * Benchmark switch, not part of the public API: `naive` makes every document register the font
 * files as bytes, so pdfkit parses them again per document (the baseline `npm run bench` shows).
 */
export const fontMode: { naive: boolean } = { naive: false };

/**
 * The raw font files, read once (for the naive baseline only).
 *
 * @returns One file's bytes per face.
 */
export function fontBytes(): Readonly<Record<FontKey, Uint8Array>> {
  if (!bytes) {
    const require = createRequire(import.meta.url);
    bytes = Object.fromEntries(
      FONT_KEYS.map((key) => [key, readFileSync(require.resolve(FILES[key]))]),
    ) as unknown as Record<FontKey, Uint8Array>;
  }
  return bytes;
}

/**
 * The parsed fonts, loaded on first use and kept for the life of the process.
 *
 * @returns One fontkit font per face.
 */
export function loadFonts(): Readonly<Record<FontKey, Font>> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    const entries = FONT_KEYS.map((key) => {
      const font = create(readFileSync(require.resolve(FILES[key])));
      claimCodePoints(font);
      if (SIMPLE_FACES.has(key)) {
        const table: Glyph[] = [];
        for (let code = 0x20; code <= 0x7e; code++) table[code] = font.glyphForCodePoint(code);
        simpleGlyphs.set(font, table);
      }
      return [key, font] as const;
    });
    cache = Object.fromEntries(entries) as Record<FontKey, Font>;
  }
  return cache;
}

/**
 * Give every glyph the font maps a character to its code points, before anything else touches
 * the font. fontkit caches one glyph object per glyph id with the code points of whoever first
 * asked for it, and pdfkit writes those into the ToUnicode map (what copy and paste, search and
 * `pdftotext` read). With fonts shared by all the documents of a process, the first asker
 * depended on what had been rendered before: a glyph first met as a component of a composite
 * glyph (in fontkit's subsetter) got no code points and vanished from the text of every later
 * PDF, and `ﬀ` versus `ff` depended on the order. Claimed up front, the map is the same whatever
 * the render order: the lowest code point of a glyph (space, not no-break space; hyphen-minus,
 * not soft hyphen), and for the Latin ligatures U+FB00–U+FB06 the letters they join, as the
 * ligature feature reports them when it forms them from typed text.
 *
 * @param font A freshly parsed font.
 */
function claimCodePoints(font: Font): void {
  const codePoints = [...font.characterSet].sort((a, b) => a - b);
  for (const codePoint of codePoints) {
    const glyph = font.glyphForCodePoint(codePoint);
    if (codePoint >= 0xfb00 && codePoint <= 0xfb06) {
      const letters = String.fromCodePoint(codePoint).normalize("NFKD");
      glyph.codePoints = Array.from(letters, (letter) => letter.codePointAt(0) ?? 0);
    }
  }
}

const coverage = new Map<FontKey, Map<number, boolean>>();

/**
 * Whether a face has a glyph for a code point, remembered per process (fontkit looks it up in the
 * `cmap` subtable every time, and every character of every run is checked).
 *
 * @param key Face.
 * @param codePoint Unicode code point.
 * @returns Whether the face can draw it.
 */
export function hasGlyph(key: FontKey, codePoint: number): boolean {
  let known = coverage.get(key);
  if (!known) {
    known = new Map();
    coverage.set(key, known);
  }
  let has = known.get(codePoint);
  if (has === undefined) {
    has = loadFonts()[key].hasGlyphForCodePoint(codePoint);
    known.set(codePoint, has);
  }
  return has;
}

const widths = new Map<FontKey, Map<string, number>>();

/**
 * Width of `text` in `key` at 1 pt, cached across documents (the cache is bounded).
 *
 * @param key Face.
 * @param text Text without line breaks.
 * @returns Width in points for a 1 pt size.
 */
export function unitWidth(key: FontKey, text: string): number {
  const font = loadFonts()[key];
  // Cheaper to add up again than to keep thousands of one-off indicators.
  const simple = simpleAdvance(font, text);
  if (simple !== undefined) return simple / font.unitsPerEm;
  // One map per face: no key string to build for every word measured.
  let known = widths.get(key);
  if (!known) {
    known = new Map();
    widths.set(key, known);
  }
  let width = known.get(text);
  if (width === undefined) {
    width = font.layout(text).advanceWidth / font.unitsPerEm;
    if (known.size > 20_000) known.clear();
    known.set(text, width);
  }
  return width;
}

const layoutCaches = new Map<FontKey, Record<string, unknown>>();
let layoutCacheChecks = 0;

/**
 * A layout cache for pdfkit's embedded font, shared by every document of the process. pdfkit
 * starts each document with an empty cache and shapes every word again; shaping (GSUB/GPOS) is
 * most of the cost of a PDF, and the cached runs are only read, never changed.
 *
 * @param key Face.
 * @returns The cache object to install as the font's `layoutCache`.
 */
export function sharedLayoutCache(key: FontKey): Record<string, unknown> {
  let cache = layoutCaches.get(key);
  // pdfkit fills the cache itself, so its size is only known by counting keys: do that now and
  // then rather than for every document.
  if (!cache || (++layoutCacheChecks % 64 === 0 && Object.keys(cache).length > 20_000)) {
    cache = Object.create(null) as Record<string, unknown>;
    layoutCaches.set(key, cache);
  }
  return cache;
}
