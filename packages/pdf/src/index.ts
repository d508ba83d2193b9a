/**
 * `@atrc/pdf`: PDF advisories with pdfkit. One bulletin in one language in, PDF bytes out.
 * No file I/O besides reading the bundled font files once per process (and the kerning table the build made from
 * them).
 */
export { pdfFileName, renderPdf } from "./render.js";
export type { PdfAttachment, PdfOptions, PdfResult } from "./render.js";
