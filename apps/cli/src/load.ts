import type { Bulletin } from "@atrc/bulletin";
import { ContentError, loadContent, type ContentResult } from "@atrc/bulletin/node";
import { formatReport, summarize, toDiagnostics } from "@atrc/report";
import path from "node:path";
import { UsageError, type CliIo } from "./io.js";

type CheckedFiles = ContentResult["files"];

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
  const roots = contentRoots(paths, io);
  const result = await loadContent(roots, { cwd: io.cwd, public: options.public ?? true }).catch(
    asUsageError,
  );
  const ok = printReport(result.files, paths, io, options);
  // The Markdown of every file by the path diagnostics use, for work that re-parses in worker processes.
  const sources = new Map(result.files.map((file) => [file.path, String(file.value)]));
  return { bulletins: result.bulletins, ok, sources };
}

/**
 * Rethrow a content folder that cannot be found or read (`ContentError`) as a usage error with exit code 1; any
 * other error as it is.
 *
 * @param error What was thrown.
 * @throws {UsageError} For a `ContentError`; the error itself otherwise.
 * @example
 * const folders = await findContentFolders(roots).catch(asUsageError);
 */
export function asUsageError(error: unknown): never {
  if (error instanceof ContentError) throw new UsageError(error.message, 1);
  throw error;
}

/**
 * Print the diagnostics of checked files: the compiler-style report on stderr, or JSON on stdout.
 *
 * @param files Checked files, in path order.
 * @param paths The paths the user gave (for the "nothing found" message).
 * @param io Where to print.
 * @param options Output options.
 * @returns Whether there is no error.
 * @throws {UsageError} When there are no files at all.
 */
export function printReport(
  files: CheckedFiles,
  paths: readonly string[],
  io: CliIo,
  options: Pick<LoadOptions, "format" | "onError"> = {},
): boolean {
  const diagnostics = toDiagnostics(files);
  const { errors } = summarize(diagnostics);
  if (options.format === "json") {
    io.stdout(`${JSON.stringify({ diagnostics, summary: summarize(diagnostics) }, null, 2)}\n`);
  } else {
    io.stderr(formatReport(files, { color: io.color, onError: options.onError ?? "No files were written." }));
  }
  if (files.length === 0) {
    throw new UsageError(`No bulletins found in ${paths.length > 0 ? paths.join(", ") : "content/"}`, 1);
  }
  return errors === 0;
}

/**
 * The content roots of the paths the user gave (default `content/`), absolute.
 *
 * @param paths Paths relative to `io.cwd`.
 * @param io Where the command runs.
 * @returns Absolute roots.
 */
export function contentRoots(paths: readonly string[], io: CliIo): string[] {
  return (paths.length > 0 ? paths : ["content"]).map((p) => path.resolve(io.cwd, p));
}
