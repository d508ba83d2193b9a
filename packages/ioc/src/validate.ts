/**
 * Strict validation and canonical forms for every indicator type.
 */
import { checkDomain } from "./host.js";
import { checkIpv4, checkIpv6 } from "./ip.js";
import { refang } from "./refang.js";
import { IOC_TYPES, type IocType, type ValidationResult } from "./types.js";

const HASHES = {
  md5: { length: 32, name: "MD5" },
  sha1: { length: 40, name: "SHA-1" },
  sha256: { length: 64, name: "SHA-256" },
  sha512: { length: 128, name: "SHA-512" },
} as const;

function checkHash(type: keyof typeof HASHES, value: string): ValidationResult {
  const { length, name } = HASHES[type];
  const bad = /[^\da-f]/iu.exec(value);
  if (bad)
    return {
      ok: false,
      reason: `Expected only hexadecimal characters (0-9, a-f) for a ${name}, found \`${bad[0]}\``,
    };
  if (value.length !== length)
    return {
      ok: false,
      reason: `Expected ${length} hexadecimal characters for a ${name}, found ${value.length}`,
    };
  return { ok: true, value: value.toLowerCase() };
}

function checkCve(value: string): ValidationResult {
  // CVE JSON 5 schema: `CVE-` + a 4-digit year + a sequence of 4 or more digits.
  if (!/^cve-\d{4}-\d{4,}$/iu.test(value)) {
    return {
      ok: false,
      reason: `Expected a CVE id like \`CVE-2023-29059\` (a 4-digit year, then 4 or more digits), found \`${value}\``,
    };
  }
  return { ok: true, value: value.toUpperCase() };
}

// RFC 5322 §3.2.3 atext; quoted local parts are refused: they never appear in threat reports and hide tricks.
const DOT_ATOM = /^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*$/u;

/**
 * Check an e-mail address: one `@`, a dot-atom local part of at most 64 characters kept as written, and a domain that
 * passes {@link checkDomain} (so lower case and punycode).
 *
 * @param value The address, already refanged.
 * @returns The canonical address, or the reason it is not one.
 */
export function checkEmail(value: string): ValidationResult {
  const parts = value.split("@");
  if (parts.length !== 2)
    return { ok: false, reason: `Expected one \`@\` in an e-mail address, found ${parts.length - 1}` };
  const [local = "", domain = ""] = parts;
  if (local.length === 0 || local.length > 64) {
    return {
      ok: false,
      reason: `Expected a local part of 1 to 64 characters before the \`@\`, found ${local.length}`,
    };
  }
  if (!DOT_ATOM.test(local))
    return { ok: false, reason: `Expected a dot-atom local part (RFC 5322), found \`${local}\`` };
  const host = checkDomain(domain);
  if (!host.ok) return host;
  return { ok: true, value: `${local}@${host.value}` };
}

const SCHEMES = new Set(["http", "https", "ftp"]);

/**
 * Check a URL: scheme `http`, `https` or `ftp` (lower-cased; `https://` added when there is none), an optional user
 * part, a host that is a domain, a strict IPv4 address or a bracketed IPv6 address (canonicalised), an optional port from
 * 1 to 65535, and the path, query and fragment kept byte for byte.
 *
 * @param value The URL, already refanged.
 * @returns The canonical URL, or the reason it is not one.
 */
