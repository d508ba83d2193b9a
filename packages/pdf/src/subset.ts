/**
 * A faster TrueType subsetter for pdfkit's embedded fonts, byte for byte the same as fontkit's.
 *
 * pdfkit asks fontkit for a subset of every face in every document (`font.createSubset()`), and
 * fontkit's `TTFSubset.encode()` decodes each glyph's outline again just to find the components of
 * composite glyphs, then re-encodes the fixed tables (`head`, `hhea`, `maxp`, `cvt `, `prep`,
 * `fpgm`) through `restructure`. That was about a quarter of the time of a PDF. Here, what does not
 * depend on the subset is taken once per process from fontkit itself:
 *
 * - per glyph (on first use): its raw `glyf` bytes, its composite components and its metrics,
 *   the same values `TTFSubset._addGlyph` reads, read from the raw tables;
 * - per face: the encoded fixed tables, cut out of a fontkit subset of glyph 0.
 *
 * A subset is then only concatenation plus `loca` and `hmtx`. The test suite checks that the
 * result equals fontkit's own `encode()` for many glyph sets, composites included.
 */
import type { Font } from "fontkit";

/** The fontkit internals read here (fontkit 2.0.4; `TTFSubset._addGlyph` uses the same ones). */
interface FontkitFont extends Font {
  readonly numGlyphs: number;
  readonly loca: { readonly version: number; readonly offsets: readonly number[] };
  readonly _variationProcessor?: unknown;
  readonly directory: { readonly tables: Readonly<Record<string, unknown>> };
  readonly hmtx: {
    readonly metrics: LazyArray<{ readonly advance: number; readonly bearing: number }>;
    readonly bearings: LazyArray<number>;
  };
  createSubset(): { includeGlyph(gid: number): number; encode(): Uint8Array };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array };
}

/** restructure's `LazyArray` as fontkit parses `hmtx`. */
interface LazyArray<T> {
  readonly length: number;
  get(index: number): T | undefined;
}

/** What a glyph contributes to any subset. */
interface GlyphRecord {
  /** The glyph's `glyf` entry as stored in the font (never modified: copied when remapped). */
  readonly bytes: Uint8Array;
  /** Components of a composite glyph: original glyph id and byte offset of that id in `bytes`. */
  readonly components: readonly { readonly glyphID: number; readonly pos: number }[] | undefined;
  readonly advance: number;
  readonly bearing: number;
}

/** The tables of a face that do not depend on the subset, as fontkit encodes them. */
interface FaceTables {
  readonly locaVersion: number;
  readonly head: Uint8Array;
  /** `numberOfMetrics` (offset 34) is patched per subset. */
  readonly hhea: Uint8Array;
  /** `numGlyphs` (offset 4) is patched per subset. */
  readonly maxp: Uint8Array;
  readonly cvt: Uint8Array | undefined;
  readonly prep: Uint8Array | undefined;
  readonly fpgm: Uint8Array | undefined;
  readonly records: (GlyphRecord | undefined)[];
  /** Subset files made in this process, by glyph list (before encoding), the oldest dropped first. */
  readonly made: Map<string, { readonly bytes: Uint8Array; readonly glyphs: readonly number[] }>;
}

const faces = new WeakMap<Font, FaceTables | null>();

/**
 * Whether {@link TrueTypeSubset} can subset this face exactly like fontkit: TrueType outlines
 * without variations (CFF and variable fonts keep fontkit's subsetter).
 *
 * @param font A fontkit font.
 * @returns Whether the fast subsetter applies.
 */
export function canSubsetFast(font: Font): boolean {
  return faceTables(font) !== null;
}

function faceTables(font: Font): FaceTables | null {
  let tables = faces.get(font);
  if (tables === undefined) {
    tables = readFaceTables(font as FontkitFont);
    faces.set(font, tables);
  }
  return tables;
}

function readFaceTables(font: FontkitFont): FaceTables | null {
  const present = font.directory.tables;
  if (!present.glyf || !present.loca || present["CFF "] || present.CFF2 || font._variationProcessor)
    return null;
  // fontkit's subset of glyph 0 alone: its fixed tables are the same in every subset.
  const reference = font.createSubset().encode();
  const table = directory(reference);
  const slice = (tag: string) => {
    const entry = table.get(tag);
    return entry ? reference.slice(entry.offset, entry.offset + entry.length) : undefined;
  };
  const head = slice("head");
  const hhea = slice("hhea");
  const maxp = slice("maxp");
  if (!head || !hhea || !maxp) return null;
  return {
    locaVersion: font.loca.version,
    head,
    hhea,
    maxp,
    cvt: slice("cvt "),
    prep: slice("prep"),
    fpgm: slice("fpgm"),
    records: [],
    made: new Map(),
  };
}

