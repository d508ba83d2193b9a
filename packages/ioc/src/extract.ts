/**
 * Extraction of every indicator from free text.
 *
 * The text is cut into line-aligned chunks; each chunk is refanged once (keeping the edits, to map offsets back). A
 * cheap trigger regex then finds the few places an indicator can be (a dot or at-sign before a label character, a colon
 * before a hex digit or slash, a 32-hex run, `CVE-`), and at each one the candidate regex is tried, sticky, from where
 * the token around the trigger starts (at most 256 characters back). That gives the matches one global candidate regex
 * would give, left to right and never overlapping (so the host of a URL or the domain of an e-mail address is never
 * reported again as a domain), without trying six alternatives at every position of the text.
 */
import { defangPlain } from "./defang.js";
import { isUnlikelyLiveDomain } from "./heuristics.js";
import { checkDomain } from "./host.js";
import { checkIpv6, isIpv4 } from "./ip.js";
import { refangOnce } from "./refang.js";
import type { Indicator, IocType } from "./types.js";
import { checkEmail, checkUrl } from "./validate.js";

/**
 * Candidates, one capture group per alternative:
 * 1. a URL with a scheme, the body up to whitespace, quotes, angle brackets or Markdown table pipes (an IPv6 host may
 *    be bracketed);
 * 2. an e-mail address (a common local part; `validate` accepts the full dot-atom);
 * 3. a CVE id; 4. a run of 32 to 128 hex digits;
 * 5. a dotted name or number (6 = the name alone), with a port and a path when a path follows;
 * 7. an IPv6 address (at least two colons).
 */
