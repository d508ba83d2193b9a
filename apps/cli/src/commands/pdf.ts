import type { Lang, SourceFile } from "@atrc/bulletin";
import path from "node:path";
import { UsageError, type Command } from "../io.js";
import { DEFAULT_SITE_URL, jobsOption, parseOptions, siteUrlOption, showHelp } from "../options.js";
import { loadChecked } from "../load.js";
import { cacheKey, readCache, writeCache, type CachedPdf } from "../pdf-cache.js";
import { runInPool } from "../pool.js";
import type { PdfJob, RenderedPdf } from "../pdf-render.js";
import { writeAtomically, type FileContent } from "../write.js";

const help = `Usage: atrc pdf [paths...] --out <dir> [options]

Render bulletins as PDF advisories (A4, tagged, fonts embedded), one per language:
<dir>/<id>-es.pdf and <dir>/<id>-en.pdf. Each PDF carries the bulletin's indicators
as CSV and STIX 2.1 attachments. Paths are content roots, bulletin folders or
Markdown files (default: content/).

Options:
  -o, --out <dir>       folder to write the PDFs into (required)
  --lang <es|en>        only this language (default: every language present)
  --site-url <url>      public site URL linked from the PDF (default: $ATRC_SITE_URL or ${DEFAULT_SITE_URL})
  --private             allow TLP other than TLP:CLEAR (PDFs not meant for the public site)
  --jobs <n>            worker processes rendering in parallel (default: one per core)
  --cache <dir>         reuse PDFs rendered before from the same Markdown and code
  --replace             make <dir> hold exactly these PDFs (removes PDFs of deleted bulletins)
  -h, --help            show this help

Layout warnings (an image shown as its alt text, a table set smaller to fit, a
character missing from the fonts) are printed to stderr; they do not fail the run.

Exit codes: 0 written, 1 errors in the content (nothing written), 2 bad usage.

Examples:
  atrc pdf --out dist/pdf
  atrc pdf content/bulletins/2023-03-3cx --out out --lang es`;

/** `atrc pdf`: render bulletins as PDF advisories. */
export const pdfCommand: Command = {
  name: "pdf",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (showHelp(values, help, io)) return 0;
    if (!values.out) throw new UsageError("Missing --out <dir>, expected the folder to write the PDFs into");
    const lang = values.lang;
    if (lang !== undefined && lang !== "es" && lang !== "en") {
      throw new UsageError(`Unexpected --lang \`${lang}\`, expected \`es\` or \`en\``);
    }
    const siteUrl = siteUrlOption(values["site-url"]);
    const threads = jobsOption(values.jobs);
    const {
      bulletins,
      ok,
      sources: allSources,
    } = await loadChecked(positionals, io, { public: !values.private });
    if (!ok) return 1;

    const jobs: PdfJob[] = [];
    for (const bulletin of bulletins) {
      const sources: Partial<Record<Lang, SourceFile>> = {};
      for (const [code, document] of Object.entries(bulletin.documents)) {
        sources[code as Lang] = { path: document.path, value: allSources.get(document.path) ?? "" };
      }
      const langs = (Object.keys(bulletin.documents) as Lang[]).filter(
        (candidate) => lang === undefined || candidate === lang,
      );
      if (langs.length > 0)
        jobs.push({ slug: bulletin.slug, sources, langs, siteUrl, public: !values.private });
    }

    // Cached PDFs are linked in; the rest are rendered on every core, then cached.
    const cacheDir = values.cache === undefined ? undefined : path.resolve(io.cwd, values.cache);
    const done = new Array<readonly (CachedPdf | RenderedPdf)[]>(jobs.length);
    const keys = jobs.map((job) => cacheKey(job));
    const misses: number[] = [];
    for (const [index, key] of keys.entries()) {
      const cached = cacheDir === undefined ? undefined : await readCache(cacheDir, key);
      if (cached) done[index] = cached;
      else misses.push(index);
    }
    await runInPool(
      "pdf",
      misses.map((index) => jobs[index]!),
      threads,
      async (position, pdfs) => {
        const index = misses[position]!;
        done[index] = cacheDir === undefined ? pdfs : await writeCache(cacheDir, keys[index]!, pdfs);
      },
    );

    const files = new Map<string, FileContent>();
    let warnings = 0;
    for (const pdfs of done) {
      for (const pdf of pdfs) {
        for (const warning of pdf.warnings) {
          io.stderr(`${pdf.source}: warning ${warning}  pdf-layout\n`);
          warnings++;
        }
        files.set(pdf.name, "file" in pdf ? { from: pdf.file } : pdf.bytes);
      }
    }
    if (files.size === 0) {
      io.stderr(`No ${lang === "en" ? "English" : "Spanish"} documents to render. No files were written.\n`);
      return 1;
    }
    const outDir = path.resolve(io.cwd, values.out);
    await writeAtomically(outDir, files, { replace: values.replace ?? false });
    const shown = path.relative(io.cwd, outDir) || ".";
    const warned = warnings === 0 ? "" : `, ${warnings} layout ${warnings === 1 ? "warning" : "warnings"}`;
    const rendered =
      misses.length === jobs.length
        ? ""
        : ` (${jobs.length - misses.length} of ${jobs.length} bulletins from the cache)`;
    io.stderr(
      `✔ ${files.size} ${files.size === 1 ? "PDF" : "PDFs"} written to ${shown}${rendered}${warned}.\n`,
    );
    return 0;
  },
};

function parse(argv: readonly string[]) {
  return parseOptions(argv, {
    out: { type: "string", short: "o" },
    lang: { type: "string" },
    "site-url": { type: "string" },
    private: { type: "boolean" },
    jobs: { type: "string" },
    cache: { type: "string" },
    replace: { type: "boolean" },
  });
}
