/**
 * Every downloadable file of the site, computed once per build from the same bulletins the pages show:
 * the exports of `@atrc/export` (IOC files, MISP feed, checksums) and the PDFs of `@atrc/pdf`. The
 * endpoints serve these bytes, and the bulletin page shows the size and SHA-256 of the very same bytes.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Lang } from "@atrc/bulletin";
import type { BulletinSummary } from "@atrc/bulletin";
import { contentGeneration, getCheckedBulletins, PUBLISH_DIR } from "./content.ts";
import { DOWNLOADS_INDEX, exportAll, exportPaths, parseDownloadsIndex, pdfAttachments } from "@atrc/export";
import { pdfFileName, renderPdf } from "@atrc/pdf";
import { noteRead } from "./page-reads.ts";

/** One published file. */
export interface PublishedFile {
  /** Path relative to the site root, without a leading slash (`iocs/2023-03-3cx.csv`). */
  readonly path: string;
  /** The bytes, when this build made them (`astro dev`); the pipeline's are put into dist by `atrc publish --site`. */
  readonly bytes: Uint8Array | undefined;
  readonly size: number;
  /** Lower-case hex SHA-256 of `bytes`. */
  readonly sha256: string;
}

/** Everything there is to download. */
export interface Published {
  /** Every download by path (IOC files, feeds, checksums, schema, and the PDFs under `pdf/`). */
  readonly exports: ReadonlyMap<string, PublishedFile>;
  /** PDFs by file name (`atrc-2023-001-es.pdf`). */
  readonly pdfs: ReadonlyMap<string, PublishedFile>;
}

// The exporters want the site URL without a trailing slash (it seeds their UUIDv5 namespace).
const siteUrl = ((import.meta.env.SITE as string | undefined) ?? "https://atrc.example").replace(/\/+$/u, "");

const baseName = (path: string) => path.slice(path.lastIndexOf("/") + 1);

function describe(path: string, bytes: Uint8Array): PublishedFile {
  return { path, bytes, size: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
}

let memo: { generation: number; published: Promise<Published> } | undefined;

/**
 * The published files, built on first use and shared by every page and endpoint of the build.
 *
 * @returns Exports and PDFs with sizes and checksums.
 */
export function getPublished(): Promise<Published> {
  noteRead("downloads");
  const generation = contentGeneration();
  if (memo?.generation !== generation) memo = { generation, published: build() };
  return memo.published;
}

async function build(): Promise<Published> {
  return PUBLISH_DIR === undefined ? buildHere() : readPrebuilt(PUBLISH_DIR);
}

/**
 * The pipeline's downloads, which its last stage puts into dist after the build: their sizes and checksums come
 * from the index `atrc publish` wrote beside the pages' data (one small file, not the downloads themselves).
 */
async function readPrebuilt(dir: string): Promise<Published> {
  const exports = new Map<string, PublishedFile>();
  const pdfs = new Map<string, PublishedFile>();
  const index = await readFile(path.join(dir, "pages", DOWNLOADS_INDEX), "utf8");
  for (const [relative, { size, sha256 }] of parseDownloadsIndex(index)) {
    const file = { path: relative, bytes: undefined, size, sha256 };
    exports.set(relative, file);
    if (relative.startsWith("pdf/") && relative.endsWith(".pdf")) pdfs.set(baseName(relative), file);
  }
  return { exports, pdfs };
}

async function buildHere(): Promise<Published> {
  // The very bulletins the pages are made from, with their mdast bodies (the PDFs need them).
  const bulletins = await getCheckedBulletins();
  // PDFs first: they are published beside the exports, and SHA256SUMS and the sidecars cover them too.
  const pdfBytes = new Map<string, Uint8Array>();
  for (const bulletin of bulletins) {
    // The PDFs carry the same CSV and STIX as the downloads, under the same file names.
    const attachments = pdfAttachments(bulletin, { siteUrl });
    for (const lang of Object.keys(bulletin.documents) as Lang[]) {
      const { bytes, warnings } = await renderPdf(bulletin, lang, { attachments, siteUrl });
      for (const warning of warnings) console.warn(`[pdf] ${bulletin.slug} ${lang}: ${warning}`);
      pdfBytes.set(`pdf/${pdfFileName(bulletin, lang)}`, bytes);
    }
  }
  const exports = new Map<string, PublishedFile>();
  for (const [path, bytes] of exportAll(bulletins, { siteUrl, extraFiles: pdfBytes })) {
    exports.set(path, describe(path, bytes));
  }
  const pdfs = new Map<string, PublishedFile>();
  for (const path of pdfBytes.keys()) pdfs.set(baseName(path), exports.get(path)!);
  return { exports, pdfs };
}

/**
 * The export file of one bulletin in one format.
 *
 * @param published The published files.
 * @param bulletin The bulletin.
 * @param format `csv`, `json`, `stix` or `misp`.
 * @returns The file, or undefined when the exporter did not write one (e.g. not TLP:CLEAR).
 */
export function findExport(
  published: Published,
  bulletin: Pick<BulletinSummary, "id">,
  format: "csv" | "json" | "stix" | "misp",
): PublishedFile | undefined {
  return published.exports.get(exportPaths(bulletin)[format]);
}
