/**
 * Rendering the PDFs of one bulletin from its Markdown: the unit of work of `atrc pdf`, run in the main
 * thread or in a worker. Jobs carry source text, not models, so workers parse in parallel too.
 */
import { parseBulletin, type Bulletin, type Lang, type SourceFile } from "@atrc/bulletin";
import { pdfAttachments, type Attachment } from "@atrc/export";
import { pdfFileName, renderPdf } from "@atrc/pdf";

/** One bulletin to render. */
export interface PdfJob {
  readonly slug: string;
  readonly sources: Partial<Record<Lang, SourceFile>>;
  readonly langs: readonly Lang[];
  readonly siteUrl: string;
  readonly public: boolean;
}

/** One rendered PDF. */
export interface RenderedPdf {
  readonly lang: Lang;
  /** `atrc-2023-001-es.pdf`. */
  readonly name: string;
  /** Path of the Markdown file, for warnings. */
  readonly source: string;
  readonly bytes: Uint8Array;
  readonly warnings: readonly string[];
}

/**
 * Parse a bulletin and render the requested languages, with its CSV and STIX attached.
 *
 * @param job The bulletin's sources and options.
 * @returns One PDF per requested language present.
 * @example
 * const pdfs = await renderJob({ slug, sources, langs: ["es", "en"], siteUrl, public: true })
 */
export async function renderJob(job: PdfJob): Promise<RenderedPdf[]> {
  const { bulletin } = parseBulletin(job.slug, job.sources, { public: job.public });
  // The main thread checked these very sources; a failure here is a bug, not a content problem.
  if (!bulletin) throw new Error(`Bulletin ${job.slug} did not parse in the renderer`);
  return renderPdfs(bulletin, job.langs, job.siteUrl, pdfAttachments(bulletin, { siteUrl: job.siteUrl }));
}

/**
 * Render the PDFs of a checked bulletin, each with the same attachments.
 *
 * @param bulletin The bulletin.
 * @param langs The languages wanted (those the bulletin lacks are skipped).
 * @param siteUrl Public site URL linked from the PDFs.
 * @param attachments Its CSV and STIX (see `pdfAttachments`).
 * @returns One PDF per language rendered.
 */
export async function renderPdfs(
  bulletin: Bulletin,
  langs: readonly Lang[],
  siteUrl: string,
  attachments: readonly Attachment[],
): Promise<RenderedPdf[]> {
  const rendered: RenderedPdf[] = [];
  for (const lang of langs) {
    const document = bulletin.documents[lang];
    if (!document) continue;
    const { bytes, warnings } = await renderPdf(bulletin, lang, { attachments, siteUrl });
    rendered.push({ lang, name: pdfFileName(bulletin, lang), source: document.path, bytes, warnings });
  }
  return rendered;
}
