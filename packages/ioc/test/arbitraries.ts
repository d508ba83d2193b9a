/**
 * fast-check arbitraries for canonical indicators of every type, defang notations and bulletin-like prose.
 */
import fc from "fast-check";
import { type IocType, validate } from "../src/index.js";

/** A canonical indicator with its type. */
export interface Planted {
  type: IocType;
  value: string;
}

const lower = "abcdefghijklmnopqrstuvwxyz";
const alnum = `${lower}0123456789`;
const hexDigits = "0123456789abcdef";

const chars = (alphabet: string, minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength, maxLength });

/** Must be valid: the arbitraries only build canonical values. */
function canonical(type: IocType, value: string): string {
  const result = validate(type, value);
  if (!result.ok) throw new Error(`arbitrary built an invalid ${type} \`${value}\`: ${result.reason}`);
  return result.value;
}

// TLDs (and multi-label public suffixes) that are real and not common file extensions: a live `name.zip` is a file.
const TLDS = [
  "com",
  "net",
  "org",
  "info",
  "es",
  "mx",
  "io",
  "co",
  "xyz",
  "top",
  "ru",
  "de",
  "co.uk",
  "com.ar",
  "gob.mx",
  "online",
];

const label = fc
  .tuple(chars(lower, 1, 1), chars(alnum, 0, 10), fc.option(chars(alnum, 1, 4), { nil: undefined }))
  .map(([first, rest, tail]) => (tail === undefined ? first + rest : `${first}${rest}-${tail}`));

// A few generated names are public suffixes themselves (`co.io`): those are not domains.
export const domain: fc.Arbitrary<string> = fc
  .tuple(fc.array(label, { maxLength: 2 }), label, fc.constantFrom(...TLDS))
  .map(([subs, name, tld]) => [...subs, name, tld].join("."))
  .filter((name) => validate("domain", name).ok)
  .map((name) => canonical("domain", name));

export const ipv4: fc.Arbitrary<string> = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((octets) => canonical("ipv4", octets.join(".")));

// Every RFC 4291 text form fast-check knows, canonicalised; `::` alone is no indicator.
export const ipv6: fc.Arbitrary<string> = fc
  .ipV6()
  .map((value) => canonical("ipv6", value))
  .filter((value) => value !== "::");

export const email: fc.Arbitrary<string> = fc
  .tuple(
    chars(alnum, 1, 8),
    fc.option(fc.tuple(fc.constantFrom(".", "_", "+", "-"), chars(alnum, 1, 8)), { nil: undefined }),
    domain,
  )
  .map(([local, more, host]) => canonical("email", `${local}${more ? more.join("") : ""}@${host}`));

const pathSegment = chars(`${alnum}ABCXYZ-_`, 1, 10);
export const url: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("http", "https"),
    fc.oneof({ weight: 4, arbitrary: domain }, { weight: 1, arbitrary: ipv4 }),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined, freq: 5 }),
    fc.array(pathSegment, { minLength: 1, maxLength: 4 }),
    fc.constantFrom("", "", ".php", ".html", ".exe", "/"),
    fc.option(fc.nat(99999), { nil: undefined }),
  )
  .map(([scheme, host, port, segments, ext, query]) =>
    canonical(
      "url",
      `${scheme}://${host}${port === undefined ? "" : `:${port}`}/${segments.join("/")}${ext}${query === undefined ? "" : `?id=${query}`}`,
    ),
  );

const hash = (length: number) => chars(hexDigits, length, length);
export const md5 = hash(32);
export const sha1 = hash(40);
export const sha256 = hash(64);
export const sha512 = hash(128);
export const cve: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1999, max: 2030 }), fc.integer({ min: 1, max: 9_999_999 }))
  .map(([year, sequence]) => `CVE-${year}-${String(sequence).padStart(4, "0")}`);

/** Any canonical indicator. */
export const indicator: fc.Arbitrary<Planted> = fc.oneof(
  url.map((value) => ({ type: "url" as const, value })),
  domain.map((value) => ({ type: "domain" as const, value })),
  ipv4.map((value) => ({ type: "ipv4" as const, value })),
  ipv6.map((value) => ({ type: "ipv6" as const, value })),
  email.map((value) => ({ type: "email" as const, value })),
  md5.map((value) => ({ type: "md5" as const, value })),
  sha1.map((value) => ({ type: "sha1" as const, value })),
  sha256.map((value) => ({ type: "sha256" as const, value })),
  sha512.map((value) => ({ type: "sha512" as const, value })),
  cve.map((value) => ({ type: "cve" as const, value })),
);

const DOTS = ["[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}", "[DOT]", "[punto]", " [.] ", "[ . ]", "\\."];
const ATS = ["[@]", "(@)", "{@}", "[at]", "(at)", "[arroba]", " [at] "];

