/**
 * Per-document shortcuts through pdfkit's internals. Apart from the deflate level of streams
 * (`STREAM_LEVEL`), they change no output byte, only the time it takes:
 *
 * - pdfkit 0.20 converts every content operator and every serialised object to its own small
 *   `Uint8Array` and pushes each through a Node stream (thousands for a 5-page bulletin); here the
 *   strings are collected and converted once;
 * - faces are set up on first use, with the shared shaping cache and the fast subsetter, whose
 *   files are deflated once per glyph set;
 * - attachments get a native MD5 and are deflated once per content;
 * - `#rrggbb` fill and stroke colours write operators made once per colour.
 *
 * All of this is per document instance (nothing of pdfkit is patched globally) and written
 * against pdfkit 0.20.2, the exact version `package.json` pins; the tests compare whole files.
 */
import type { Font } from "fontkit";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { deflateSync } from "node:zlib";
import { canSubsetFast, keptSubsets, TrueTypeSubset } from "./subset.js";

/** The pdfkit internals used here. */
interface Internals {
  _offset: number;
  _write(data: string | Uint8Array): void;
  page: PageInternals;
  _font: FontInternals;
  ref(data?: object): RefInternals;
  registerFont(name: string, font: Font): unknown;
  font(name: string): Internals;
  addNamedEmbeddedFile(name: string, ref: RefInternals): void;
  _root: { data: { AF?: RefInternals[] } };
  _fileRegistry?: Record<string, { Subtype?: string; Params: FileParams; ref: RefInternals }>;
  on(event: "pageAdded", listener: () => void): unknown;
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown;
  on(event: "end", listener: () => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
}

/** pdfkit's `PDFReference`: an indirect object, with its stream while it is being written. */
interface RefInternals {
  compress: boolean;
  buffer: Uint8Array[];
  readonly data: Record<string, unknown>;
  write(chunk: Uint8Array): void;
  end(): void;
  finalize(): void;
}

interface FileParams {
  CreationDate?: Date;
  ModDate?: Date;
  /** A `String` object: pdfkit writes those as PDF strings, plain strings as names. */
  CheckSum: { valueOf(): string; toString(): string };
  Size: number;
}

interface PageInternals {
  write(chunk: string): unknown;
  end(): unknown;
  readonly content: { write(chunk: Uint8Array): unknown };
}

/** pdfkit's `EmbeddedFont`. */
interface FontInternals {
  readonly font: Font;
  layoutCache?: Record<string, unknown>;
  subset: unknown;
}

/**
 * zlib level for the streams of each document (page content, font subsets, ToUnicode maps).
 * pdfkit uses zlib's default, 6. Level 1 takes about 60% of its time here for a file about 5%
 * larger (3CX with attachments: 112 → 118 KB); deflate was the largest single cost left.
 */
const STREAM_LEVEL = 1;

/**
 * zlib level for attachments. They are deflated once per content and process (both languages
 * embed the same exports), so they keep the default level: the STIX JSON shrinks a third more.
 */
const FILE_LEVEL = 6;

/** Deflated font subsets, by the file {@link TrueTypeSubset} keeps (the same subset is deflated once). */
const deflatedSubsets = new WeakMap<Uint8Array, Uint8Array>();

/** A document's bytes, ready once pdfkit emits `end`. */
export interface DocumentOutput {
  /** Resolves with the whole file after `doc.end()`. */
  readonly done: Promise<Uint8Array>;
}

/**
 * Route a new document's output around the stream and buffer page content as strings.
 *
 * Must be called right after `new PDFDocument()` (with `autoFirstPage: false`): the file header
 * written by the constructor still goes through the stream and is kept.
 *
 * @param doc A fresh pdfkit document.
 * @returns The file, once the document has ended.
 */
export function collectOutput(doc: object): DocumentOutput {
  const internals = doc as Internals;
  // What the constructor pushed (the `%PDF-1.7` header) arrives through the stream.
  const streamed: Uint8Array[] = [];
  // Everything after: pdfkit's `_write` converts each string with `+ "\n"` byte by byte
  // (`fromBinaryString`) and pushes it; keep the strings and write them once at the end.
  const parts: (string | Uint8Array)[] = [];
  internals._write = (data) => {
    if (data instanceof Uint8Array) {
      parts.push(data);
      internals._offset += data.length;
    } else {
      const text = `${data}\n`;
      parts.push(text);
      // pdfkit's strings are binary strings: one byte per UTF-16 unit (the low byte).
      internals._offset += text.length;
    }
  };
  internals.on("pageAdded", () => bufferPageContent(internals.page));
  const ref = internals.ref.bind(internals);
  internals.ref = (data?: object) => {
    const created = ref(data);
    const finalize = created.finalize.bind(created);
    created.finalize = () => {
      // Deflate at STREAM_LEVEL instead of pdfkit's default. Decided here, at the end, because
      // pdfkit turns compression off for some objects after creating them (the XMP metadata).
      if (created.compress && created.buffer.length > 0) {
        const raw = created.buffer.length === 1 ? created.buffer[0]! : Buffer.concat(created.buffer);
        const kept = keptSubsets.has(raw);
        let deflated = kept ? deflatedSubsets.get(raw) : undefined;
        if (!deflated) {
          deflated = deflateSync(raw, { level: STREAM_LEVEL });
          if (kept) deflatedSubsets.set(raw, deflated);
        }
        created.buffer = [deflated];
        created.compress = false;
      }
      finalize();
    };
    return created;
  };
  const done = new Promise<Uint8Array>((resolve, reject) => {
    internals.on("data", (chunk) => streamed.push(chunk));
    internals.on("error", reject);
    internals.on("end", () => resolve(join(streamed, parts)));
  });
  return { done };
}

/**
 * Page content operators as strings, converted to bytes once when the page ends (pdfkit converts
 * each operator separately). The stream is the same bytes: each operator plus `\n`.
 */
function bufferPageContent(page: PageInternals): void {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    page.content.write(Buffer.from(`${pending.join("\n")}\n`, "latin1"));
    pending = [];
  };
  page.write = (chunk) => pending.push(chunk);
  const end = page.end.bind(page);
  page.end = () => {
    flush();
    return end();
  };
}

