import type { Bulletin } from "@atrc/bulletin";
import { ContentError, loadContent } from "@atrc/bulletin/node";
import { formatReport, summarize, toDiagnostics } from "@atrc/report";
import path from "node:path";
import { UsageError, type CliIo } from "./io.js";

/** Options of {@link loadChecked}. */
export interface LoadOptions {
  /** Only TLP:CLEAR allowed (default: `true`). */
  readonly public?: boolean | undefined;
  /** `text` prints the compiler-style report to stderr; `json` prints diagnostics as JSON to stdout. */
  readonly format?: "text" | "json" | undefined;
  /** Sentence appended to the summary when there are errors (default: `No files were written.`). */
  readonly onError?: string | undefined;
}

/**
 * Load bulletins from the given paths (default `content/`), check them, and print every diagnostic.
 *
 * @param paths Content roots, bulletin folders or files, relative to `io.cwd`.
 * @param io Where to print.
 * @param options Check and output options.
 * @returns Bulletins without errors, `ok: false` when any file has an error, and each file's Markdown by path.
 * @example
 * const { bulletins, ok } = await loadChecked([], io); if (!ok) return 1;
 */
export async function loadChecked(
  paths: readonly string[],
  io: CliIo,
  options: LoadOptions = {},
): Promise<{ bulletins: readonly Bulletin[]; ok: boolean; sources: ReadonlyMap<string, string> }> {
  const roots = (paths.length > 0 ? paths : ["content"]).map((p) => path.resolve(io.cwd, p));
  let result;
  try {
    result = await loadContent(roots, { cwd: io.cwd, public: options.public ?? true });
  } catch (error) {
    if (error instanceof ContentError) throw new UsageError(error.message, 1);
    throw error;
  }
  const diagnostics = toDiagnostics(result.files);
  const { errors } = summarize(diagnostics);
  if (options.format === "json") {
    io.stdout(`${JSON.stringify({ diagnostics, summary: summarize(diagnostics) }, null, 2)}\n`);
  } else {
    io.stderr(
      formatReport(result.files, { color: io.color, onError: options.onError ?? "No files were written." }),
    );
  }
  if (result.files.length === 0) {
    throw new UsageError(`No bulletins found in ${paths.length > 0 ? paths.join(", ") : "content/"}`, 1);
  }
  // The Markdown of every file by the path diagnostics use, for work that re-parses in worker threads.
  const sources = new Map(result.files.map((file) => [file.path, String(file.value)]));
  return { bulletins: result.bulletins, ok: errors === 0, sources };
}