/** Table offsets and lengths of an sfnt. */
function directory(bytes: Uint8Array): Map<string, { offset: number; length: number }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, { offset: number; length: number }>();
  const count = view.getUint16(4);
  for (let index = 0; index < count; index++) {
    const at = 12 + index * 16;
    const tag = String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
    tables.set(tag, { offset: view.getUint32(at + 8), length: view.getUint32(at + 12) });
  }
  return tables;
}

/** `TTFGlyph._decodeComposite`'s flags. */
const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/**
 * What `TTFSubset._addGlyph` reads for a glyph (its `glyf` bytes, composite components, `hmtx`
 * metrics), read once per glyph and process from the raw tables. It deliberately never calls
 * `font.getGlyph()`: fontkit caches glyph objects per font with the code points of whatever first
 * asked for them, so creating a component glyph here would leave it without code points and drop
 * it from the ToUnicode map of every later document that draws it (see `loadFonts`).
 */
function glyphRecord(font: FontkitFont, tables: FaceTables, gid: number): GlyphRecord {
  let record = tables.records[gid];
  if (!record) {
    const start = font.loca.offsets[gid]!;
    const end = font.loca.offsets[gid + 1]!;
    const stream = font._getTableStream("glyf");
    stream.pos += start;
    const bytes = new Uint8Array(stream.readBuffer(end - start));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let components: { glyphID: number; pos: number }[] | undefined;
    if (bytes.length >= 10 && view.getInt16(0) < 0) {
      components = [];
      let at = 10;
      let flags = MORE_COMPONENTS;
      while (flags & MORE_COMPONENTS) {
        flags = view.getUint16(at);
        components.push({ glyphID: view.getUint16(at + 2), pos: at + 2 });
        at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
        if (flags & WE_HAVE_A_SCALE) at += 2;
        else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
        else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
      }
    }
    // `Glyph._getTableMetrics(hmtx)`: past the last long metric, the last advance and a bearing.
    const { metrics, bearings } = font.hmtx;
    let advance: number;
    let bearing: number;
    if (gid < metrics.length) ({ advance, bearing } = metrics.get(gid)!);
    else {
      advance = metrics.get(metrics.length - 1)?.advance ?? 0;
      bearing = bearings.get(gid - metrics.length) ?? 0;
    }
    record = { bytes, components, advance, bearing };
    tables.records[gid] = record;
  }
  return record;
}

/** How many subset files each face keeps (see `FaceTables.made`). */
const MADE_LIMIT = 64;

/** The files {@link TrueTypeSubset.encode} keeps: the same object each time the same subset is encoded. */
export const keptSubsets = new WeakSet<Uint8Array>();

/**
 * A drop-in for fontkit's `TTFSubset` as pdfkit uses it (`includeGlyph`, `encode`, no `cff`):
 * the same glyph numbering (in order of first use, `.notdef` first, components of composite
 * glyphs appended while encoding) and the same bytes.
 */
export class TrueTypeSubset {
  /** Original glyph ids, in subset order. */
  readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();
  private readonly font: FontkitFont;
  private readonly tables: FaceTables;

  /**
   * @param font A face for which {@link canSubsetFast} is true.
   */
  constructor(font: Font) {
    const tables = faceTables(font);
    if (!tables) throw new TypeError(`Expected a static TrueType font, not \`${font.postscriptName}\``);
    this.font = font as FontkitFont;
    this.tables = tables;
    this.includeGlyph(0);
  }

  /**
   * Add a glyph (if new) and return its id in the subset.
   *
   * @param glyph Glyph id in the font (or a glyph object, as fontkit accepts).
   * @returns Its id in the subset.
   */
  includeGlyph(glyph: number | { id: number }): number {
    const gid = typeof glyph === "object" ? glyph.id : glyph;
    let id = this.mapping.get(gid);
    if (id === undefined) {
      id = this.glyphs.length;
      this.glyphs.push(gid);
      this.mapping.set(gid, id);
    }
    return id;
  }

