/**
 * IP address parsing: strict dotted-quad IPv4 and every RFC 4291 text form of IPv6, formatted as RFC 5952 says.
 */
import type { ValidationResult } from "./types.js";

/**
 * Parse a strict dotted-quad IPv4 address: four decimal octets from 0 to 255 without leading zeros (a leading zero means
 * octal to some resolvers, so `010.0.0.1` is ambiguous and refused).
 *
 * @param value The address, already refanged.
 * @returns The address itself, or the reason it is not one.
 */
export function checkIpv4(value: string): ValidationResult {
  const parts = value.split(".");
  if (parts.length !== 4) {
    return {
      ok: false,
      reason: `Expected 4 dot-separated decimal octets for an IPv4 address, found ${parts.length}`,
    };
  }
  for (const part of parts) {
    const reason = octetProblem(part);
    if (reason !== undefined) return { ok: false, reason };
  }
  return { ok: true, value };
}

function octetProblem(part: string): string | undefined {
  if (!/^\d{1,3}$/u.test(part)) return `Expected IPv4 octets of 1 to 3 decimal digits, found \`${part}\``;
  if (part.length > 1 && part.startsWith("0"))
    return `Expected IPv4 octets without leading zeros, found \`${part}\``;
  if (Number(part) > 255) return `Expected IPv4 octets from 0 to 255, found ${part}`;
  return undefined;
}

/**
 * Whether `value` is a strict IPv4 address (same rules as {@link checkIpv4}), without building a reason.
 *
 * @param value Candidate text.
 * @returns `true` for `1.2.3.4`, `false` for `01.2.3.4` or `1.2.3`.
 */
export function isIpv4(value: string): boolean {
  return /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/u.test(value);
}

/**
 * Parse an IPv6 address in any RFC 4291 §2.2 text form (full, `::`-compressed, with an embedded dotted IPv4 tail) and
 * format it as RFC 5952 §4 recommends: lower case, no leading zeros, the longest run of two or more zero groups as `::`
 * (the first one on a tie), and IPv4-mapped addresses as `::ffff:a.b.c.d` (§5). Zone ids (`%eth0`) are refused: they
 * only mean something on one host.
 *
 * @param value The address, already refanged, without brackets.
 * @returns The canonical address, or the reason it is not one.
 */
export function checkIpv6(value: string): ValidationResult {
  const zone = value.indexOf("%");
  if (zone !== -1)
    return {
      ok: false,
      reason: `Expected an IPv6 address without a zone id, found \`${value.slice(zone)}\``,
    };
  const halves = value.split("::");
  if (halves.length > 2)
    return {
      ok: false,
      reason: `Expected at most one \`::\` in an IPv6 address, found ${halves.length - 1}`,
    };
  const head = parseGroups(halves[0] ?? "", halves.length === 1);
  if (typeof head === "string") return { ok: false, reason: head };
  let groups: number[];
  if (halves.length === 2) {
    const tail = parseGroups(halves[1] ?? "", true);
    if (typeof tail === "string") return { ok: false, reason: tail };
    if (head.length + tail.length > 7) {
      return {
        ok: false,
        reason: `Expected at most 7 groups around \`::\` in an IPv6 address, found ${head.length + tail.length}`,
      };
    }
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8)
      return {
        ok: false,
        reason: `Expected 8 groups in an IPv6 address without \`::\`, found ${head.length}`,
      };
    groups = head;
  }
  return { ok: true, value: formatIpv6(groups) };
}

/** Parse `a:b:c` (possibly empty, possibly ending in a dotted IPv4 when `last`) into 16-bit groups, or a reason. */
function parseGroups(text: string, last: boolean): number[] | string {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index] ?? "";
    if (part.includes(".")) {
      if (!last || index !== parts.length - 1)
        return `Expected an embedded IPv4 address only at the end of an IPv6 address, found \`${part}\``;
      const v4 = checkIpv4(part);
      if (!v4.ok) return v4.reason;
      const octets = part.split(".").map(Number);
      groups.push((octets[0] ?? 0) * 256 + (octets[1] ?? 0), (octets[2] ?? 0) * 256 + (octets[3] ?? 0));
    } else if (/^[\da-f]{1,4}$/iu.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return part === ""
        ? "Expected IPv6 groups of 1 to 4 hexadecimal digits, found an empty group"
        : `Expected IPv6 groups of 1 to 4 hexadecimal digits, found \`${part}\``;
    }
  }
  return groups;
}

function formatIpv6(groups: number[]): string {
  if (
    groups[0] === 0 &&
    groups[1] === 0 &&
    groups[2] === 0 &&
    groups[3] === 0 &&
    groups[4] === 0 &&
    groups[5] === 0xffff
  ) {
    const a = groups[6] ?? 0;
    const b = groups[7] ?? 0;
    return `::ffff:${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let index = 0; index < 8;) {
    if (groups[index] !== 0) {
      index++;
      continue;
    }
    let end = index;
    while (end < 8 && groups[end] === 0) end++;
    if (end - index > bestLength) {
      bestStart = index;
      bestLength = end - index;
    }
    index = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