function join(streamed: readonly Uint8Array[], parts: readonly (string | Uint8Array)[]): Uint8Array {
  let length = 0;
  for (const chunk of streamed) length += chunk.length;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  const buffer = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  let offset = 0;
  for (const chunk of streamed) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  // Adjacent strings are written in one call (latin1 keeps the low byte, as pdfkit does).
  let text = "";
  for (const part of parts) {
    if (typeof part === "string") {
      text += part;
      continue;
    }
    if (text) offset += buffer.write(text, offset, "latin1");
    text = "";
    out.set(part, offset);
    offset += part.length;
  }
  if (text) buffer.write(text, offset, "latin1");
  return out;
}

/**
 * Register the faces and open each one only when the document first uses it, then speed it up:
 * share the process-wide shaping cache, and subset with {@link TrueTypeSubset} (the same bytes as
 * fontkit's subsetter, faster). Faces a bulletin never uses (often the bold italic and the bold
 * mono) are then never set up; pdfkit did not embed them anyway.
 *
 * @param doc A fresh pdfkit document.
 * @param fonts The parsed faces, by name.
 * @param layoutCache The shared shaping cache of a face.
 */
export function useFonts(
  doc: object,
  fonts: Readonly<Record<string, Font>>,
  layoutCache: (name: string) => Record<string, unknown>,
): void {
  const internals = doc as Internals;
  for (const [name, font] of Object.entries(fonts)) internals.registerFont(name, font);
  const select = internals.font.bind(internals);
  const opened = new Set<string>();
  internals.font = (name: string) => {
    select(name);
    if (!opened.has(name)) {
      opened.add(name);
      const font = internals._font;
      // pdfkit starts each document with an empty cache and shapes every word again; shaping
      // (GSUB/GPOS) was most of the cost of a PDF, and the cached runs are only read.
      font.layoutCache = layoutCache(name);
      if (canSubsetFast(font.font)) font.subset = new TrueTypeSubset(font.font);
    }
    return internals;
  };
}

/** The content operators pdfkit writes to fill or stroke with a `#rrggbb` colour, by colour and operator. */
const colorOperators = new Map<string, string>();

/**
 * pdfkit's `fillColor(color)` and `strokeColor(color)` for `#rrggbb` colours without opacity, the same
 * operators without parsing the colour and formatting its three fractions again at every call (every
 * line of text sets its colour). Anything else goes to pdfkit.
 *
 * @param doc A fresh pdfkit document.
 */
export function useColors(doc: object): void {
  const internals = doc as ColorInternals;
  const fill = internals.fillColor.bind(internals);
  const stroke = internals.strokeColor.bind(internals);
  // The operators for a `#rrggbb` colour without opacity; undefined for anything else, which pdfkit handles.
  const operators = (color: unknown, opacity: number | undefined, op: "scn" | "SCN") => {
    if (opacity !== undefined || typeof color !== "string" || !HEX_COLOR.test(color)) return undefined;
    const key = `${color} ${op}`;
    let text = colorOperators.get(key);
    if (text === undefined) {
      // `_setColorSpace` then `_setColorCore`, as pdfkit writes them (the page joins writes with "\n").
      const hex = Number.parseInt(color.slice(1), 16);
      const parts = [hex >> 16, (hex >> 8) & 0xff, hex & 0xff].map((part) => part / 255);
      text = `/DeviceRGB ${op === "scn" ? "cs" : "CS"}\n${parts.join(" ")} ${op}`;
      colorOperators.set(key, text);
    }
    return text;
  };
  internals.fillColor = (color: unknown, opacity?: number) => {
    const text = operators(color, opacity, "scn");
    if (text === undefined) return fill(color, opacity);
    internals.addContent(text);
    internals._fillColor = [color, opacity];
    return internals;
  };
  internals.strokeColor = (color: unknown, opacity?: number) => {
    const text = operators(color, opacity, "SCN");
    if (text === undefined) return stroke(color, opacity);
    internals.addContent(text);
    return internals;
  };
}

