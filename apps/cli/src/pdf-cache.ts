/**
 * A content-addressed cache of rendered PDFs, so re-publishing renders only the bulletins that changed.
 * The key covers the bulletin's Markdown, the options, and the code of every package that shapes a PDF,
 * so a new renderer, parser or exporter never serves a stale file.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { codeVersion } from "./code-version.js";
import type { PdfJob, RenderedPdf } from "./pdf-render.js";

/** A cached PDF: where it lives, and what the renderer said about it. */
export interface CachedPdf extends Omit<RenderedPdf, "bytes"> {
  readonly file: string;
}

/**
 * The cache key of a job.
 *
 * @param job A render job.
 * @returns A hex digest.
 */
export function cacheKey(job: PdfJob): string {
  return createHash("sha256").update(codeVersion()).update(JSON.stringify(job)).digest("hex");
}

/**
 * The cached PDFs of a job, if all of them are there.
 *
 * @param dir Cache folder.
 * @param key The job's key.
 * @returns The PDFs, or undefined on a miss.
 */
export async function readCache(dir: string, key: string): Promise<CachedPdf[] | undefined> {
  const folder = path.join(dir, key.slice(0, 2), key);
  try {
    const manifest = JSON.parse(await readFile(path.join(folder, "manifest.json"), "utf8")) as Omit<
      CachedPdf,
      "file"
    >[];
    return manifest.map((entry) => ({ ...entry, file: path.join(folder, entry.name) }));
  } catch {
    return undefined;
  }
}

/**
 * Store the PDFs of a job. The entry appears whole or not at all (written aside, then renamed), so a run
 * that is stopped midway cannot leave a half entry that a later run would trust.
 *
 * @param dir Cache folder.
 * @param key The job's key.
 * @param pdfs What the renderer produced.
 * @returns The cached entries.
 */
export async function writeCache(
  dir: string,
  key: string,
  pdfs: readonly RenderedPdf[],
): Promise<CachedPdf[]> {
  const folder = path.join(dir, key.slice(0, 2), key);
  const staging = `${folder}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const manifest = pdfs.map(({ bytes: _bytes, ...entry }) => entry);
  for (const pdf of pdfs) await writeFile(path.join(staging, pdf.name), pdf.bytes);
  await writeFile(path.join(staging, "manifest.json"), JSON.stringify(manifest));
  await rm(folder, { recursive: true, force: true });
  await rename(staging, folder);
  return manifest.map((entry) => ({ ...entry, file: path.join(folder, entry.name) }));
}
