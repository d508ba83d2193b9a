import { VFile } from "vfile";
import type { VFileMessage } from "vfile-message";
import { getRule, RULES_URL, type RuleId } from "./rules.js";

/** A point or span in a file, as unist positions give them. */
export type Place =
  | { line: number; column: number }
  | { start: { line: number; column: number }; end: { line: number; column: number } };

/** Options of {@link report}. */
export interface ReportOptions {
  /** Where the problem is (default: the start of the file). */
  place?: Place | undefined;
  /** The fix, printed as `hint:`. */
  note?: string | undefined;
  /** What was found, for tooling. */
  actual?: string | undefined;
  /** What was expected, for tooling. */
  expected?: readonly string[] | undefined;
}

/**
 * Record a content problem on a file, with the severity the rule catalogue gives it.
 * Content problems are never thrown: one run reports them all.
 *
 * @param file The file the problem is in.
 * @param ruleId The rule that found it.
 * @param reason One sentence: the bad value, then what was expected.
 * @param options Place, hint and structured fields.
 * @returns The message, already attached to `file.messages`.
 * @example
 * report(file, "ioc-invalid", "Unexpected SHA-1 `abc`, expected 40 hexadecimal characters", { place })
 */
export function report(
  file: VFile,
  ruleId: RuleId,
  reason: string,
  options: ReportOptions = {},
): VFileMessage {
  const rule = getRule(ruleId);
  const message = file.message(reason, {
    place: options.place ?? { line: 1, column: 1 },
    ruleId,
    source: "atrc",
  });
  message.fatal = rule.severity === "error";
  message.url = `${RULES_URL}#${ruleId}`;
  if (options.note !== undefined) message.note = options.note;
  if (options.actual !== undefined) message.actual = options.actual;
  if (options.expected !== undefined) message.expected = [...options.expected];
  return message;
}

/**
 * Whether any message of the files is an error.
 *
 * @param files Checked files.
 * @returns True when publishing must stop.
 * @example
 * if (hasErrors(result.files)) process.exitCode = 1
 */
export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((file) => file.messages.some((message) => message.fatal === true));
}

/** One message as plain data (what {@link serializeFiles} keeps of a `VFileMessage`). */
export interface MessageData {
  readonly reason: string;
  readonly place: Place | undefined;
  readonly ruleId: string | undefined;
  readonly source: string | undefined;
  readonly fatal: boolean | null | undefined;
  readonly url: string | undefined;
  readonly note: string | undefined;
  readonly actual: string | undefined;
  readonly expected: readonly string[] | undefined;
}

/** A checked file as plain data: its path, its text and its messages. */
export interface FileData {
  readonly path: string;
  /** The file's text, unless left out (reports do not need it). */
  readonly value?: string | undefined;
  readonly messages: readonly MessageData[];
}

/**
 * Checked files as plain data, to cross to a worker process or go into a cache ({@link restoreFiles} undoes it).
 *
 * @param files Checked files.
 * @param options `text: false` leaves the files' text out.
 * @returns JSON-safe data.
 * @example
 * const data = serializeFiles(result.files) // postMessage(data)
 */
export function serializeFiles(files: readonly VFile[], options: { text?: boolean } = {}): FileData[] {
  return files.map((file) => ({
    path: file.path,
    value: options.text === false ? undefined : String(file.value),
    messages: file.messages.map((message) => ({
      reason: message.reason,
      place: message.place ?? undefined,
      ruleId: message.ruleId ?? undefined,
      source: message.source ?? undefined,
      fatal: message.fatal,
      url: message.url ?? undefined,
      note: message.note ?? undefined,
      actual: message.actual ?? undefined,
      expected: message.expected ?? undefined,
    })),
  }));
}

/**
 * Files with the very messages {@link serializeFiles} saw (reports and JSON diagnostics print the same).
 *
 * @param data What `serializeFiles` gave.
 * @returns New files.
 */
export function restoreFiles(data: readonly FileData[]): VFile[] {
  return data.map((item) => {
    const file = new VFile({ path: item.path, value: item.value ?? "" });
    for (const data of item.messages) {
      const message = file.message(data.reason, {
        ...(data.place ? { place: data.place } : {}),
        ...(data.ruleId === undefined ? {} : { ruleId: data.ruleId }),
        ...(data.source === undefined ? {} : { source: data.source }),
      });
      message.fatal = data.fatal;
      if (data.url !== undefined) message.url = data.url;
      if (data.note !== undefined) message.note = data.note;
      if (data.actual !== undefined) message.actual = data.actual;
      if (data.expected !== undefined) message.expected = [...data.expected];
    }
    return file;
  });
}