export function checkUrl(value: string): ValidationResult {
  const bad = /[\s"<>\\^`{|}]/u.exec(value);
  if (bad) {
    const shown = /\s/u.test(bad[0]) ? "whitespace" : `\`${bad[0]}\``;
    return { ok: false, reason: `Expected no whitespace or any of \`"<>\\^\`{|}\` in a URL, found ${shown}` };
  }
  let scheme = "https";
  let rest = value;
  const prefix = /^([a-z][\d+.a-z-]*):\/\//iu.exec(value);
  if (prefix) {
    scheme = (prefix[1] ?? "").toLowerCase();
    if (!SCHEMES.has(scheme))
      return { ok: false, reason: `Expected a URL scheme of http, https or ftp, found \`${scheme}\`` };
    rest = value.slice(prefix[0].length);
  }
  let authorityEnd = rest.search(/[#/?]/u);
  if (authorityEnd === -1) authorityEnd = rest.length;
  const authority = rest.slice(0, authorityEnd);
  const tail = rest.slice(authorityEnd);
  const at = authority.lastIndexOf("@");
  const userinfo = at === -1 ? "" : authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  let host: string;
  let port: string;
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close === -1)
      return { ok: false, reason: `Expected a \`]\` after the IPv6 host of a URL, found \`${hostPort}\`` };
    const v6 = checkIpv6(hostPort.slice(1, close));
    if (!v6.ok) return v6;
    host = `[${v6.value}]`;
    port = hostPort.slice(close + 1);
    if (port !== "" && !port.startsWith(":"))
      return { ok: false, reason: `Expected a port after the IPv6 host of a URL, found \`${port}\`` };
  } else {
    const colon = hostPort.lastIndexOf(":");
    const name = colon === -1 ? hostPort : hostPort.slice(0, colon);
    port = colon === -1 ? "" : hostPort.slice(colon);
    if (name === "") return { ok: false, reason: `Expected a host after \`${scheme}://\`, found nothing` };
    const checked = /^[\d.]+$/u.test(name) ? checkIpv4(name) : checkDomain(name);
    if (!checked.ok) return checked;
    host = checked.value;
  }
  if (port !== "") {
    const digits = port.slice(1);
    if (!/^\d{1,5}$/u.test(digits) || Number(digits) < 1 || Number(digits) > 65535) {
      return { ok: false, reason: `Expected a port from 1 to 65535, found \`${digits}\`` };
    }
    port = `:${Number(digits)}`;
  }
  return { ok: true, value: `${scheme}://${userinfo}${host}${port}${tail}` };
}

/**
 * Check one indicator strictly and return its canonical form.
 *
 * The value is refanged and trimmed first. Canonical forms: hashes in lower-case hex of the exact length; domains in lower
 * case with IDN labels as punycode, under a known public suffix; IPv4 as four octets without leading zeros; IPv6 as RFC
 * 5952 text; e-mail with the local part as written and the domain canonical; CVE ids in upper case; URLs with the scheme
 * in lower case (`https://` added when missing), the host canonical and the rest byte for byte.
 *
 * @param type The indicator type the value should be.
 * @param value The indicator as written, plain or defanged.
 * @returns `{ ok: true, value }` with the canonical value, or `{ ok: false, reason }` with one sentence saying what was
 *   expected. Bad input never throws.
 * @throws {TypeError} When `type` is not one of {@link IOC_TYPES}.
 * @example
 * ```ts
 * validate("url", "github[.]com/IconStorages/images") // { ok: true, value: "https://github.com/IconStorages/images" }
 * validate("sha1", "cad1120d91b812acafef7175f949dd1b09c6c21") // { ok: false, reason: "Expected 40 hexadecimal characters for a SHA-1, found 39" }
 * ```
 */
export function validate(type: IocType, value: string): ValidationResult {
  if (!IOC_TYPES.includes(type)) {
    throw new TypeError(
      `Expected \`type\` to be one of ${IOC_TYPES.map((name) => `\`${name}\``).join(", ")}, not \`${String(type)}\``,
    );
  }
  const input = refang(String(value)).trim();
  switch (type) {
    case "url":
      return checkUrl(input);
    case "domain":
      return checkDomain(input);
    case "ipv4":
      return checkIpv4(input);
    case "ipv6":
      return checkIpv6(input);
    case "email":
      return checkEmail(input);
    case "md5":
    case "sha1":
    case "sha256":
    case "sha512":
      return checkHash(type, input);
    case "cve":
      return checkCve(input);
  }
}
