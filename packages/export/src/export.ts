/** Whole-bulletin and whole-site exports: every format as bytes, under the published layout. */
import type { Bulletin } from "@atrc/bulletin";
import { stringify } from "csv-stringify/sync";
import { createHash } from "node:crypto";
import { csvPieces, csvRowsOf, toCsv } from "./csv.js";
import { compareUtf16 } from "./ids.js";
import { jsonBody, jsonOfBodies } from "./json.js";
import { mispBody, mispFeedPieces, toMispEvent, type MispEvent } from "./misp.js";
import { checkedSiteUrl, fileIdOf, stixTimestamp, type ExportOptions } from "./options.js";
import { IOC_JSON_SCHEMA } from "./schema.js";
import { stixBody, toStix } from "./stix.js";

/** Options of {@link exportAll}. */
export interface ExportAllOptions extends ExportOptions {
  /**
   * Other files published beside the exports (the PDFs, `pdf/<file>`), so that `SHA256SUMS` and the `.sha256`
   * sidecars cover every download (default: none).
   */
  readonly extraFiles?: ReadonlyMap<string, Uint8Array> | undefined;
}

/** A file to embed in a PDF advisory. */
export interface Attachment {
  readonly name: string;
  readonly data: string;
  readonly mimeType: string;
  readonly description: string;
}

/**
 * The files a PDF advisory carries: the bulletin's CSV and STIX bundle, under their published names, so the PDF
 * holds its own machine-readable indicators.
 *
 * @param bulletin The bulletin.
 * @param options Export options.
 * @returns The CSV and STIX attachments.
 * @example
 * await renderPdf(bulletin, "es", { attachments: pdfAttachments(bulletin, { siteUrl }) })
 */
export function pdfAttachments(bulletin: Bulletin, options: ExportOptions): Attachment[] {
  const paths = exportPaths(bulletin);
  const name = (path: string) => path.slice(path.lastIndexOf("/") + 1);
  return [
    {
      name: name(paths.csv),
      data: toCsv(bulletin, options),
      mimeType: "text/csv",
      description: `${bulletin.id} indicators (CSV)`,
    },
    {
      name: name(paths.stix),
      data: toStix(bulletin, options),
      mimeType: "application/json",
      description: `${bulletin.id} indicators (STIX 2.1 bundle)`,
    },
  ];
}

/** Relative paths of a bulletin's own files. */
export interface BulletinPaths {
  readonly json: string;
  readonly csv: string;
  readonly stix: string;
  readonly misp: string;
}

/**
 * Where a bulletin's files live, relative to the site root (and to `atrc export --out`).
 *
 * @param bulletin The bulletin (only its id is used).
 * @returns The four per-bulletin paths.
 * @example
 * exportPaths({ id: "ATRC-2023-001" }).stix // "iocs/atrc-2023-001.stix.json"
 */
export function exportPaths(bulletin: Pick<Bulletin, "id">): BulletinPaths {
  const base = `iocs/${fileIdOf(bulletin)}`;
  return { json: `${base}.json`, csv: `${base}.csv`, stix: `${base}.stix.json`, misp: `${base}.misp.json` };
}

/**
 * The four files of one bulletin: native JSON, CSV, STIX 2.1 bundle and MISP event.
 *
 * @param bulletin The checked bulletin (any TLP; the markings say which).
 * @param options Export options.
 * @returns Relative path to bytes (UTF-8, no BOM), in a fixed order.
 * @example
 * exportBulletin(bulletin, { siteUrl: "https://atrc.example" }).get("iocs/atrc-2023-001.csv")
 */
export function exportBulletin(bulletin: Bulletin, options: ExportOptions): Map<string, Uint8Array> {
  return encodedFiles(bulletinTexts(bulletin, options));
}

/**
 * The texts of one bulletin's four files, each format built and serialised once; the aggregates reuse them. JSON
 * texts come without their final newline (see `jsonBody`).
 */
interface BulletinTexts {
  readonly paths: BulletinPaths;
  readonly json: string;
  /** The CSV data rows, without the header (`iocs/all.csv` is the header then every bulletin's rows). */
  readonly csvRows: string;
  readonly stix: string;
  readonly event: MispEvent;
  readonly misp: string;
}

function bulletinTexts(bulletin: Bulletin, options: ExportOptions): BulletinTexts {
  checkedSiteUrl(options);
  const event = toMispEvent(bulletin, options);
  return {
    paths: exportPaths(bulletin),
    json: jsonBody(bulletin, options),
    csvRows: csvRowsOf(bulletin),
    stix: stixBody(bulletin, options),
    event,
    misp: mispBody(event),
  };
}

/** The four files of a bulletin as bytes, in the published order (JSON, CSV, STIX, MISP). */
function encodedFiles(texts: BulletinTexts): Map<string, Uint8Array> {
  return new Map([
    [texts.paths.json, encode([texts.json, "\n"])],
    [texts.paths.csv, encode(csvPieces([texts.csvRows]))],
    [texts.paths.stix, encode([texts.stix, "\n"])],
    [texts.paths.misp, encode([texts.misp, "\n"])],
  ]);
}

