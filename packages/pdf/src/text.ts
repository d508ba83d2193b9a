/**
 * Drawing one line of text: the operators pdfkit's `doc.text(text, x, y, { lineBreak: false,
 * baseline: "alphabetic" })` writes, without its per-call overhead.
 *
 * For every call pdfkit copies and normalises the options, measures the text twice (shaping it
 * word by word and concatenating the glyph arrays each time) although only links and underlines
 * need the width, counts the words, and shapes it a third time to encode it. Every line of a
 * bulletin takes that path. Here a text is shaped once per process and face (through pdfkit's own
 * `layout`, so the glyphs and positions are the ones pdfkit would use) and each call only maps
 * glyphs to the document's subset and writes the operators: the content stream is byte for byte
 * what `doc.text` writes (`test/performance.test.ts` compares whole files, kerning, ligatures and
 * combining marks included).
 */
import type { Font } from "fontkit";
import { fastRun, type FastRun } from "./fonts.js";

/** A pdfkit glyph position (font units scaled to 1000/em), as `EmbeddedFont.layout` returns it. */
interface Position {
  readonly xAdvance: number;
  readonly yAdvance: number;
  readonly xOffset: number;
  readonly yOffset: number;
  readonly advanceWidth: number;
}

interface Glyph {
  readonly id: number;
  readonly advanceWidth: number;
  readonly codePoints: readonly number[];
}

/** A TJ array's string: it ends after a kerned glyph (or at the end) and carries its adjustment, formatted. */
interface Piece {
  readonly end: number;
  readonly adjust: string;
}

/**
 * A shaped text: its TJ strings when no glyph has an offset, else the positions `_fragment` draws
 * it from (moving the text matrix around combining marks).
 */
type Shaped =
  | { readonly glyphs: readonly Glyph[]; readonly pieces: readonly Piece[] }
  | {
      readonly glyphs: readonly Glyph[];
      readonly pieces: undefined;
      readonly positions: readonly Position[];
    };

/** pdfkit's `EmbeddedFont`: the document's use of one face. */
interface EmbeddedFont {
  readonly id: string;
  readonly font: Font;
  readonly scale: number;
  readonly subset: { includeGlyph(gid: number): number };
  readonly widths: number[];
  readonly unicode: (readonly number[])[];
  layout(text: string): { readonly glyphs: readonly Glyph[]; readonly positions: readonly Position[] };
  ref(): unknown;
}

/** The pdfkit document state this needs. */
interface TextDoc {
  readonly _font: EmbeddedFont;
  readonly _fontSize: number;
  readonly page: { readonly height: number; readonly fonts: Record<string, unknown> };
  x: number;
  y: number;
  save(): unknown;
  restore(): unknown;
  transform(m11: number, m12: number, m21: number, m22: number, dx: number, dy: number): unknown;
  addContent(data: string): unknown;
}

const shapedCache = new WeakMap<Font, Map<string, Shaped>>();
/** Per document (pdfkit makes an `EmbeddedFont` per document and face): glyph id → subset hex. */
const documentHexes = new WeakMap<EmbeddedFont, string[]>();
const CACHE_LIMIT = 10_000;

/** Shaping calls that missed the cross-document cache (for the regression test). */
export const textStats = { shaped: 0 };

function shape(font: EmbeddedFont, text: string): Shaped {
  // Indicators, numbers and most one-off texts skip the shaping engine, which could not lay them out otherwise (see
  // `fastRun`); laying them out again costs less than keeping thousands of one-off strings.
  const fast = fastRun(font.font, text);
  if (fast) return { glyphs: fast.glyphs, pieces: fastPieces(font, fast) };
  let cache = shapedCache.get(font.font);
  if (!cache) {
    cache = new Map();
    shapedCache.set(font.font, cache);
  }
  let shaped = cache.get(text);
  if (!shaped) {
    // pdfkit's own layout (word by word, through the shared per-word cache): the same glyphs and
    // positions `doc.text` would encode. Only read afterwards, never changed.
    const { glyphs, positions } = font.layout(text);
    const pieces = plan(positions);
    shaped = pieces ? { glyphs, pieces } : { glyphs, pieces, positions };
    textStats.shaped++;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, shaped);
  }
  return shaped;
}

/**
 * {@link plan} of the positions `EmbeddedFont.layoutRun` would make of a fast run (fontkit's
 * advances scaled to 1000/em beside each glyph's own advance, scaled), without making them.
 */
function fastPieces(font: EmbeddedFont, run: FastRun): Piece[] {
  const { glyphs, advances } = run;
  const { scale } = font;
  const pieces: Piece[] = [];
  let adjust = 0;
  for (let index = 0; index < glyphs.length; index++) {
    adjust = advances[index]! * scale - glyphs[index]!.advanceWidth * scale;
    if (adjust !== 0) pieces.push({ end: index + 1, adjust: String(number(-adjust)) });
  }
  if (adjust === 0 && glyphs.length > 0) pieces.push({ end: glyphs.length, adjust: String(number(-adjust)) });
  return pieces;
}

/** How `_fragment`'s loop splits a run without offsets into TJ strings. */
function plan(positions: readonly Position[]): Piece[] | undefined {
  const pieces: Piece[] = [];
  let last = 0;
  for (let index = 0; index < positions.length; index++) {
    const position = positions[index]!;
    if (position.xOffset || position.yOffset) return undefined;
    const advance = position.xAdvance - position.advanceWidth;
    if (advance !== 0) {
      pieces.push({ end: index + 1, adjust: String(number(-advance)) });
      last = index + 1;
    }
  }
  if (last < positions.length) {
    const final = positions.at(-1)!;
    pieces.push({ end: positions.length, adjust: String(number(-(final.xAdvance - final.advanceWidth))) });
  }
  return pieces;
}

