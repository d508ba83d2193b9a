import { availableParallelism } from "node:os";
import { parseArgs, type ParseArgsOptionsConfig } from "node:util";
import { UsageError, type CliIo } from "./io.js";

/** The public site URL used when neither `--site-url` nor `$ATRC_SITE_URL` says otherwise. */
export const DEFAULT_SITE_URL = "https://atrc.example";

/**
 * The public site URL for links and ids: `--site-url`, else `$ATRC_SITE_URL`, else the default, without a
 * trailing slash. It seeds every UUIDv5 of the exports, so the same value must be used from build to build.
 *
 * @param value The `--site-url` option, if given.
 * @returns The URL.
 * @throws {UsageError} When it is not an absolute http(s) URL.
 * @example
 * siteUrlOption(values["site-url"]) // "https://atrc.example"
 */
export function siteUrlOption(value: string | undefined): string {
  const siteUrl = (value ?? process.env.ATRC_SITE_URL ?? DEFAULT_SITE_URL).replace(/\/+$/u, "");
  if (!/^https?:\/\/[^/?#\s]+(?:\/[^?#\s]*)?$/u.test(siteUrl)) {
    throw new UsageError(
      `Unexpected --site-url \`${siteUrl}\`, expected an absolute http(s) URL such as ${DEFAULT_SITE_URL}`,
    );
  }
  return siteUrl;
}

/**
 * The `--jobs` option: worker processes, one per core unless given.
 *
 * @param value The option as typed, if given.
 * @returns A whole number of 1 or more.
 * @throws {UsageError} When it is anything else.
 * @example
 * jobsOption("2") // 2
 */
export function jobsOption(value: string | undefined): number {
  const threads = value === undefined ? availableParallelism() : Number(value);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new UsageError(`Unexpected --jobs \`${value}\`, expected a whole number of 1 or more`);
  }
  return threads;
}

/**
 * Parse a command's arguments strictly, with `-h/--help` added, turning every parse error (an unknown option,
 * a missing value, a stray argument) into a one-line usage error.
 *
 * @param argv The command's arguments.
 * @param options The command's own options, as `node:util` `parseArgs` takes them.
 * @param allowPositionals Whether the command takes positional arguments (default: `true`).
 * @returns `{ values, positionals }`.
 * @throws {UsageError} On any parse error.
 * @example
 * const { values, positionals } = parseOptions(argv, { out: { type: "string", short: "o" } })
 */
export function parseOptions<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
  allowPositionals = true,
) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals,
      strict: true,
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The `-h/--help` option every command takes: print the command's help on stdout.
 *
 * @param values Parsed options.
 * @param help The command's help text.
 * @param io Where to print.
 * @returns Whether help was asked for (the command then exits 0).
 * @example
 * if (showHelp(values, help, io)) return 0;
 */
export function showHelp(values: { readonly help?: boolean | undefined }, help: string, io: CliIo): boolean {
  if (values.help) io.stdout(`${help}\n`);
  return values.help === true;
}
