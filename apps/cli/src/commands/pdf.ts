import type { Lang } from "@atrc/bulletin";
import { pdfAttachments } from "@atrc/export";
import { pdfFileName, renderPdf } from "@atrc/pdf";
import path from "node:path";
import { parseArgs } from "node:util";
import { UsageError, type Command } from "../io.js";
import { loadChecked } from "../load.js";
import { writeAtomically } from "../write.js";

const DEFAULT_SITE_URL = "https://atrc.example";

const help = `Usage: atrc pdf [paths...] --out <dir> [options]

Render bulletins as PDF advisories (A4, tagged, fonts embedded), one per language:
<dir>/<id>-es.pdf and <dir>/<id>-en.pdf. Each PDF carries the bulletin's indicators
as CSV and STIX 2.1 attachments. Paths are content roots, bulletin folders or
Markdown files (default: content/).

Options:
  -o, --out <dir>       folder to write the PDFs into (required)
  --lang <es|en>        only this language (default: every language present)
  --site-url <url>      public site URL linked from the PDF (default: ${DEFAULT_SITE_URL})
  --private             allow TLP other than TLP:CLEAR (PDFs not meant for the public site)
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
  summary: "render bulletins as PDF advisories (es and en) with their indicators attached",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout(`${help}\n`);
      return 0;
    }
    if (!values.out) throw new UsageError("Missing --out <dir>, expected the folder to write the PDFs into");
    const lang = values.lang;
    if (lang !== undefined && lang !== "es" && lang !== "en") {
      throw new UsageError(`Unexpected --lang \`${lang}\`, expected \`es\` or \`en\``);
    }
    const siteUrl = (values["site-url"] ?? DEFAULT_SITE_URL).replace(/\/+$/u, "");
    if (!/^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/u.test(siteUrl)) {
      throw new UsageError(
        `Unexpected --site-url \`${siteUrl}\`, expected an absolute http(s) URL such as ${DEFAULT_SITE_URL}`,
      );
    }
    const { bulletins, ok } = await loadChecked(positionals, io, { public: !values.private });
    if (!ok) return 1;

    const files = new Map<string, Uint8Array>();
    let warnings = 0;
    for (const bulletin of bulletins) {
      const attachments = pdfAttachments(bulletin, { siteUrl });
      const langs = (Object.keys(bulletin.documents) as Lang[]).filter(
        (candidate) => lang === undefined || candidate === lang,
      );
      for (const current of langs) {
        const document = bulletin.documents[current];
        if (!document) continue;
        const result = await renderPdf(bulletin, current, { attachments, siteUrl });
        for (const warning of result.warnings) {
          io.stderr(`${document.path}: warning ${warning}  pdf-layout\n`);
          warnings++;
        }
        files.set(pdfFileName(bulletin, current), result.bytes);
      }
    }
    if (files.size === 0) {
      io.stderr(`No ${lang === "en" ? "English" : "Spanish"} documents to render. No files were written.\n`);
      return 1;
    }
    const outDir = path.resolve(io.cwd, values.out);
    await writeAtomically(outDir, files);
    const shown = path.relative(io.cwd, outDir) || ".";
    const warned = warnings === 0 ? "" : `, ${warnings} layout ${warnings === 1 ? "warning" : "warnings"}`;
    io.stderr(`✔ ${files.size} ${files.size === 1 ? "PDF" : "PDFs"} written to ${shown}${warned}.\n`);
    return 0;
  },
};

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        out: { type: "string", short: "o" },
        lang: { type: "string" },
        "site-url": { type: "string" },
        private: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