/**
 * Write a canonical indicator the way an analyst might: live, or with one of the defang notations we understand.
 * Live IPv6 addresses without a digit (`abcd::ef`) read as code, so they are always written defanged.
 */
export function written(planted: Planted): fc.Arbitrary<string> {
  const { type, value } = planted;
  const dot = fc.constantFrom(...DOTS);
  switch (type) {
    case "md5":
    case "sha1":
    case "sha256":
    case "sha512":
    case "cve":
      return fc.boolean().map((upper) => (upper ? value.toUpperCase() : value.toLowerCase()));
    case "domain":
    case "ipv4":
      return fc.oneof(
        fc.constant(value),
        dot.map((d) => value.replaceAll(".", d)),
      );
    case "ipv6":
      return /\d/u.test(value)
        ? fc.constantFrom(value, value.replaceAll(":", "[:]"))
        : fc.constant(value.replaceAll(":", "[:]"));
    case "email": {
      const at = value.lastIndexOf("@");
      const local = value.slice(0, at);
      const host = value.slice(at + 1);
      return fc.oneof(
        fc.constant(value),
        fc
          .tuple(fc.constantFrom(...ATS), fc.constantFrom(".", ...DOTS))
          .map(([a, d]) => `${local}${a}${host.replaceAll(".", d)}`),
      );
    }
    case "url": {
      const [, scheme = "", host = "", rest = ""] = /^(\w+):\/\/([^#/?]*)([#/?].*)?$/u.exec(value) ?? [];
      const options: fc.Arbitrary<string>[] = [
        fc.constant(value),
        fc
          .tuple(
            fc.constantFrom("hxxp", "hXXp", "httx", "h**p"),
            fc.constantFrom("://", "[://]", "[:]//"),
            dot,
          )
          .map(
            ([s, sep, d]) => `${s}${scheme === "https" ? "s" : ""}${sep}${host.replaceAll(".", d)}${rest}`,
          ),
      ];
      // A host with a path and no scheme is an https URL.
      // (Not `1.2.3.4/24`, which is a CIDR range.)
      const cidr = /^[\d.]+$/u.test(host) && /^\/\d{1,3}$/u.test(rest);
      if (scheme === "https" && rest.startsWith("/") && !cidr) {
        options.push(fc.constantFrom(".", "[.]", "(.)").map((d) => `${host.replaceAll(".", d)}${rest}`));
      }
      return fc.oneof(...options);
    }
  }
}

// Spanish and English filler: no dots, colons or at-signs inside words, and no "version", "build" or "v".
const WORDS = (
  "el la los de del en y que por para con según campaña actor amenaza servidor archivo usuarios seguridad " +
  "vulnerabilidad malware cadena suministro actualización detección análisis informe también además técnicas " +
  "persistencia navegador puerta trasera firmado legítimo se ha han sido está fue comenzó observaron recomienda " +
  "the a of in and for with on threat actor campaign server file users security malware supply chain update " +
  "detection analysis report command control infrastructure victim download installer was were observed blocked"
).split(" ");

const filler = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 6 })
  .map((words) => words.join(" "));

/** One block of prose, a table row or a list item holding `text`. */
function block(text: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(filler, filler).map(([a, b]) => `${a[0]?.toUpperCase() ?? ""}${a.slice(1)} ${text} ${b}.`),
    filler.map((a) => `${a} ${text}.`),
    fc.tuple(filler, fc.constantFrom("(", "«", '"', "“", "`", "'"), filler).map(([a, open, b]) => {
      const close = { "(": ")", "«": "»", '"': '"', "“": "”", "`": "`", "'": "'" }[open] ?? open;
      return `${a} ${open}${text}${close}, ${b}`;
    }),
    fc.tuple(filler, fc.constantFrom(",", ";", ":", "!", "?")).map(([a, p]) => `${a} ${text}${p} ${a}`),
    fc
      .tuple(fc.constantFrom("IOC", "URL", "Dominio", "SHA-1", "IP"), filler)
      .map(([kind, a]) => `| ${kind} | ${text} | ${a} |`),
    fc.constantFrom("- ", "* ", "1. ").map((bullet) => `${bullet}${text}`),
  );
}

/** Prose with planted indicators, each written live or defanged, and the indicators in order of appearance. */
export const prose: fc.Arbitrary<{ text: string; planted: Planted[] }> = fc
  .array(indicator, { minLength: 1, maxLength: 8 })
  .chain((indicators) =>
    fc
      .tuple(
        ...indicators.map((planted) => written(planted).chain(block)),
        fc.array(
          filler.map((words) => `${words}.`),
          { maxLength: 3 },
        ),
      )
      .map((parts) => {
        const blocks = parts.slice(0, indicators.length) as string[];
        const extra = parts[indicators.length] as string[];
        return { text: [...blocks, ...extra].join("\n"), planted: indicators };
      }),
  );
