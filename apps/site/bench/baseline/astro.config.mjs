// The baseline of the publish benchmark: a bare Astro build of the same Markdown files, with Astro's
// defaults (no checks, no PDFs, no exports, no search index). The content folder comes from BASELINE_CONTENT.
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "static",
  outDir: process.env.BASELINE_OUT ?? "dist",
  telemetry: false,
});
