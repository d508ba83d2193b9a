/** Whole-bulletin and whole-site exports: every format as bytes, under the published layout. */
import type { PageBulletin as Bulletin } from "@atrc/bulletin";
import { stringify } from "csv-stringify/sync";
import { createHash } from "node:crypto";
import { csvPieces, csvRowsOf, toCsv } from "./csv.js";
import { compareUtf16 } from "./ids.js";
import { jsonBody, jsonMembers, jsonOfMembers } from "./json.js";
import {
  mispBody,
  mispFeedEntry,
  mispFeedIndex,
  toMispEvent,
  type MispEvent,
  type MispFeedEntry,
} from "./misp.js";
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
 * @param texts The bulletin's {@link exportTexts}, when the caller has them already (each is built once).
 * @returns The CSV and STIX attachments.
 * @example
 * await renderPdf(bulletin, "es", { attachments: pdfAttachments(bulletin, { siteUrl }) })
 */
export function pdfAttachments(
  bulletin: Bulletin,
  options: ExportOptions,
  texts?: Pick<BulletinTexts, "csvRows" | "stix">,
): Attachment[] {
  const paths = exportPaths(bulletin);
  const name = (path: string) => path.slice(path.lastIndexOf("/") + 1);
  return [
    {
      name: name(paths.csv),
      data: texts ? csvPieces([texts.csvRows]).join("") : toCsv(bulletin, options),
      mimeType: "text/csv",
      description: `${bulletin.id} indicators (CSV)`,
    },
    {
      name: name(paths.stix),
      data: texts ? `${texts.stix}\n` : toStix(bulletin, options),
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
  return bulletinFiles(exportTexts(bulletin, options));
}

/**
 * The texts of one bulletin's four files, each format built and serialised once; the aggregates reuse them. JSON
 * texts come without their final newline (see `jsonBody`). Plain data: they can cross to a worker process or be cached.
 */
export interface BulletinTexts {
  readonly paths: BulletinPaths;
  readonly json: string;
  /** The CSV data rows, without the header (`iocs/all.csv` is the header then every bulletin's rows). */
  readonly csvRows: string;
  readonly stix: string;
  readonly event: MispEvent;
  readonly misp: string;
}

/**
 * Build the texts of one bulletin's files.
 *
 * @param bulletin A checked bulletin.
 * @param options Export options.
 * @returns Its texts, for {@link bulletinFiles} and {@link aggregateFiles}.
 * @example
 * const texts = exportTexts(bulletin, { siteUrl })
 */
export function exportTexts(bulletin: Bulletin, options: ExportOptions): BulletinTexts {
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

/**
 * The four files of a bulletin as bytes, in the published order (JSON, CSV, STIX, MISP).
 *
 * @param texts What {@link exportTexts} gave.
 * @returns Relative path to bytes.
 */
export function bulletinFiles(texts: BulletinTexts): Map<string, Uint8Array> {
  return new Map([
    [texts.paths.json, encode([texts.json, "\n"])],
    [texts.paths.csv, encode(csvPieces([texts.csvRows]))],
    [texts.paths.stix, encode([texts.stix, "\n"])],
    [texts.paths.misp, encode([texts.misp, "\n"])],
  ]);
}

/**
 * What the archive-wide files need of one published bulletin, as bytes and plain data: it can be made in a worker
 * thread and cached beside the bulletin's own files.
 */
export interface AggregatePart {
  readonly paths: BulletinPaths;
  /** `modified` as the change list writes it. */
  readonly timestamp: string;
  /** The bulletin's object in `iocs/all.json` (UTF-8), re-indented, from its `bulletin` member to its closing brace. */
  readonly json: Uint8Array;
  /** Its rows in `iocs/all.csv` (UTF-8, no header). */
  readonly csv: Uint8Array;
  /** Its MISP event's manifest entry and hash lines. */
  readonly feed: MispFeedEntry;
}

/**
 * The part of one bulletin in the archive-wide files.
 *
 * @param bulletin The bulletin.
 * @param texts Its texts.
 * @returns Its part.
 */
export function aggregatePart(bulletin: Bulletin, texts: BulletinTexts): AggregatePart {
  return {
    paths: texts.paths,
    timestamp: stixTimestamp(bulletin.original.meta.modified),
    json: encode(jsonMembers(texts.json)),
    csv: encode(texts.csvRows),
    feed: mispFeedEntry(texts.event),
  };
}

/**
 * A file as consecutive chunks: `iocs/all.json` and `iocs/all.csv` are the bulletins' parts one after the other (tens
 * of megabytes in a large archive), written and hashed chunk by chunk rather than copied into one buffer first.
 */
export type Chunks = readonly Uint8Array[];

/** The archive-wide files but {@link PART_FILES}, and the files that are copies of a bulletin's own. */
export interface Aggregates {
  /** The MISP feed's index files, the schema, `feeds/index.txt`, `feeds/changes.csv`. */
  readonly files: Map<string, Uint8Array>;
  /** Published path to the bulletin file it has the bytes of (`feeds/misp/<uuid>.json` → `iocs/<id>.misp.json`). */
  readonly copies: Map<string, string>;
}

/**
 * The archive-wide files made of the bulletins' parts alone (their `json`, then their `csv`, in publishing order),
 * and of nothing else: the same parts in the same order make the same two files.
 */
export const PART_FILES = { json: "iocs/all.json", csv: "iocs/all.csv" } as const;

/**
 * `iocs/all.json` and `iocs/all.csv` (see {@link PART_FILES}).
 *
 * @param parts The part of each bulletin to publish, in publishing order (see {@link publicBulletins}).
 * @returns The two files, as chunks.
 */
export function partFiles(parts: readonly Pick<AggregatePart, "json" | "csv">[]): Map<string, Chunks> {
  return new Map<string, Chunks>([
    [
      PART_FILES.json,
      jsonOfMembers(parts.map((part) => part.json)).map((piece) =>
        typeof piece === "string" ? encode(piece) : piece,
      ),
    ],
    [PART_FILES.csv, [encode(csvPieces([])), ...parts.map((part) => part.csv)]],
  ]);
}

/**
 * The other archive-wide files (they need no part's `json` or `csv`). Checksums are not included (see
 * {@link checksumFiles}).
 *
 * @param parts The part of each bulletin to publish, in publishing order (see {@link publicBulletins}).
 * @returns The files, and the copies of bulletin files.
 */
export function aggregateFiles(parts: readonly Omit<AggregatePart, "json" | "csv">[]): Aggregates {
  const files = new Map<string, Uint8Array>();
  const changes: { path: string; timestamp: string }[] = [];
  for (const { paths, timestamp } of parts) {
    for (const path of [paths.json, paths.csv, paths.stix, paths.misp]) changes.push({ path, timestamp });
  }
  for (const [name, text] of mispFeedIndex(parts.map((part) => part.feed))) {
    files.set(`feeds/misp/${name}`, encode(text));
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
  return { files, copies: aggregateCopies(parts) };
}

/**
 * The archive-wide files that are copies of a bulletin's own ({@link Aggregates}' `copies`) alone: what a caller that
 * keeps the other files of an earlier run still needs to make.
 *
 * @param parts The part of each bulletin to publish.
 * @returns Published path to the bulletin file it has the bytes of, in the order of the events' uuids.
 */
export function aggregateCopies(
  parts: readonly Pick<AggregatePart, "paths" | "feed">[],
): Map<string, string> {
  const copies = new Map<string, string>();
  for (const part of [...parts].sort((a, b) => compareUtf16(a.feed.uuid, b.feed.uuid))) {
    copies.set(`feeds/misp/${part.feed.uuid}.json`, part.paths.misp);
  }
  return copies;
}

/**
 * Everything to publish: the files of every TLP:CLEAR bulletin, the aggregates, the MISP feed, the schema, the
 * CSAF-style index and change list, `SHA256SUMS` and a `.sha256` beside every file. Bulletins with any other TLP
 * are left out (FORMATS invariant 7: only TLP:CLEAR may go on the public site and feed).
 *
 * Each format of each bulletin is built and serialised once: `iocs/all.json`, `iocs/all.csv` and the feed's events are
 * assembled from the per-bulletin texts (see {@link aggregatePart}), and every file is
 * encoded from its pieces, never from a concatenated string (see `encode`). Nothing is cached
 * beyond the call but the indicator lists (`indicatorsOf`), so a long build does not keep every text alive.
 * `atrc publish` runs the same steps ({@link exportTexts}, {@link bulletinFiles}, {@link aggregatePart}, {@link partFiles},
 * {@link aggregateFiles}, {@link checksumFiles}) with the per-bulletin ones in worker processes.
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
  const files = new Map<string, Uint8Array>(options.extraFiles ?? []);
  const parts: AggregatePart[] = [];
  for (const bulletin of publicBulletins(bulletins)) {
    const texts = exportTexts(bulletin, options);
    parts.push(aggregatePart(bulletin, texts));
    for (const [path, bytes] of bulletinFiles(texts)) files.set(path, bytes);
  }
  for (const [path, chunks] of partFiles(parts)) files.set(path, Buffer.concat(chunks));
  const aggregates = aggregateFiles(parts);
  for (const [path, bytes] of aggregates.files) files.set(path, bytes);
  for (const [path, source] of aggregates.copies) files.set(path, files.get(source)!);
  const hashes = new Map<string, string>();
  for (const [path, bytes] of files) hashes.set(path, sha256(bytes));
  for (const [path, bytes] of checksumFiles(hashes)) files.set(path, bytes);
  return new Map([...files].sort(([a], [b]) => compareUtf16(a, b)));
}

/**
 * Lower-case hex SHA-256.
 *
 * @param bytes Any bytes.
 * @returns 64 hex digits.
 */
export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
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
export function publicBulletins<
  B extends Pick<Bulletin, "id"> & {
    readonly original: { readonly meta: Pick<Bulletin["original"]["meta"], "tlp" | "published"> };
  },
>(bulletins: readonly B[]): B[] {
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

/**
 * `SHA256SUMS` (every file, sorted by path) and a `<file>.sha256` sidecar beside every file, as `sha256sum -c`
 * reads them.
 *
 * @param hashes Relative path to lower-case hex SHA-256 of every published file.
 * @returns The checksum files.
 */
export function checksumFiles(hashes: ReadonlyMap<string, string>): Map<string, Uint8Array> {
  const result = new Map<string, Uint8Array>();
  const sums: string[] = [];
  for (const path of [...hashes.keys()].sort(compareUtf16)) {
    const hex = hashes.get(path)!;
    sums.push(`${hex}  ${path}\n`);
    result.set(`${path}.sha256`, encode(`${hex}  ${path.slice(path.lastIndexOf("/") + 1)}\n`));
  }
  result.set("SHA256SUMS", encode(sums.join("")));
  return result;
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