const CANDIDATE =
  /(?<![\p{L}\p{N}_])((?:https?|ftp):\/\/(?:\[[\d.:a-f]+\])?[^\s"<>[\\\]^`{|}«»‘’“”„]*)|(?<![\p{L}\p{N}_.%+-])([\w.%+-]+@[\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*(?:\.[\p{L}\p{M}\p{N}_-]+)+)|(?<![\p{L}\p{N}_])(cve-\d{4}-\d{4,})(?!\d)|(?<![\p{L}\p{N}_])([\da-f]{32,128})(?![\p{L}\p{N}_])|(?<![\p{L}\p{M}\p{N}_-])(([\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*(?:\.[\p{L}\p{M}\p{N}_-]+)+)(?::\d{1,5}(?=\/))?(?:\/[^\s"<>[\\\]^`{|}«»‘’“”„]*)?)|(?<![\p{L}\p{N}_.:-])((?:[\da-f]{0,4}:){2,8}(?:\d{1,3}(?:\.\d{1,3}){3}|[\da-f]{1,4})?)/giu;

/**
 * Every candidate contains a dot or an at-sign followed by a label character, a colon followed by a hex digit, a colon
 * or a slash, or starts a run of 32 hex digits or a CVE id at a word boundary (the candidate regex refuses them anywhere
 * else). This plain regex finds those triggers much faster than the candidate regex can be tried at every position; most
 * dots (sentence ends) and colons ("Nota: ") are not triggers.
 */
const TRIGGER = /[.@](?=[\w\u0080-\uffff-])|:(?=[\d/:a-f])|\b[\da-f]{32}|\bcve-/gi;

const NETWORK = new Set<IocType>(["url", "domain", "ipv4", "ipv6", "email"]);

// ASCII characters that may precede a trigger inside a candidate: the walk back from a trigger stops at any other.
const TOKEN = new Uint8Array(128);
for (let code = 0; code < 128; code++) if (/[\w%+.:-]/u.test(String.fromCharCode(code))) TOKEN[code] = 1;

function isTokenChar(code: number, text: string, index: number): boolean {
  if (code < 0x80) return TOKEN[code] === 1;
  return /[\p{L}\p{M}\p{N}]/u.test(text[index] ?? "");
}

// Dotted numbers right after one of these words, on the same line, are versions, not addresses (`v1.2.3.4`,
// `versión 18.12.407`).
const VERSION_BEFORE = /(?:^|[^\p{L}\p{N}_])(?:v|ver|versi[oó]n(?:es)?|versions?|builds?)[\t #.:]*$/iu;

const HASH_TYPES = new Map<number, IocType>([
  [32, "md5"],
  [40, "sha1"],
  [64, "sha256"],
  [128, "sha512"],
]);

/** A candidate that passed: canonical value and its span in the refanged text. */
interface Found {
  type: IocType;
  value: string;
  start: number;
  end: number;
  /** Set when only the host of the candidate was taken (after an unknown scheme): elsewhere the same text is a URL. */
  hostOnly?: true;
}

/**
 * Canonical values of context-free candidates in one `extract` call, keyed by kind and text (`null` for invalid ones):
 * bulletins repeat their indicators, and each is validated once per call.
 */
type Cache = Map<string, string | null>;

function cached(cache: Cache, key: string, compute: () => string | null): string | null {
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

function canonicalUrl(cache: Cache, raw: string): string | null {
  return cached(cache, `u${raw}`, () => {
    const result = checkUrl(raw);
    return result.ok ? result.value : null;
  });
}

function canonicalDomain(cache: Cache, raw: string): string | null {
  return cached(cache, `d${raw}`, () => {
    const result = checkDomain(raw);
    return result.ok ? result.value : null;
  });
}

function count(text: string, char: string): number {
  let total = 0;
  for (let index = text.indexOf(char); index !== -1; index = text.indexOf(char, index + 1)) total++;
  return total;
}

/**
 * Where a URL written in prose really ends: trailing punctuation and closing quotes are the sentence's, and a closing
 * parenthesis or bracket is the URL's only when it balances one inside it (`…/Foo_(bar)` vs `(see https://x.com/a)`).
 */
function urlEnd(url: string): number {
  let end = url.length;
  let parens = count(url, ")") - count(url, "(");
  let brackets = count(url, "]") - count(url, "[");
  while (end > 0) {
    const char = url[end - 1] ?? "";
    if (".,;:!?'*…".includes(char)) end--;
    else if (char === ")" && parens > 0) {
      parens--;
      end--;
    } else if (char === "]" && brackets > 0) {
      brackets--;
      end--;
    } else break;
  }
  return end;
}

/** Mapping from offsets in the refanged text back to the input, and whether a span was written defanged. */
class Offsets {
  readonly #edits: number[];

  constructor(edits: number[]) {
    this.#edits = edits;
  }

  /** Index (in edits of four numbers) of the last edit whose output starts before `position` (or at it, if `inclusive`). */
  #lastEdit(position: number, inclusive: boolean): number {
    const edits = this.#edits;
    let low = 0;
    let high = edits.length / 4 - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const outStart = edits[middle * 4 + 2] ?? 0;
      if (outStart < position || (inclusive && outStart === position)) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  start(position: number): number {
    const edit = this.#lastEdit(position, true);
    if (edit === -1) return position;
    const edits = this.#edits;
    const outEnd = edits[edit * 4 + 3] ?? 0;
    return position < outEnd ? (edits[edit * 4] ?? 0) : position - outEnd + (edits[edit * 4 + 1] ?? 0);
  }

  end(position: number): number {
    const edit = this.#lastEdit(position, false);
    if (edit === -1) return position;
    const edits = this.#edits;
    const outEnd = edits[edit * 4 + 3] ?? 0;
    return position <= outEnd ? (edits[edit * 4 + 1] ?? 0) : position - outEnd + (edits[edit * 4 + 1] ?? 0);
  }

  /** Whether any edit touches the input span `[start, end)`. */
  defanged(start: number, end: number): boolean {
    // Edits are sorted and disjoint: find the first one ending after `start`, then see whether it starts before `end`.
    const edits = this.#edits;
    let low = 0;
    let high = edits.length / 4;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((edits[middle * 4 + 1] ?? 0) > start) high = middle;
      else low = middle + 1;
    }
    return low < edits.length / 4 && (edits[low * 4] ?? 0) < end;
  }
}

/** Context needed by the candidate handlers. */
interface Scan {
  text: string;
  offsets: Offsets | undefined;
  cache: Cache;
}

function isLive(scan: Scan, start: number, end: number): boolean {
  if (scan.offsets === undefined) return true;
  return !scan.offsets.defanged(scan.offsets.start(start), scan.offsets.end(end));
}

function urlCandidate(scan: Scan, start: number, raw: string): Found | undefined {
  const end = urlEnd(raw);
  if (raw.lastIndexOf("://", end) + 3 >= end) return undefined;
  const value = canonicalUrl(scan.cache, raw.slice(0, end));
  return value === null ? undefined : { type: "url", value, start, end: start + end };
}

function emailCandidate(scan: Scan, start: number, raw: string): Found | undefined {
  // `...user@host`: an ellipsis before the address is not part of its local part.
  let lead = 0;
  while (raw.charCodeAt(lead) === 0x2e) lead++;
  const address = raw.slice(lead);
  const value = cached(scan.cache, `e${address}`, () => {
    const result = checkEmail(address);
    return result.ok ? result.value : null;
  });
  return value === null ? undefined : { type: "email", value, start: start + lead, end: start + raw.length };
}

function dottedCandidate(scan: Scan, start: number, whole: string, host: string): Found | undefined {
  const { text } = scan;
  const before = text.charCodeAt(start - 1);
  // A name after `@` is a handle or the rest of a malformed address; after a single `/` or `\` it is a path component.
  if (before === 0x40) return undefined;
  let hostOnly = false;
  if (before === 0x2f || before === 0x5c) {
    // After `scheme://` with a scheme we do not take as a URL (`tcp://1.2.3.4:4444`), the host still counts.
    if (before === 0x2f && text.charCodeAt(start - 2) === 0x2f) hostOnly = true;
    else return undefined;
  }
  const hostEnd = start + host.length;
  const pathStart = whole.length > host.length && !hostOnly ? whole.indexOf("/", host.length) : -1;
  const pathEnd = pathStart === -1 ? 0 : pathStart + 1 + urlEnd(whole.slice(pathStart + 1));
  const first = host.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39 && /^[\d.]+$/u.test(host)) {
    if (!isIpv4(host)) return undefined;
    if (VERSION_BEFORE.test(text.slice(Math.max(0, start - 16), start))) return undefined;
    if (pathStart === -1)
      return { type: "ipv4", value: host, start, end: hostEnd, ...(hostOnly && { hostOnly }) };
    const path = whole.slice(pathStart, pathEnd);
    // `10.0.0.0/8` is a CIDR range: a network, not an address and not a URL.
    if (/^\/\d{1,3}$/u.test(path)) return undefined;
    const value = canonicalUrl(scan.cache, whole.slice(0, pathEnd));
    return value === null ? undefined : { type: "url", value, start, end: start + pathEnd };
  }
  if (isUnlikelyLiveDomain(host) && isLive(scan, start, hostEnd)) {
    // `update.Download` is two sentences; `install.sh` a file, unless there is a path after it.
    if (pathStart === -1 || /^\p{Lu}.*\p{Ll}/u.test(host.slice(host.lastIndexOf(".") + 1))) return undefined;
  }
  if (pathStart === -1) {
    const value = canonicalDomain(scan.cache, host);
    return value === null
      ? undefined
      : { type: "domain", value, start, end: hostEnd, ...(hostOnly && { hostOnly }) };
  }
  const value = canonicalUrl(scan.cache, whole.slice(0, pathEnd));
  return value === null ? undefined : { type: "url", value, start, end: start + pathEnd };
}

function ipv6Candidate(scan: Scan, start: number, candidate: string): Found | undefined {
  const found = ipv6At(scan, start, candidate, false);
  // `IPv6: 2001:db8::1: bloqueada`: a colon at the end may be the sentence's.
  return found ?? (candidate.endsWith(":") ? ipv6At(scan, start, candidate.slice(0, -1), true) : undefined);
}

function ipv6At(scan: Scan, start: number, raw: string, colonAfter: boolean): Found | undefined {
  const { text } = scan;
  const end = start + raw.length;
  const after = text.charCodeAt(end);
  // Followed by a word character, a zone id or more dotted digits: part of something else (a time, a MAC address,
  // `std::string`), and validation would refuse most of these anyway.
  if (!colonAfter && /[\p{L}\p{N}_%:]/u.test(text[end] ?? "")) return undefined;
  if (after === 0x2e && /\d/u.test(text[end + 1] ?? "")) return undefined;
  // `2001:db8::/32` is a network.
  if (after === 0x2f && /^\/\d{1,3}(?![\p{L}\p{N}_/])/u.test(text.slice(end, end + 5))) return undefined;
  // Live hex words around `::` without any digit (`add::feed`) are code, not addresses; defanged, they were meant.
  if (!/\d/u.test(raw) && isLive(scan, start, end)) return undefined;
  const value = cached(scan.cache, `6${raw}`, () => {
    const result = checkIpv6(raw);
    return result.ok ? result.value : null;
  });
  return value === null ? undefined : { type: "ipv6", value, start, end };
}

/** Turn one candidate match into an indicator, or `undefined` when it is not one. */
function toFound(scan: Scan, m: RegExpExecArray): Found | undefined {
  const start = m.index;
  if (m[1] !== undefined) return urlCandidate(scan, start, m[1]);
  if (m[2] !== undefined) return emailCandidate(scan, start, m[2]);
  if (m[3] !== undefined) return { type: "cve", value: m[3].toUpperCase(), start, end: start + m[3].length };
  if (m[4] !== undefined) {
    const type = HASH_TYPES.get(m[4].length);
    return type === undefined
      ? undefined
      : { type, value: m[4].toLowerCase(), start, end: start + m[4].length };
  }
  if (m[5] !== undefined && m[6] !== undefined) return dottedCandidate(scan, start, m[5], m[6]);
  if (m[7] !== undefined) return ipv6Candidate(scan, start, m[7]);
  return undefined;
}

/**
 * Find every indicator in free text: Spanish or English prose, Markdown tables and lists, plain or defanged.
 *
 * Indicators are deduplicated after normalisation (the first occurrence wins) and returned in order of appearance.
 * Trailing punctuation and closing quotes are not part of an indicator, balanced parentheses inside a URL are. A host
 * with a path and no scheme is a URL (`https://` is added). Not reported: the host of a URL or the domain of an e-mail
 * address as a separate domain; dotted numbers after "version", "versión", "build" or "v"; CIDR ranges; live names that
 * read as file names or joined sentences (`install.sh`, `update.Download`); names without a known public suffix
 * (`ffmpeg.dll`); times (`10:30:00`); `std::string`; Spanish thousands (`12.000.000`).
 *
 * @param text Free text.
 * @returns The indicators, each with its canonical `value`, its `defanged` form, the UTF-16 span `[start, end)` of the
 *   indicator as written in `text`, and `fanged` (`true` when a network indicator was written live).
 * @example
 * ```ts
 * extract("C2: httxs://pbxsources[.]com/exchange.")
 * // [{ type: "url", value: "https://pbxsources.com/exchange", defanged: "hxxps://pbxsources[.]com/exchange",
 * //    start: 4, end: 37, fanged: false }]
 * ```
 */
export function extract(text: string): Indicator[] {
  const run: Run = {
    results: [],
    seen: new Set(),
    reported: new Set(),
    cache: new Map(),
    trigger: new RegExp(TRIGGER),
    candidate: new RegExp(CANDIDATE.source, "iuy"),
  };
  // Work line-aligned chunks of about CHUNK characters: no indicator or defang notation spans a line break, and small
  // refanged copies stay in V8's young generation, where one 5 MB copy would be a slow large-object allocation.
  for (let from = 0; from < text.length;) {
    let to = from + CHUNK >= text.length ? -1 : text.indexOf("\n", from + CHUNK);
    to = to === -1 ? text.length : to + 1;
    extractChunk(from === 0 && to === text.length ? text : text.slice(from, to), from, run);
    from = to;
  }
  return run.results;
}

const CHUNK = 16_384;

/** State of one `extract` call, shared by its chunks. */
interface Run {
  results: Indicator[];
  /** `type value` of every indicator reported. */
  seen: Set<string>;
  /** Candidate texts (refanged) already reported: a repeated indicator is skipped at once. */
  reported: Set<string>;
  cache: Cache;
  trigger: RegExp;
  candidate: RegExp;
}

function extractChunk(chunk: string, base: number, run: Run): void {
  const refanged = refangOnce(chunk);
  const t = refanged.text;
  const offsets = refanged.edits.length === 0 ? undefined : new Offsets(refanged.edits);
  const scan: Scan = { text: t, offsets, cache: run.cache };
  const { trigger, candidate, reported, seen, results } = run;
  trigger.lastIndex = 0;
  // Every position before `tried` has been tried as a candidate start (or lies inside an earlier candidate).
  let tried = 0;
  // `test` rather than `exec`: no match array per trigger. The last character of the match tells which trigger it was.
  while (trigger.test(t)) {
    const last = t.charCodeAt(trigger.lastIndex - 1);
    const at =
      trigger.lastIndex - (last === 0x2d ? 4 : last === 0x2e || last === 0x3a || last === 0x40 ? 1 : 32);
    // Walk back to where a candidate containing this trigger could start, then try each position as the global regex
    // would have, leftmost first. Positions tried before are not tried again, which keeps the scan linear.
    let from = at;
    const floor = Math.max(tried, at - 256);
    while (from > floor && isTokenChar(t.charCodeAt(from - 1), t, from - 1)) from--;
    let m: RegExpExecArray | null = null;
    for (let position = from; position <= at && m === null; position++) {
      candidate.lastIndex = position;
      m = candidate.exec(t);
    }
    if (m === null) {
      tried = at + 1;
      continue;
    }
    const end = m.index + m[0].length;
    tried = end;
    trigger.lastIndex = end;
    if (reported.has(m[0])) continue;
    const found = toFound(scan, m);
    if (found === undefined) continue;
    const key = `${found.type} ${found.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (found.hostOnly === undefined) reported.add(m[0]);
    const start = offsets === undefined ? found.start : offsets.start(found.start);
    const stop = offsets === undefined ? found.end : offsets.end(found.end);
    const network = NETWORK.has(found.type);
    results.push({
      type: found.type,
      value: found.value,
      defanged: network ? defangPlain(found.value) : found.value,
      start: base + start,
      end: base + stop,
      fanged: network && (offsets === undefined || !offsets.defanged(start, stop)),
    });
  }
}
