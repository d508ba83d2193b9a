import type { VFile } from "vfile";
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
