/**
 * Host names: LDH syntax, IDN to punycode, and the public suffix check (tldts with the ICANN section of the PSL).
 */
import { parse } from "tldts";
import type { ValidationResult } from "./types.js";

// Only the ICANN section: private suffixes (`github.io`, `blogspot.com`) are registrable domains for our purposes, and a
// name must end in a suffix that really exists, so unknown TLDs (`.dll`, `.exe`, `.local`) are refused.
const TLDTS_OPTIONS = {
  allowPrivateDomains: false,
  detectIp: false,
  extractHostname: false,
  mixedInputs: false,
  validateHostname: false,
} as const;

// TLDs seen so far: a few hundred at most in practice, bounded anyway.
const MAX_CACHE = 10_000;
const tldCache = new Map<string, boolean>();

/**
 * Whether `label` (lower case) is a top-level domain of the ICANN section of the Public Suffix List. Cached per label.
 *
 * @param label The last label of a host name, lower case.
 * @returns `true` for `com`, `es`, `download`; `false` for `dll`, `exe`, `local`.
 */
export function isKnownTld(label: string): boolean {
  let known = tldCache.get(label);
  if (known === undefined) {
    known = parse(`x.${label}`, TLDTS_OPTIONS).isIcann === true;
    if (tldCache.size >= MAX_CACHE) tldCache.clear();
    tldCache.set(label, known);
  }
  return known;
}

/** The reason `host` (lower-case ASCII, syntax already checked) is not under a public suffix, or `undefined`. */
function suffixProblem(host: string): string | undefined {
  // Most names in prose that look like domains are file names: an unknown TLD is refused without a full lookup.
  const tld = host.slice(host.lastIndexOf(".") + 1);
  if (!isKnownTld(tld)) return `Expected a domain ending in a known public suffix, found \`.${tld}\``;
  const result = parse(host, TLDTS_OPTIONS);
  let reason: string | undefined;
  if (result.isIcann !== true) {
    reason = `Expected a domain ending in a known public suffix, found \`.${host.slice(host.lastIndexOf(".") + 1)}\``;
  } else if (result.domain === null) {
    reason = `Expected a registrable domain, found the public suffix \`${host}\` itself`;
  }
  return reason;
}

function hasNonAscii(value: string): boolean {
  for (let index = 0; index < value.length; index++) if (value.charCodeAt(index) > 0x7f) return true;
  return false;
}

/**
 * Check a domain name strictly and return its canonical form: lower case, IDN labels as punycode A-labels (through the
 * WHATWG URL host parser, UTS #46), at most 253 characters, labels of 1 to 63 letters, digits and inner hyphens (RFC 1035
 * §2.3.1 LDH rule), ending in a public suffix of the ICANN section of the Public Suffix List but not being one.
 *
 * @param value The domain, already refanged.
 * @returns The canonical domain, or the reason it is not one.
 */
export function checkDomain(value: string): ValidationResult {
  if (value === "") return { ok: false, reason: "Expected a domain name, found an empty string" };
  let host = value;
  if (hasNonAscii(host)) {
    const bad = /[^\p{L}\p{M}\p{N}.-]/u.exec(host);
    if (bad)
      return {
        ok: false,
        reason: `Expected only letters, digits, hyphens and dots in a domain name, found \`${bad[0]}\``,
      };
    try {
      host = new URL(`http://${host}/`).hostname;
    } catch {
      return {
        ok: false,
        reason: `Expected an internationalised domain name that converts to punycode, found \`${value}\``,
      };
    }
  }
  host = host.toLowerCase();
  const bad = /[^\d.a-z-]/u.exec(host);
  if (bad)
    return {
      ok: false,
      reason: `Expected only letters, digits, hyphens and dots in a domain name, found \`${bad[0]}\``,
    };
  if (host.length > 253)
    return { ok: false, reason: `Expected a domain name of at most 253 characters, found ${host.length}` };
  const labels = host.split(".");
  if (labels.length < 2)
    return { ok: false, reason: `Expected a domain name with at least two labels, found \`${host}\`` };
  for (const label of labels) {
    if (label.length === 0)
      return {
        ok: false,
        reason: `Expected domain labels of 1 to 63 characters, found an empty label in \`${host}\``,
      };
    if (label.length > 63)
      return {
        ok: false,
        reason: `Expected domain labels of 1 to 63 characters, found one of ${label.length}`,
      };
    if (label.startsWith("-") || label.endsWith("-")) {
      return {
        ok: false,
        reason: `Expected domain labels not to start or end with a hyphen, found \`${label}\``,
      };
    }
  }
  if (/^\d+$/u.test(labels[labels.length - 1] ?? "")) {
    return { ok: false, reason: `Expected a domain name ending in a letter label, found \`${host}\`` };
  }
  const reason = suffixProblem(host);
  if (reason !== undefined) return { ok: false, reason };
  return { ok: true, value: host };
}