  /**
   * The subset font file, as fontkit's `TTFSubset.encode()` writes it: an sfnt with `head`,
   * `hhea`, `loca`, `maxp`, `cvt `, `prep`, `glyf`, `hmtx`, `fpgm` (the tables PDF needs), table
   * checksums 0, tables packed in that order.
   *
   * The same glyphs (before encoding) give the same file: one made before in this process is
   * returned again, the same object (both languages of a bulletin mostly draw the same glyphs, and
   * its deflated stream is then kept too: see `collectOutput`).
   *
   * @returns The font file.
   */
  encode(): Uint8Array {
    const { made } = this.tables;
    const key = this.glyphs.join(",");
    const kept = made.get(key);
    if (kept) {
      // The components encoding appended, in the same order: the subset ends as if it had encoded.
      for (let index = this.glyphs.length; index < kept.glyphs.length; index++)
        this.includeGlyph(kept.glyphs[index]!);
      return kept.bytes;
    }
    const bytes = this.build();
    if (made.size >= MADE_LIMIT) made.delete(made.keys().next().value!);
    made.set(key, { bytes, glyphs: [...this.glyphs] });
    keptSubsets.add(bytes);
    return bytes;
  }

  private build(): Uint8Array {
    const { tables, font } = this;
    const glyf: Uint8Array[] = [];
    const records: GlyphRecord[] = [];
    let glyfLength = 0;
    // `glyphs` grows while looping: components of composite glyphs are appended (as fontkit does).
    for (let index = 0; index < this.glyphs.length; index++) {
      const record = glyphRecord(font, tables, this.glyphs[index]!);
      let bytes = record.bytes;
      if (record.components) {
        bytes = bytes.slice();
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        for (const component of record.components)
          view.setUint16(component.pos, this.includeGlyph(component.glyphID));
      }
      glyf.push(bytes);
      records.push(record);
      glyfLength += bytes.length;
    }
    const count = glyf.length;
    const short = tables.locaVersion === 0;
    const locaLength = (count + 1) * (short ? 2 : 4);
    const parts: [string, number][] = [
      ["head", tables.head.length],
      ["hhea", tables.hhea.length],
      ["loca", locaLength],
      ["maxp", tables.maxp.length],
    ];
    if (tables.cvt) parts.push(["cvt ", tables.cvt.length]);
    if (tables.prep) parts.push(["prep", tables.prep.length]);
    parts.push(["glyf", glyfLength], ["hmtx", count * 4]);
    if (tables.fpgm) parts.push(["fpgm", tables.fpgm.length]);

    const headerLength = 12 + parts.length * 16;
    const total = parts.reduce((sum, [, length]) => sum + length, headerLength);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    // Directory, as fontkit's `Directory.preEncode` fills it.
    const exponent = Math.floor(Math.log2(parts.length));
    const searchRange = 2 ** exponent * 16;
    out.set([0x74, 0x72, 0x75, 0x65]); // "true"
    view.setUint16(4, parts.length);
    view.setUint16(6, searchRange);
    view.setUint16(8, exponent);
    view.setUint16(10, parts.length * 16 - searchRange);
    const offsets = new Map<string, number>();
    let offset = headerLength;
    parts.forEach(([tag, length], index) => {
      const at = 12 + index * 16;
      for (let char = 0; char < 4; char++) out[at + char] = tag.charCodeAt(char);
      view.setUint32(at + 4, 0);
      view.setUint32(at + 8, offset);
      view.setUint32(at + 12, length);
      offsets.set(tag, offset);
      offset += length;
    });
    const at = (tag: string) => offsets.get(tag)!;

    out.set(tables.head, at("head"));
    out.set(tables.hhea, at("hhea"));
    view.setUint16(at("hhea") + 34, count);
    out.set(tables.maxp, at("maxp"));
    view.setUint16(at("maxp") + 4, count);
    if (tables.cvt) out.set(tables.cvt, at("cvt "));
    if (tables.prep) out.set(tables.prep, at("prep"));
    if (tables.fpgm) out.set(tables.fpgm, at("fpgm"));

    let glyfAt = at("glyf");
    let locaAt = at("loca");
    let hmtxAt = at("hmtx");
    let glyphOffset = 0;
    for (let index = 0; index < count; index++) {
      const bytes = glyf[index]!;
      out.set(bytes, glyfAt);
      glyfAt += bytes.length;
      if (short) view.setUint16(locaAt, glyphOffset >>> 1);
      else view.setUint32(locaAt, glyphOffset);
      locaAt += short ? 2 : 4;
      glyphOffset += bytes.length;
      view.setUint16(hmtxAt, records[index]!.advance);
      view.setInt16(hmtxAt + 2, records[index]!.bearing);
      hmtxAt += 4;
    }
    if (short) view.setUint16(locaAt, glyphOffset >>> 1);
    else view.setUint32(locaAt, glyphOffset);
    return out;
  }
}