/**
 * `EmbeddedFont.encode`: subset glyph ids as 4 hex digits, keeping each glyph's first width and
 * code points. Each glyph's hex is remembered for the document (its subset id never changes).
 *
 * @returns The hex of every glyph in one string, 4 digits per glyph (one flat string: adding
 *   glyph after glyph to a string makes a node per glyph for the garbage collector).
 */
function encode(font: EmbeddedFont, glyphs: readonly Glyph[]): string {
  let hexes = documentHexes.get(font);
  if (!hexes) {
    hexes = [];
    documentHexes.set(font, hexes);
  }
  const encoded: string[] = new Array<string>(glyphs.length);
  for (let index = 0; index < glyphs.length; index++) {
    const glyph = glyphs[index]!;
    let hex = hexes[glyph.id];
    if (hex === undefined) {
      const gid = font.subset.includeGlyph(glyph.id);
      hex = `0000${gid.toString(16)}`.slice(-4);
      font.widths[gid] ??= glyph.advanceWidth * font.scale;
      font.unicode[gid] ??= glyph.codePoints;
      hexes[glyph.id] = hex;
    }
    encoded[index] = hex;
  }
  return encoded.join("");
}

/** pdfkit's `PDFObject.number`: six decimals at most, as JavaScript prints them. */
function number(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/**
 * Draw `text` with its alphabetic baseline at (`x`, `y`) in the current font, size and colour,
 * writing the same operators as pdfkit's `doc.text(text, x, y, { lineBreak: false, baseline:
 * "alphabetic" })` (`_text` → `_line` → `_fragment`, without link, underline, strike, spacing or
 * rotation options, which this package never passes).
 *
 * @param doc The pdfkit document.
 * @param text Text without line breaks (wrapped lines, labels).
 * @param x Left edge.
 * @param y Baseline.
 */
export function drawText(doc: object, text: string, x: number, y: number): void {
  const state = doc as TextDoc;
  // pdfkit moves its cursor too; nothing here reads it, but keep it where pdfkit would start.
  state.x = x;
  state.y = y;
  fragment(state, text, x, y);
}

function fragment(doc: TextDoc, text: string, x: number, top: number): void {
  if (text.length === 0) return;
  const font = doc._font;
  const size = doc._fontSize;
  const height = doc.page.height;
  const y = height - top;
  doc.page.fonts[font.id] ??= font.ref();
  const shaped = shape(font, text);
  const { pieces } = shaped;
  const encoded = encode(font, shaped.glyphs);
  // `_fragment` writes: save, flip the y axis, the text object, restore.
  const open = `BT\n1 0 0 1 ${number(x)} ${number(y)} Tm\n/${font.id} ${number(size)} Tf`;

  if (pieces) {
    // One write for the whole fragment; the page buffer joins writes with "\n" as pdfkit does.
    // The q/Q pair leaves pdfkit's transformation matrix as it was, so it is not tracked.
    const head = `q\n1 0 0 -1 0 ${number(height)} cm\n${open}`;
    if (pieces.length === 0) doc.addContent(`${head}\nET\nQ`);
    else if (pieces.length === 1) doc.addContent(`${head}\n[<${encoded}> ${pieces[0]!.adjust}] TJ\nET\nQ`);
    else {
      const strings = new Array<string>(pieces.length);
      let start = 0;
      for (let index = 0; index < pieces.length; index++) {
        const piece = pieces[index]!;
        strings[index] = `<${encoded.slice(start * 4, piece.end * 4)}> ${piece.adjust}`;
        start = piece.end;
      }
      doc.addContent(`${head}\n[${strings.join(" ")}] TJ\nET\nQ`);
    }
    return;
  }

  const { positions } = shaped;
  doc.save();
  doc.transform(1, 0, 0, -1, 0, height);
  doc.addContent(open);
  // With offsets: `_fragment`'s TJ loop as it is, a new string after each kerning adjustment and
  // a new Tm around each glyph with an offset.
  const scale = size / 1000;
  const commands: string[] = [];
  let last = 0;
  let hadOffset = false;
  let cursor = x;
  const addSegment = (end: number) => {
    if (last < end) {
      const advance = positions[end - 1]!.xAdvance - positions[end - 1]!.advanceWidth;
      commands.push(`<${encoded.slice(last * 4, end * 4)}> ${number(-advance)}`);
    }
    last = end;
  };
  const flush = (end: number) => {
    addSegment(end);
    if (commands.length > 0) {
      doc.addContent(`[${commands.join(" ")}] TJ`);
      commands.length = 0;
    }
  };
  let index = 0;
  for (; index < positions.length; index++) {
    const position = positions[index]!;
    if (position.xOffset || position.yOffset) {
      flush(index);
      doc.addContent(
        `1 0 0 1 ${number(cursor + position.xOffset * scale)} ${number(y + position.yOffset * scale)} Tm`,
      );
      flush(index + 1);
      hadOffset = true;
    } else {
      if (hadOffset) {
        doc.addContent(`1 0 0 1 ${number(cursor)} ${number(y)} Tm`);
        hadOffset = false;
      }
      if (position.xAdvance - position.advanceWidth !== 0) addSegment(index + 1);
    }
    cursor += position.xAdvance * scale;
  }
  flush(index);
  doc.addContent("ET");
  doc.restore();
}