const HEX_COLOR = /^#[0-9a-f]{6}$/iu;

/** The pdfkit colour methods {@link useColors} stands in for. */
interface ColorInternals {
  fillColor(color: unknown, opacity?: number): ColorInternals;
  strokeColor(color: unknown, opacity?: number): ColorInternals;
  addContent(data: string): unknown;
  _fillColor: unknown;
}

/** An embedded file, as {@link attachFile} takes it (pdfkit `doc.file()` options). */
export interface FileOptions {
  readonly name: string;
  readonly type: string;
  readonly description?: string | undefined;
  readonly creationDate: Date;
  readonly modifiedDate: Date;
  readonly relationship: string;
}

/** Deflated attachments by content: both languages of a bulletin embed the same CSV and STIX. */
const deflatedFiles = new Map<string, { md5: string; deflated: Uint8Array }>();
const DEFLATED_FILES_LIMIT = 16;

/**
 * Embed a file exactly as pdfkit's `doc.file(data, options)` does (the same objects, keys and
 * bytes), with two shortcuts: the MD5 checksum comes from `node:crypto` instead of pdfkit's
 * JavaScript MD5, and the deflated stream is reused when the same content was embedded before in
 * this process (keyed by its SHA-256), so each export is compressed once per bulletin, not once
 * per language.
 *
 * @param doc The pdfkit document.
 * @param data File content.
 * @param options Name, media type, dates, relationship, description.
 */
export function attachFile(doc: object, data: Uint8Array, options: FileOptions): void {
  const internals = doc as Internals;
  const key = createHash("sha256").update(data).digest("hex");
  let file = deflatedFiles.get(key);
  if (!file) {
    file = {
      md5: createHash("md5").update(data).digest("hex"),
      deflated: deflateSync(data, { level: FILE_LEVEL }),
    };
    if (deflatedFiles.size >= DEFLATED_FILES_LIMIT) deflatedFiles.delete(deflatedFiles.keys().next().value!);
    deflatedFiles.set(key, file);
  }
  // pdfkit's `file()`, key for key (the order of keys is the order in the file).
  const body: { Type: string; Params: FileParams; Subtype?: string } = {
    Type: "EmbeddedFile",
    Params: {
      CreationDate: options.creationDate,
      ModDate: options.modifiedDate,
      CheckSum: new String(file.md5),
      Size: data.byteLength,
    },
  };
  if (options.type) body.Subtype = escapeName(options.type);
  internals._fileRegistry ??= {};
  const registered = internals._fileRegistry[options.name];
  let ref: RefInternals;
  if (registered && sameFile(body, registered)) {
    ref = registered.ref;
  } else {
    ref = internals.ref(body);
    // Already deflated: written as is, with the keys pdfkit's compressing `write` sets.
    ref.compress = false;
    ref.write(file.deflated);
    ref.data.Filter = "FlateDecode";
    ref.end();
    internals._fileRegistry[options.name] = { ...body, ref };
  }
  const spec: Record<string, unknown> = {
    Type: "Filespec",
    AFRelationship: options.relationship,
    F: new String(options.name),
    EF: { F: ref },
    UF: new String(options.name),
  };
  if (options.description) spec.Desc = new String(options.description);
  const filespec = internals.ref(spec);
  filespec.end();
  internals.addNamedEmbeddedFile(options.name, filespec);
  if (internals._root.data.AF) internals._root.data.AF.push(filespec);
  else internals._root.data.AF = [filespec];
}

function sameFile(
  a: { Subtype?: string; Params: FileParams },
  b: { Subtype?: string; Params: FileParams },
): boolean {
  return (
    a.Subtype === b.Subtype &&
    a.Params.CheckSum.toString() === b.Params.CheckSum.toString() &&
    a.Params.Size === b.Params.Size &&
    a.Params.CreationDate?.getTime() === b.Params.CreationDate?.getTime() &&
    a.Params.ModDate?.getTime() === b.Params.ModDate?.getTime()
  );
}

/** pdfkit's `escapeName`: PDF name characters outside the safe set as `#XX`. */
function escapeName(name: string): string {
  let escaped = "";
  for (const char of name) {
    const code = char.charCodeAt(0);
    const safe = code > 0x7f || (code > 0x20 && code !== 0x7f && !"#%()/<>[]{}".includes(char));
    escaped += safe ? char : `#${code.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return escaped;
}
