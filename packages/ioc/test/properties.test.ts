import fc from "fast-check";
import { parse } from "tldts";
import { describe, expect, it } from "vitest";
import { classify, defang, extract, refang, validate } from "../src/index.js";
import {
  cve,
  domain,
  email,
  indicator,
  ipv4,
  ipv6,
  md5,
  prose,
  sha1,
  sha256,
  sha512,
  url,
} from "./arbitraries.js";

const RUNS = { numRuns: 200 };

// Building blocks of defanged text, mixed with characters that sit next to them in real text.
const TOKENS = [
  "[.]",
  "(.)",
  "{.}",
  "[dot]",
  "(DOT)",
  "{dot}",
  "[punto]",
  "[ . ]",
  " [.] ",
  "\\.",
  "[@]",
  "(@)",
  "{@}",
  "[at]",
  "(at)",
  "[arroba]",
  "[:]",
  "[/]",
  "[://]",
  "hxxp",
  "hXXps",
  "httx",
  "httxs",
  "h**p",
  "fxp",
  "://",
  "[",
  "]",
  "(",
  ")",
  "{",
  "}",
  ".",
  ":",
  "/",
  "\\",
  "@",
  " ",
  "a",
  "evil",
  "com",
  "x",
  "1",
  "s",
  "p",
  "t",
];
const defangSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((parts) => parts.join(""));

const isRealTld = (name: string) => parse(name, { allowPrivateDomains: false }).isIcann === true;

/** Live indicators left in a text: an http(s)/ftp scheme, a dotted name under a real TLD, an IPv4 or IPv6 address. */
function liveLeftovers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/\b(?:https?|ftp):\/\//giu)) found.push(m[0]);
  // A local part before `[@]` is not a host.
  for (const m of text.matchAll(/(?<![\w.@-])(?:[\da-z-]+\.)+[a-z]{2,}(?![\w-]|\[@\])/giu))
    if (isRealTld(m[0])) found.push(m[0]);
  for (const m of text.matchAll(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/gu)) found.push(m[0]);
  for (const m of text.matchAll(/[\d.:a-f]*:[\d.:a-f]*:[\d.:a-f]*/giu))
    if (validate("ipv6", m[0]).ok) found.push(m[0]);
  return found;
}

describe("properties", () => {
  it("refang is idempotent on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => refang(refang(text)) === refang(text)),
      RUNS,
    );
  });

  it("refang is idempotent on strings built from defang notations", () => {
    fc.assert(
      fc.property(defangSoup, (text) => refang(refang(text)) === refang(text)),
      { numRuns: 300 },
    );
  });

  it.each([
    ["url", url],
    ["domain", domain],
    ["ipv4", ipv4],
    ["ipv6", ipv6],
    ["email", email],
    ["md5", md5],
    ["sha1", sha1],
    ["sha256", sha256],
    ["sha512", sha512],
    ["cve", cve],
  ] as const)(
    "refang(defang(x)) === x for canonical %s values, and validate keeps them as they are",
    (type, arbitrary) => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(refang(defang(value))).toBe(value);
          expect(validate(type, value)).toEqual({ ok: true, value });
          expect(validate(type, defang(value))).toEqual({ ok: true, value });
          expect(classify(defang(value))).toBe(type);
        }),
        { numRuns: 100 },
      );
    },
  );

  it("defang leaves no live indicator behind", () => {
    fc.assert(
      fc.property(indicator, ({ type, value }) => {
        const defanged = defang(value);
        expect(liveLeftovers(defanged)).toEqual([]);
        const found = extract(defanged);
        expect(found.map((item) => `${item.type} ${item.value}`)).toEqual([`${type} ${value}`]);
        expect(found.every((item) => !item.fanged)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("extract finds every indicator planted in prose, tables and lists, and nothing else", () => {
    fc.assert(
      fc.property(prose, ({ text, planted }) => {
        const expected = [...new Set(planted.map((item) => `${item.type} ${item.value}`))];
        const found = extract(text);
        expect(found.map((item) => `${item.type} ${item.value}`)).toEqual(expected);
        for (const item of found) {
          // The span is the indicator as written: refanged and validated, it gives the value back.
          expect(validate(item.type, text.slice(item.start, item.end))).toEqual({
            ok: true,
            value: item.value,
          });
          expect(item.defanged).toBe(defang(item.value));
        }
      }),
      RUNS,
    );
  });

  it("extract never throws and returns spans inside the text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), defangSoup), (text) => {
        for (const item of extract(text)) {
          expect(item.start).toBeGreaterThanOrEqual(0);
          expect(item.end).toBeLessThanOrEqual(text.length);
          expect(item.start).toBeLessThan(item.end);
        }
      }),
      RUNS,
    );
  });
});
