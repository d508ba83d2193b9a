import type { VFile } from "vfile";
import type { VFileMessage } from "vfile-message";

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /** Use ANSI colours (default: `false`). */
  readonly color?: boolean | undefined;
  /** Print the docs link of each rule (default: `false`). */
  readonly verbose?: boolean | undefined;
  /** What happens to outputs when there are errors, e.g. `No files were written.` (default: none). */
  readonly onError?: string | undefined;
}

/** One diagnostic as plain data, for `--format json` and the site's build log. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number | undefined;
  readonly endColumn: number | undefined;
  readonly severity: "error" | "warning" | "info";
  readonly ruleId: string | undefined;
  readonly source: string | undefined;
  readonly message: string;
  readonly hint: string | undefined;
  readonly url: string | undefined;
}

/** Counts of a set of diagnostics. */
export interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly files: number;
}

/**
 * Flatten the messages of files into plain diagnostics, sorted by file, line and column.
 *
 * @param files Checked files.
 * @returns One entry per message.
 * @example
 * toDiagnostics(files)[0] // { file: "content/…/es.md", line: 42, column: 5, severity: "error", … }
 */
export function toDiagnostics(files: readonly VFile[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    for (const message of file.messages) diagnostics.push(toDiagnostic(file, message));
  }
  return diagnostics.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.message.localeCompare(b.message),
  );
}

function toDiagnostic(file: VFile, message: VFileMessage): Diagnostic {
  return {
    file: file.path,
    line: message.line ?? 1,
    column: message.column ?? 1,
    endLine: message.place && "end" in message.place ? message.place.end.line : undefined,
    endColumn: message.place && "end" in message.place ? message.place.end.column : undefined,
    severity: message.fatal === true ? "error" : message.fatal === false ? "warning" : "info",
    ruleId: message.ruleId,
    source: message.source,
    message: message.reason,
    hint: message.note,
    url: message.url,
  };
}

/**
 * Count errors and warnings.
 *
 * @param diagnostics Diagnostics.
 * @returns The counts, and how many files have any.
 * @example
 * summarize(toDiagnostics(files)).errors
 */
export function summarize(diagnostics: readonly Diagnostic[]): Summary {
  return {
    errors: diagnostics.filter((d) => d.severity === "error").length,
    warnings: diagnostics.filter((d) => d.severity === "warning").length,
    files: new Set(diagnostics.map((d) => d.file)).size,
  };
}

const paint = (on: boolean, code: number, text: string) => (on ? `\u001B[${code}m${text}\u001B[39m` : text);

/**
 * Compiler-style report, grouped by file, then a summary line:
 *
 * ```
 * content/bulletins/2023-03-3cx/es.md:42:5 error Invalid SHA-1 `a4f5…`: expected 40 hexadecimal characters, found 39  ioc-invalid
 *   hint: copy the full hash from the source report (SHA-1 = 40 characters 0-9a-f)
 * ✖ 1 error, 0 warnings. No files were written.
 * ```
 *
 * @param files Checked files (files without messages are not printed).
 * @param options Colour, verbosity and the sentence that tells what happened to outputs.
 * @returns The report, ending with a newline; empty when there is nothing to say.
 * @example
 * process.stderr.write(formatReport(files, { onError: "No files were written." }))
 */
export function formatReport(files: readonly VFile[], options: FormatOptions = {}): string {
  const color = options.color ?? false;
  const diagnostics = toDiagnostics(files);
  const lines: string[] = [];
  for (const d of diagnostics) {
    const severity =
      d.severity === "error"
        ? paint(color, 31, "error")
        : d.severity === "warning"
          ? paint(color, 33, "warning")
          : "info";
    const rule = d.ruleId ? `  ${paint(color, 90, d.ruleId)}` : "";
    lines.push(`${d.file}:${d.line}:${d.column} ${severity} ${d.message}${rule}`);
    if (d.hint) lines.push(`  hint: ${d.hint}`);
    if (options.verbose && d.url) lines.push(`  docs: ${d.url}`);
  }
  const { errors, warnings } = summarize(diagnostics);
  if (errors === 0 && warnings === 0) return "";
  const counts = `${errors} ${errors === 1 ? "error" : "errors"}, ${warnings} ${warnings === 1 ? "warning" : "warnings"}.`;
  const mark = errors > 0 ? paint(color, 31, "✖") : paint(color, 33, "⚠");
  lines.push(`${mark} ${counts}${errors > 0 && options.onError ? ` ${options.onError}` : ""}`);
  return `${lines.join("\n")}\n`;
}
