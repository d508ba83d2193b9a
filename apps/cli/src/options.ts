import { UsageError } from "./io.js";

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
