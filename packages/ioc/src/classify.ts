/**
 * Classification of one token.
 */
import { isUnlikelyLiveDomain } from "./heuristics.js";
import { checkDomain } from "./host.js";
import { checkIpv4, checkIpv6 } from "./ip.js";
import { refang } from "./refang.js";
import type { IocType } from "./types.js";
import { checkEmail, checkUrl } from "./validate.js";

const HASH_TYPES = new Map<number, IocType>([
  [32, "md5"],
  [40, "sha1"],
  [64, "sha256"],
  [128, "sha512"],
]);

/**
 * The type of one indicator, plain or defanged, or `null` when it is none (or not a valid one).
 *
 * A host with a path and no scheme (`github[.]com/IconStorages/images`) is a `url`. Live names that read as file names
 * or joined sentences (`install.sh`, `update.Download`) are not domains; their defanged forms are. Names without a known
 * public suffix (`ffmpeg.dll`, `3CXDesktopApp.exe`, `d3dcompiler_47.dll`) are never domains.
 *
 * @param value One token, such as a table cell; surrounding whitespace is ignored.
 * @returns The indicator type, or `null`.
 * @example
 * ```ts
 * classify("httxs://pbxsources[.]com/exchange") // "url"
 * classify("ffmpeg.dll") // null
 * ```
 */
export function classify(value: string): IocType | null {
  const written = value.trim();
  const plain = refang(written);
  if (plain === "") return null;
  if (/^cve-\d{4}-\d{4,}$/iu.test(plain)) return "cve";
  if (/^[\da-f]+$/iu.test(plain)) return HASH_TYPES.get(plain.length) ?? null;
  if (/^[a-z][\d+.a-z-]*:\/\//iu.test(plain)) return checkUrl(plain).ok ? "url" : null;
  const path = /[#/?]/u.test(plain);
  if (plain.includes("@") && !path) return checkEmail(plain).ok ? "email" : null;
  if (/^[\d.]+$/u.test(plain)) return checkIpv4(plain).ok ? "ipv4" : null;
  if (!path && plain.includes(":") && /^[\d.:a-f]+$/iu.test(plain))
    return checkIpv6(plain).ok ? "ipv6" : null;
  // A CIDR range (`10.0.0.0/8`) is a network, not an address or a URL.
  if (path && /^[\d.]+\/\d{1,3}$/u.test(plain)) return null;
  if (path) return checkUrl(plain).ok ? "url" : null;
  if (!checkDomain(plain).ok) return null;
  return plain === written && isUnlikelyLiveDomain(plain) ? null : "domain";
}
