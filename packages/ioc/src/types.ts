/**
 * The kinds of indicator of compromise this package understands.
 *
 * Network indicators (`url`, `domain`, `ipv4`, `ipv6`, `email`) can be live and have a defanged form; file hashes and CVE ids
 * are never live, so their defanged form is the value itself.
 */
export type IocType =
  "url" | "domain" | "ipv4" | "ipv6" | "email" | "md5" | "sha1" | "sha256" | "sha512" | "cve";

/**
 * Every {@link IocType}, in the order exports sort by: network indicators first, then hashes from short to long, then CVEs.
 *
 * @example
 * ```ts
 * IOC_TYPES.indexOf("sha1") < IOC_TYPES.indexOf("sha256") // true
 * ```
 */
export const IOC_TYPES: readonly IocType[] = Object.freeze([
  "url",
  "domain",
  "ipv4",
  "ipv6",
  "email",
  "md5",
  "sha1",
  "sha256",
  "sha512",
  "cve",
] as const);

/** The outcome of {@link validate}: the canonical value, or one sentence saying what was wrong. */
export type ValidationResult = { ok: true; value: string } | { ok: false; reason: string };

/** One indicator found by {@link extract}. */
export interface Indicator {
  /** What kind of indicator it is. */
  type: IocType;
  /** The canonical value (refanged and normalised, as {@link validate} returns it). */
  value: string;
  /** `defang(value)`: the house-style safe form. */
  defanged: string;
  /** UTF-16 offset of the first character of the indicator as written in the input. */
  start: number;
  /** UTF-16 offset just past the indicator as written in the input. */
  end: number;
  /**
   * `true` when the indicator was written live: a network indicator without any defang notation. Hashes and CVE ids are
   * never live, so they are always `false`.
   */
  fanged: boolean;
}
