/**
 * Everything `atrc publish` makes of one bulletin, in one pass over its Markdown: the check, the pages' HTML, the
 * PDFs and the four export files. Runs in a worker process (or the main thread); writes the files into the
 * bulletin's cache entry and returns what the archive-wide files need (plain data).
 */
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  LANGS,
  parseBulletin,
  serializeFiles,
  toHtml,
  toStoredPage,
  toStoredSummary,
  type DocumentSummary,
  type FileData,
  type Lang,
  type StoredBulletin,
  type SourceFile,
} from "@atrc/bulletin";
import {
  aggregatePart,
  bulletinFiles,
  exportTexts,
  pdfAttachments,
  sha256,
  type AggregatePart,
  type BulletinPaths,
  type Download,
} from "@atrc/export";
import { ENTRY_FILE, ENTRY_VERSION } from "./entry.js";
import { renderPdfs } from "./pdf-render.js";

/** One bulletin to publish. */
export interface PublishJob {
  readonly slug: string;
  readonly sources: Partial<Record<Lang, SourceFile>>;
  /** Only TLP:CLEAR allowed, and only TLP:CLEAR exported. */
  readonly public: boolean;
  readonly siteUrl: string;
  /** The entry folder to create (replaced whole when it exists). */
  readonly dir: string;
}

/** A rendered PDF of an entry (`pdf/<name>` in the entry folder). */
export interface EntryPdf {
  readonly lang: Lang;
  readonly name: string;
  /** Path of the Markdown file, for warnings. */
  readonly source: string;
  readonly warnings: readonly string[];
  readonly sha256: string;
  readonly size: number;
}

/** What an entry holds (`entry.json`), and what a job returns. */
export interface PublishEntry {
  readonly version: typeof ENTRY_VERSION;
  /** The bulletin's files with their diagnostics (not their text). */
  readonly files: readonly FileData[];
  /**
   * The checked bulletin's summary (its page data, the summaries with tables of contents, is `page.json` in the entry
   * folder); absent when a file has an error.
   */
  readonly summary: StoredBulletin<DocumentSummary> | undefined;
  /** Languages with a body in `html/<lang>.html`. */
  readonly html: readonly Lang[];
  readonly pdfs: readonly EntryPdf[];
  /**
   * The export files (`exports/<path>` in the entry folder, with their size and SHA-256) and the bulletin's part of the
   * archive-wide files (`parts/all.json` and `parts/all.csv` in the entry folder, the rest here); absent when the
   * bulletin is not exported (an error, or not TLP:CLEAR).
   */
  readonly exports:
    | {
        readonly paths: BulletinPaths;
        readonly files: Readonly<Record<string, Download>>;
        readonly part: Pick<AggregatePart, "timestamp" | "feed"> & {
          /**
           * SHA-256 of `parts/all.json` and `parts/all.csv`, and of what the other archive-wide files take from the
           * bulletin (its paths, date and feed entry: see `aggregateFiles`).
           */
          readonly sha256: { readonly json: string; readonly csv: string; readonly aggregate: string };
        };
      }
    | undefined;
}

/**
 * Check and render one bulletin into its entry folder. The folder appears whole or not at all (written aside,
 * then renamed), so a stopped run never leaves an entry a later run would trust.
 *
 * @param job The bulletin and where to write.
 * @returns The entry's manifest.
 */
export async function publishJob(job: PublishJob): Promise<PublishEntry> {
  const { bulletin, files } = parseBulletin(job.slug, job.sources, { public: job.public });
  const staging = `${job.dir}.tmp-${process.pid}`;
  // Synchronous calls: a worker has nothing else to do while it waits, and each asynchronous call would
  // leave it idle for a round trip through libuv's thread pool (a dozen files per bulletin).
  rmSync(staging, { recursive: true, force: true });
  const made = new Set<string>();
  const write = (relative: string, content: string | Uint8Array) => {
    const full = path.join(staging, relative);
    const dir = path.dirname(full);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(full, content);
  };

  let entry: PublishEntry = {
    version: ENTRY_VERSION,
    files: serializeFiles(files, { text: false }),
    summary: undefined,
    html: [],
    pdfs: [],
    exports: undefined,
  };
  if (bulletin) {
    const html: Lang[] = [];
    for (const lang of LANGS) {
      const document = bulletin.documents[lang];
      if (!document) continue;
      write(`html/${lang}.html`, toHtml(document));
      html.push(lang);
    }
    const texts = exportTexts(bulletin, { siteUrl: job.siteUrl });
    // The PDFs carry the same CSV and STIX as the downloads, under the same file names.
    const attachments = pdfAttachments(bulletin, { siteUrl: job.siteUrl }, texts);
    const pdfs: EntryPdf[] = [];
    for (const { bytes, ...pdf } of await renderPdfs(bulletin, LANGS, job.siteUrl, attachments)) {
      write(`pdf/${pdf.name}`, bytes);
      pdfs.push({ ...pdf, sha256: sha256(bytes), size: bytes.byteLength });
    }
    let exports: PublishEntry["exports"];
    if (bulletin.original.meta.tlp === "CLEAR") {
      const files: Record<string, Download> = {};
      for (const [relative, bytes] of bulletinFiles(texts)) {
        write(`exports/${relative}`, bytes);
        files[relative] = { size: bytes.byteLength, sha256: sha256(bytes) };
      }
      const { json, csv, timestamp, feed } = aggregatePart(bulletin, texts);
      write("parts/all.json", json);
      write("parts/all.csv", csv);
      exports = {
        paths: texts.paths,
        files,
        part: {
          timestamp,
          feed,
          sha256: {
            json: sha256(json),
            csv: sha256(csv),
            aggregate: createHash("sha256")
              .update(JSON.stringify({ paths: texts.paths, timestamp, feed }))
              .digest("hex"),
          },
        },
      };
    }
    write("page.json", JSON.stringify(toStoredPage(bulletin)));
    entry = { ...entry, summary: toStoredSummary(bulletin), html, pdfs, exports };
  }
  write(ENTRY_FILE, JSON.stringify(entry));
  rmSync(job.dir, { recursive: true, force: true });
  renameSync(staging, job.dir);
  return entry;
}
