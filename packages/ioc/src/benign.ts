/**
 * Well-known legitimate hosts, and the host of an indicator.
 */
import { refang } from "./refang.js";
import { IOC_TYPES, type IocType } from "./types.js";
import { validate } from "./validate.js";

/**
 * Hosts that must never be published as a domain indicator on their own: blocking them would break legitimate services
 * (code hosting, mail, cloud, CDNs, social networks, the vendor of the product in the bulletin).
 *
 * This is not an allow-list: a URL or an e-mail address on one of these hosts (`https://github.com/IconStorages/images`,
 * `cliego.garcia@proton.me`) is still a perfectly good indicator. Subdomains are covered by their parent:
 * `www.github.com` is benign because `github.com` is listed.
 *
 * @example
 * ```ts
 * BENIGN_HOSTS.includes("proton.me") // true
 * ```
 */
export const BENIGN_HOSTS: readonly string[] = Object.freeze([
  "3cx.com",
  "akamai.com",
  "akamaihd.net",
  "amazon.com",
  "amazonaws.com",
  "apple.com",
  "azure.com",
  "bing.com",
  "cloudflare.com",
  "dropbox.com",
  "facebook.com",
  "github.com",
  "githubusercontent.com",
  "gitlab.com",
  "gmail.com",
  "google.com",
  "googleapis.com",
  "icloud.com",
  "linkedin.com",
  "live.com",
  "microsoft.com",
  "mozilla.org",
  "office.com",
  "outlook.com",
  "proton.me",
  "protonmail.com",
  "raw.githubusercontent.com",
  "reddit.com",
  "twitter.com",
  "virustotal.com",
  "wikipedia.org",
  "windows.com",
  "windowsupdate.com",
  "x.com",
  "youtube.com",
]);

const BENIGN = new Set(BENIGN_HOSTS);

/**
 * Whether a host, or any of its parent domains, is in {@link BENIGN_HOSTS}.
 *
 * @param host A host name, plain or defanged, in any case; a trailing dot is ignored.
 * @returns `true` for `github.com`, `www.github.com` and `raw.githubusercontent.com`; `false` for `evilgithub.com`.
 * @example
 * ```ts
 * isBenignHost("api.github[.]com") // true
 * isBenignHost("github.com.evil.net") // false
 * ```
 */
export function isBenignHost(host: string): boolean {
  let name = refang(host).trim().toLowerCase();
  if (name.endsWith(".")) name = name.slice(0, -1);
  for (;;) {
    if (BENIGN.has(name)) return true;
    const dot = name.indexOf(".");
    if (dot === -1) return false;
    name = name.slice(dot + 1);
  }
}

/**
 * The host an indicator points at: the host of a URL, the domain of an e-mail address, or the domain itself.
 *
 * @param type The indicator type.
 * @param value The indicator, plain or defanged; it is validated first.
 * @returns The canonical host (an IPv6 URL host without brackets), or `null` for IP addresses, hashes, CVE ids and
 *   invalid values.
 * @throws {TypeError} When `type` is not one of {@link IOC_TYPES}.
 * @example
 * ```ts
 * hostOf("url", "hxxps://raw.githubusercontent[.]com/a/b") // "raw.githubusercontent.com"
 * hostOf("email", "philip.je@proton[.]me") // "proton.me"
 * hostOf("sha1", "cad1120d91b812acafef7175f949dd1b09c6c21a") // null
 * ```
 */
export function hostOf(type: IocType, value: string): string | null {
  if (!IOC_TYPES.includes(type)) {
    throw new TypeError(
      `Expected \`type\` to be one of ${IOC_TYPES.map((name) => `\`${name}\``).join(", ")}, not \`${String(type)}\``,
    );
  }
  if (type !== "url" && type !== "email" && type !== "domain") return null;
  const result = validate(type, value);
  if (!result.ok) return null;
  const canonical = result.value;
  if (type === "domain") return canonical;
  if (type === "email") return canonical.slice(canonical.lastIndexOf("@") + 1);
  const rest = canonical.slice(canonical.indexOf("://") + 3);
  let authority = rest.slice(0, rest.search(/[#/?]|$/u));
  authority = authority.slice(authority.lastIndexOf("@") + 1);
  if (authority.startsWith("[")) return authority.slice(1, authority.indexOf("]"));
  const colon = authority.lastIndexOf(":");
  return colon === -1 ? authority : authority.slice(0, colon);
}