/**
 * Everything to publish: the files of every TLP:CLEAR bulletin, the aggregates, the MISP feed, the schema, the
 * CSAF-style index and change list, `SHA256SUMS` and a `.sha256` beside every file. Bulletins with any other TLP
 * are left out (FORMATS invariant 7: only TLP:CLEAR may go on the public site and feed).
 *
 * Each format of each bulletin is built and serialised once: `iocs/all.json`, `iocs/all.csv` and the feed's events are
 * assembled from the per-bulletin texts (see `jsonOfBodies`, `csvPieces`, `mispFeedPieces`), and every file is
 * encoded from its pieces, never from a concatenated string (see `encode`). Nothing is cached
 * beyond the call but the indicator lists (`indicatorsOf`), so a long build does not keep every text alive.
 *
 * @param bulletins Checked bulletins, in any order (the output sorts them newest first, then by id).
 * @param options Export options, and `extraFiles` (such as the PDFs) to publish and checksum with the exports.
 * @returns Relative path to bytes, sorted by path.
 * @throws {TypeError} When two bulletins share an id.
 * @example
 * const files = exportAll(bulletins, { siteUrl: "https://atrc.example" }) // then write them atomically
 */
export function exportAll(
  bulletins: readonly Bulletin[],
  options: ExportAllOptions,
): Map<string, Uint8Array> {
  checkedSiteUrl(options);
  const published = publicBulletins(bulletins);
  const files = new Map<string, Uint8Array>(options.extraFiles ?? []);
  const changes: { path: string; timestamp: string }[] = [];
  const jsonTexts: string[] = [];
  const csvRows: string[] = [];
  const events: { event: MispEvent; body: string }[] = [];
  for (const bulletin of published) {
    const texts = bulletinTexts(bulletin, options);
    jsonTexts.push(texts.json);
    csvRows.push(texts.csvRows);
    events.push({ event: texts.event, body: texts.misp });
    for (const [path, bytes] of encodedFiles(texts)) {
      files.set(path, bytes);
      changes.push({ path, timestamp: stixTimestamp(bulletin.original.meta.modified) });
    }
  }
  files.set("iocs/all.json", encode(jsonOfBodies(jsonTexts)));
  files.set("iocs/all.csv", encode(csvPieces(csvRows)));
  for (const [name, pieces] of mispFeedPieces(events)) {
    files.set(`feeds/misp/${name}`, encode(pieces));
  }
  files.set("schema/atrc-iocs-v1.json", encode(`${JSON.stringify(IOC_JSON_SCHEMA, null, 2)}\n`));
  files.set(
    "feeds/index.txt",
    encode(
      changes
        .map((change) => `${change.path}\n`)
        .sort(compareUtf16)
        .join(""),
    ),
  );
  changes.sort((a, b) => compareUtf16(b.timestamp, a.timestamp) || compareUtf16(a.path, b.path));
  files.set(
    "feeds/changes.csv",
    encode(
      stringify(
        changes.map((change) => [change.path, change.timestamp]),
        { quoted: true, record_delimiter: "\r\n" },
      ),
    ),
  );
  return withChecksums(files);
}

/**
 * The bulletins `exportAll` publishes: TLP:CLEAR only, newest first (published date, then id, both descending, as
 * the site lists them).
 *
 * @param bulletins Checked bulletins.
 * @returns The public ones, sorted.
 * @throws {TypeError} When two bulletins share an id.
 * @example
 * publicBulletins(bulletins).length
 */
export function publicBulletins(bulletins: readonly Bulletin[]): Bulletin[] {
  const seen = new Set<string>();
  for (const bulletin of bulletins) {
    const id = fileIdOf(bulletin);
    if (seen.has(id)) throw new TypeError(`Expected one bulletin per id, not two \`${bulletin.id}\``);
    seen.add(id);
  }
  return bulletins
    .filter((bulletin) => bulletin.original.meta.tlp === "CLEAR")
    .sort(
      (a, b) =>
        compareUtf16(b.original.meta.published, a.original.meta.published) || compareUtf16(b.id, a.id),
    );
}

/** Add `SHA256SUMS` (every file) and a `<file>.sha256` sidecar beside every file; return all sorted by path. */
function withChecksums(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const paths = [...files.keys()].sort(compareUtf16);
  const result = new Map<string, Uint8Array>();
  const sums: string[] = [];
  for (const path of paths) {
    const bytes = files.get(path)!;
    const hex = createHash("sha256").update(bytes).digest("hex");
    sums.push(`${hex}  ${path}\n`);
    result.set(`${path}.sha256`, encode(`${hex}  ${path.slice(path.lastIndexOf("/") + 1)}\n`));
    result.set(path, bytes);
  }
  result.set("SHA256SUMS", encode(sums.join("")));
  return new Map([...result].sort(([a], [b]) => compareUtf16(a, b)));
}

const encoder = new TextEncoder();

/**
 * UTF-8 bytes of the concatenation of some strings, without building it: each piece is encoded in place into one
 * buffer of the exact size. Same bytes as `TextEncoder.encode(pieces.join(""))` (a lone surrogate becomes U+FFFD
 * in both), but a long concatenated string must first be flattened, i.e. copied once more.
 */
function encode(pieces: string | readonly string[]): Uint8Array {
  if (typeof pieces === "string") return encoder.encode(pieces);
  let length = 0;
  for (const piece of pieces) length += Buffer.byteLength(piece, "utf8");
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const piece of pieces) offset += encoder.encodeInto(piece, bytes.subarray(offset)).written;
  return bytes;
}
