/**
 * Defanging in the house style: `hxxps://evil[.]com/path`, `user[@]evil[.]com`, `192[.]0[.]2[.]1`, `2001[:]db8[:][:]1`.
 */
import { refang } from "./refang.js";

const SCHEME = /^([a-z][\d+.a-z-]*):\/\//iu;
// Lower-case schemes embedded in a path or query (`?u=https://…`): defanged too, so no clickable URL survives inside.
const EMBEDDED_SCHEME = /\b(?:https?|ftp):\/\//gu;

function defangScheme(scheme: string): string {
  const lower = scheme.toLowerCase();
  if (lower === "http" || lower === "https" || lower === "ftp")
    return scheme.replace(/t/gu, "x").replace(/T/gu, "X");
  return scheme;
}

function defangHost(host: string): string {
  if (host.startsWith("[")) return host.replaceAll(":", "[:]").replaceAll(".", "[.]");
  return host.replaceAll(".", "[.]");
}

function defangUrl(url: string): string {
  const prefix = SCHEME.exec(url);
  const scheme = prefix ? `${defangScheme(prefix[1] ?? "")}://` : "";
  const rest = prefix ? url.slice(prefix[0].length) : url;
  let authorityEnd = rest.search(/[#/?]/u);
  if (authorityEnd === -1) authorityEnd = rest.length;
  const authority = rest.slice(0, authorityEnd);
  const tail = rest
    .slice(authorityEnd)
    .replace(EMBEDDED_SCHEME, (match) => defangScheme(match.slice(0, -3)) + "://");
  const at = authority.lastIndexOf("@");
  const userinfo = at === -1 ? "" : `${authority.slice(0, at)}[@]`;
  const hostPort = authority.slice(at + 1);
  let host = hostPort;
  let port = "";
  if (hostPort.startsWith("[")) {
    const close = hostPort.indexOf("]");
    if (close !== -1) {
      host = hostPort.slice(0, close + 1);
      port = hostPort.slice(close + 1);
    }
  } else {
    const colon = hostPort.lastIndexOf(":");
    if (colon !== -1) {
      host = hostPort.slice(0, colon);
      port = hostPort.slice(colon);
    }
  }
  return `${scheme}${userinfo}${defangHost(host)}${port}${tail}`;
}

/**
 * Defang one refanged indicator by its shape. Also used by `extract` on canonical values, which skips the refang.
 *
 * @param value A single indicator without defang notation.
 * @returns The house-style defanged form.
 */
export function defangPlain(value: string): string {
  // Hashes and CVE ids are never live.
  if (/^(?:[\da-f]+|cve-\d+-\d+)$/iu.test(value)) return value;
  if (SCHEME.test(value)) return defangUrl(value);
  const slash = value.search(/[#/?]/u);
  const at = value.lastIndexOf("@");
  if (at !== -1 && slash === -1 && /^[^\s@]+@[^\s@]+$/u.test(value)) {
    // An e-mail: the local part stays as written, the `@` and every dot of the domain are defanged.
    return `${value.slice(0, at)}[@]${value.slice(at + 1).replaceAll(".", "[.]")}`;
  }
  if (slash === -1 && value.includes(":") && /^[\d.:a-f]+$/iu.test(value)) {
    // IPv6: every colon (and the dots of an embedded IPv4 tail).
    return value.replaceAll(":", "[:]").replaceAll(".", "[.]");
  }
  if (slash !== -1) return defangUrl(value);
  // A domain, an IPv4 address or anything else: every dot and at-sign, so nothing live survives.
  return value.replaceAll(".", "[.]").replaceAll("@", "[@]");
}

/**
 * Defang one indicator in the house style, so nobody can click it or paste it into a browser by accident.
 *
 * URLs get `hxxp`/`hxxps` (`fxp` for ftp), every dot of the host as `[.]` (path dots stay), the `@` of a user part as
 * `[@]` and the colons of an IPv6 host as `[:]`; domains and IPv4 addresses get every dot as `[.]`; e-mail addresses get
 * `[@]` and the domain's dots as `[.]`; IPv6 addresses get every colon as `[:]`. Hashes and CVE ids are returned
 * unchanged. Already defanged input is refanged first, so `defang` is idempotent, and `refang(defang(x)) === x` for
 * every canonical value `x`.
 *
 * @param value One indicator, plain or defanged.
 * @returns The defanged indicator.
 * @example
 * ```ts
 * defang("https://evil.com/a.php") // "hxxps://evil[.]com/a.php"
 * defang("cliego.garcia@proton.me") // "cliego.garcia[@]proton[.]me"
 * ```
 */
export function defang(value: string): string {
  const plain = refang(value);
  const trimmed = plain.trim();
  if (trimmed === plain) return defangPlain(plain);
  const start = plain.indexOf(trimmed);
  return plain.slice(0, start) + defangPlain(trimmed) + plain.slice(start + trimmed.length);
}
