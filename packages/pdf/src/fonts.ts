/**
 * Fonts: Source Sans 3 for text and Source Code Pro for indicators (Adobe, SIL OFL 1.1), read from
 * their npm packages and parsed once per process with fontkit. pdfkit accepts the parsed font
 * object in `registerFont`, which saves re-parsing the TTF for every document (TOOLCHAIN G12).
 */
import { create, type Font, type Glyph } from "fontkit";
import type { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
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
 * The shaping shortcut. fontkit's layout (GSUB, then GPOS) costs 50–300 µs per text, and every text a bulletin
 * does not share with the ones before (indicator values, numbers, identifiers, addresses, dates) is shaped at least
 * once. For the characters below, our faces' shaping reduces to looking glyphs up and kerning pairs:
 *
 * - Source Code Pro (`mono`, `monoBold`): monospaced, no kerning, no ligature or contextual substitution on by
 *   default: each character is its `cmap` glyph at its own advance.
 * - Source Sans 3 (the four text faces): of the lookups fontkit applies by default, the contextual substitutions and
 *   ligatures of `ccmp` only act next to combining marks or on l·l (neither the marks nor the middle dot are in the
 *   set), and the mark positioning (`mark`, `mkmk`) on marks; `liga` forms f_f, f_t and f_f_t only; `kern` is pair
 *   adjustment of the first glyph alone (no second value record). So a text of these characters is its `cmap`
 *   glyphs, each advanced by its width plus the kerning of the pair it starts, unless it holds a pair that shaping
 *   changes otherwise (`ff`, `ft`): those texts still go to fontkit.
 *
 * A pair's kerning is asked of fontkit once per process (the layout of the two characters alone), which also finds the
 * pairs shaping changes, unless the kerning table made at build time has it: every pair of the four text faces, made by
 * the same function (see {@link kerningTable}), which a cold process would otherwise ask of fontkit one by one (≈ 0.2 s
 * of a worker's first bulletin). No pair that starts with a space is kerned, so laying a text out as one run
 * (`font.layout`) or word by word (pdfkit, each word with its trailing space) gives the same advances; a face that
 * kerned one would have its texts with that pair sent to fontkit. `test/fonts.test.ts` holds both kinds of face to
 * fontkit's own layout on every pair and on random text, and `test/performance.test.ts` compares whole files with
 * pdfkit's `doc.text`.
 */
const FAST_FACES: Readonly<Partial<Record<FontKey, "identity" | "kerned">>> = {
  mono: "identity",
  monoBold: "identity",
  sans: "kerned",
  sansBold: "kerned",
  sansItalic: "kerned",
  sansBoldItalic: "kerned",
};

/**
 * Printable ASCII, then (text faces only) Latin-1's letters and signs but the soft hyphen and the middle dot, and
 * common punctuation.
 */
const ASCII_CODES = Array.from({ length: 0x7f - 0x20 }, (_, index) => 0x20 + index);
const TEXT_CODES = [
  ...ASCII_CODES,
  ...Array.from({ length: 0x100 - 0xa1 }, (_, index) => 0xa1 + index).filter(
    (code) => code !== 0xad && code !== 0xb7,
  ),
  ...[0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2026, 0x20ac],
];

/** The text faces' characters as the kerning table names them (see {@link KerningTable}). */
const TEXT_CODES_KEY = TEXT_CODES.join(" ");

/** The shortcut's data for one face. */
interface FastFace {
  /** Dense index of each character of the set, by code (-1 elsewhere). */
  readonly slots: Int16Array;
  /** The `cmap` glyph of each character, by dense index. */
  readonly glyphs: readonly Glyph[];
  /** Each character's code, by dense index. */
  readonly codes: readonly number[];
  /**
   * Text faces: the kerning of each pair in font units, at `first * size + second` (dense indexes); `UNKNOWN` until
   * fontkit was asked, `NaN` for a pair shaping changes otherwise. Undefined for the identity faces.
   */
  readonly pairs: Float64Array | undefined;
  /** `head.unitsPerEm` (fontkit's getter goes through the table each time). */
  readonly unitsPerEm: number;
}

const UNKNOWN = Number.POSITIVE_INFINITY;
const fastFaces = new WeakMap<Font, FastFace>();

/**
 * Set up the shortcut for a face.
 *
 * @param font The parsed face.
 * @param kind Its kind.
 * @param known For a text face, the kerning table's pairs for this very file: every pair known from the start.
 */
function fastFace(font: Font, kind: "identity" | "kerned", known?: readonly (number | null)[]): FastFace {
  const codes = kind === "identity" ? ASCII_CODES : TEXT_CODES;
  const slots = new Int16Array(Math.max(...codes) + 1).fill(-1);
  codes.forEach((code, index) => (slots[code] = index));
  let pairs: Float64Array | undefined;
  if (kind === "kerned") {
    pairs = new Float64Array(codes.length * codes.length).fill(known ? 0 : UNKNOWN);
    for (let index = 0; known && index < known.length; index += 2) {
      pairs[known[index]!] = known[index + 1] ?? Number.NaN;
    }
  }
  return {
    slots,
    glyphs: codes.map((code) => font.glyphForCodePoint(code)),
    codes,
    pairs,
    unitsPerEm: font.unitsPerEm,
  };
}

/** The kerning of a pair (dense indexes) in font units, `NaN` when shaping it does more than kern its first glyph. */
function pairKerning(font: Font, face: FastFace, pairs: Float64Array, first: number, second: number): number {
  const slot = first * face.glyphs.length + second;
  let kerning = pairs[slot]!;
  if (kerning === UNKNOWN) {
    const run = font.layout(String.fromCharCode(face.codes[first]!, face.codes[second]!));
    const [a, b] = run.glyphs;
    const [pa, pb] = run.positions;
    const plain =
      run.glyphs.length === 2 &&
      a !== undefined &&
      b !== undefined &&
      pa !== undefined &&
      pb !== undefined &&
      a === face.glyphs[first] &&
      b === face.glyphs[second] &&
      !pa.xOffset &&
      !pa.yOffset &&
      !pa.yAdvance &&
      !pb.xOffset &&
      !pb.yOffset &&
      !pb.yAdvance &&
      pb.xAdvance === b.advanceWidth;
    kerning = plain ? pa.xAdvance - a.advanceWidth : Number.NaN;
    // pdfkit shapes a text word by word, each word with its trailing space: a pair that starts with a space is not
    // kerned there but would be in one run. None is in these faces; should one be, its texts go to fontkit.
    if (face.codes[first] === 0x20 && kerning !== 0) kerning = Number.NaN;
    pairs[slot] = kerning;
  }
  return kerning;
}

/** A text laid out by the shortcut: its glyphs and each one's advance in font units. */
export interface FastRun {
  readonly glyphs: readonly Glyph[];
  readonly advances: readonly number[];
}

/**
 * The glyphs and advances fontkit's layout would give `text` in `font`, when the shortcut applies (see above), else
 * undefined: the caller then asks fontkit.
 *
 * @param font A face from {@link loadFonts}.
 * @param text Text to lay out.
 * @returns The run, or undefined.
 */
export function fastRun(font: Font, text: string): FastRun | undefined {
  const face = fastFaces.get(font);
  if (!face) return undefined;
  const run = { glyphs: new Array<Glyph>(text.length), advances: new Array<number>(text.length) };
  return layOut(face, font, text, run) === undefined ? undefined : run;
}

/**
 * Lay `text` out with the shortcut: its advance as one run in font units, or undefined when the shortcut does not
 * apply. With `run`, each glyph and its advance (kerning included) are written into it as well.
 */
function layOut(
  face: FastFace,
  font: Font,
  text: string,
  run?: { glyphs: Glyph[]; advances: number[] },
): number | undefined {
  const { slots, glyphs: table, pairs } = face;
  let total = 0;
  let previous = -1;
  for (let index = 0; index < text.length; index++) {
    const slot = slots[text.charCodeAt(index)] ?? -1;
    if (slot < 0) return undefined;
    const glyph = table[slot]!;
    total += glyph.advanceWidth;
    if (run) {
      run.glyphs[index] = glyph;
      run.advances[index] = glyph.advanceWidth;
    }
    if (pairs && previous >= 0) {
      const kerning = pairKerning(font, face, pairs, previous, slot);
      if (kerning !== kerning) return undefined;
      total += kerning;
      if (run) run.advances[index - 1] = run.advances[index - 1]! + kerning;
    }
    previous = slot;
  }
  return total;
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
    const files = Object.fromEntries(FONT_KEYS.map((key) => [key, faceFile(key)]));
    bytes = files as unknown as Record<FontKey, Uint8Array>;
  }
  return bytes;
}

/**
 * The parsed fonts, loaded on first use and kept for the life of the process.
 *
 * @returns One fontkit font per face.
 */
export function loadFonts(): Readonly<Record<FontKey, Font>> {
  cache ??= openFonts(readKerning());
  return cache;
}

/**
 * Parse every face and set up the shaping shortcut, its kerning taken from `kerning` for each text face whose file
 * is the one the table was made from (the same SHA-256), else asked of fontkit pair by pair as texts need it.
 *
 * @param kerning A table from {@link kerningTable}, or undefined.
 * @returns One fontkit font per face (not cached: {@link loadFonts} keeps the process's).
 */
export function openFonts(kerning: KerningTable | undefined): Readonly<Record<FontKey, Font>> {
  const entries = FONT_KEYS.map((key) => {
    const { file, font } = parseFace(key);
    const kind = FAST_FACES[key];
    if (kind) {
      // The table's pairs, when it was made for this very file and these characters.
      const known = kerning?.faces[key];
      const table =
        known && kerning.codes === TEXT_CODES_KEY && known.sha256 === sha256(file) ? known.pairs : undefined;
      fastFaces.set(font, fastFace(font, kind, table));
    }
    return [key, font] as const;
  });
  return Object.fromEntries(entries) as Record<FontKey, Font>;
}

/**
 * The kerning of every pair of the text faces' characters, as the shortcut reads it: written beside the compiled
 * module at build time (`scripts/kerning.mjs`, `dist/kerning.json`).
 */
export interface KerningTable {
  /** The characters' codes, in dense-index order, joined by spaces. */
  readonly codes: string;
  /** By face: its file's SHA-256, and `[pair, kerning, …]` for every pair that is not 0 (null: shaping changes it). */
  readonly faces: Readonly<
    Partial<Record<FontKey, { readonly sha256: string; readonly pairs: readonly (number | null)[] }>>
  >;
}

/** Where the build writes the table: beside this module (none beside the sources: texts then ask fontkit). */
const KERNING_FILE = new URL("./kerning.json", import.meta.url);

function readKerning(): KerningTable | undefined {
  try {
    return JSON.parse(readFileSync(KERNING_FILE, "utf8")) as KerningTable;
  } catch {
    return undefined;
  }
}

/** A face's file, from its npm package. */
function faceFile(key: FontKey): Buffer {
  return readFileSync(createRequire(import.meta.url).resolve(FILES[key]));
}

/** A face's file, and the font parsed from it with its glyphs' code points claimed (see {@link claimCodePoints}). */
function parseFace(key: FontKey): { readonly file: Uint8Array; readonly font: Font } {
  const file = faceFile(key);
  const font = create(file);
  claimCodePoints(font);
  return { file, font };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Ask fontkit for the kerning of every pair of the text faces' characters (≈ 1 s a face), from freshly parsed
 * files, with the function the shortcut uses.
 *
 * @returns The table `scripts/kerning.mjs` writes.
 */
export function kerningTable(): KerningTable {
  const faces: Partial<Record<FontKey, { sha256: string; pairs: (number | null)[] }>> = {};
  for (const key of FONT_KEYS) {
    if (FAST_FACES[key] !== "kerned") continue;
    const { file, font } = parseFace(key);
    const face = fastFace(font, "kerned");
    const size = face.codes.length;
    const pairs: (number | null)[] = [];
    for (let first = 0; first < size; first++) {
      for (let second = 0; second < size; second++) {
        const kerning = pairKerning(font, face, face.pairs!, first, second);
        if (kerning !== 0) pairs.push(first * size + second, Number.isNaN(kerning) ? null : kerning);
      }
    }
    faces[key] = { sha256: sha256(file), pairs };
  }
  return { codes: TEXT_CODES_KEY, faces };
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
  const face = fastFaces.get(font);
  if (face) {
    // Cheaper to add up again than to keep thousands of one-off indicators and numbers.
    const fast = layOut(face, font, text);
    if (fast !== undefined) return fast / face.unitsPerEm;
  }
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
