// Benchmark: `extract` from @atrc/ioc against `extractIOC` from ioc-extractor on a generated bulletin-like corpus.
// Run with `npm run bench` (builds first). This is a measurement, not a test: it prints a table and never fails.
//
// The corpus is deterministic (seeded PRNG): about 5 MB of Spanish and English prose, Markdown tables and lists with
// planted indicators of every type, written live or defanged in several notations, plus distractors that are not
// indicators (file names, versions, Spanish thousands, times, CIDR ranges, C++ names, sentence joins).
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { extractIOC } from "ioc-extractor";
import { extract, IOC_TYPES, validate } from "../dist/index.js";

const TARGET_BYTES = 5_000_000;
const RUNS = 5;

// --- Deterministic randomness -------------------------------------------------------------------------------------
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(0x3c7);
const int = (n) => Math.floor(random() * n);
const pick = (list) => list[int(list.length)];
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[int(16)]).join("");

// --- Vocabulary -------------------------------------------------------------------------------------------------
const ES = (
  "el la los las un una de del en y que por para con sin sobre según campaña actor amenaza ataque servidor archivo " +
  "usuarios equipos organización seguridad vulnerabilidad explotación malware cadena suministro versión actualización " +
  "detección análisis informe investigadores comunicación comando control infraestructura víctima descarga instalador " +
  "aplicación también además finalmente técnicas persistencia credenciales navegador puerta trasera firmado legítimo " +
  "se ha han sido está están fue fueron comenzó observaron identificaron recomienda publicar bloquear revisar"
).split(" ");
const EN = (
  "the a of in and that for with without on by threat actor campaign attack server file users systems organization " +
  "security vulnerability exploitation malware supply chain version update detection analysis report researchers " +
  "command control infrastructure victim download installer application also finally techniques persistence " +
  "credentials browser backdoor signed legitimate has been was were observed identified recommends block review"
).split(" ");
const TLDS = [
  "com",
  "net",
  "org",
  "info",
  "ru",
  "cn",
  "top",
  "xyz",
  "io",
  "es",
  "mx",
  "co",
  "br",
  "ar",
  "cl",
  "pe",
  "biz",
  "online",
];
const SYLLABLES = "ka lo mi ne su ta ro vi za pe do cu fi ga hu ja le mo ni pu sa te vo xi ye zu".split(" ");
const DISTRACTORS = [
  "ffmpeg.dll",
  "d3dcompiler_47.dll",
  "3CXDesktopApp.exe",
  "versión 18.12.407",
  "v1.2.3.4",
  "version 1.2.3.4",
  "build 10.0.19041.1",
  "a las 10:30:00",
  "12.000.000",
  "242.519",
  "600.000",
  "std::string",
  "10.0.0.0/8",
  "update.Download",
  "p. ej.",
  "EE.UU.",
  "SHA-1",
  "Node.js",
  "..\\..\\Temp",
  "...",
  "…",
];

function label() {
  let out = "";
  const n = 2 + int(3);
  for (let i = 0; i < n; i++) out += pick(SYLLABLES);
  return random() < 0.2 ? `${out}-${pick(SYLLABLES)}${pick(SYLLABLES)}` : out;
}
const domainName = () =>
  (random() < 0.3 ? `${pick(["cdn", "api", "update", "mail", "login"])}.` : "") + `${label()}.${pick(TLDS)}`;
const octet = () => String(1 + int(254));

// --- Planted indicators -----------------------------------------------------------------------------------------
// Each indicator: { type, value (canonical), notation, written }. A notation is "common" when ioc-extractor documents it
// too (its README, "Refang Techniques"), "ours" when only @atrc/ioc understands it.
const NOTATIONS = {
  live: { set: "common", apply: (v) => v },
  brackets: { set: "common", apply: (v) => defangWith(v, "[.]", "[@]", "[:]") },
  parens: { set: "common", apply: (v) => defangWith(v, "(.)", "(@)", "[:]") },
  braces: { set: "common", apply: (v) => defangWith(v, "{.}", "{@}", "[:]") },
  dotWord: { set: "common", apply: (v) => defangWith(v, "[dot]", "[at]", "[:]") },
  backslash: { set: "common", apply: (v) => defangWith(v, "\\.", "[@]", "[:]") },
  separators: { set: "common", apply: (v) => defangWith(v, "[.]", "[@]", "[:]").replace("://", "[://]") },
  httxs: { set: "ours", apply: (v) => defangWith(v, "[.]", "[@]", "[:]").replace(/^hxxp/u, "httx") },
  punto: { set: "ours", apply: (v) => defangWith(v, "[punto]", "[arroba]", "[:]") },
  spaced: { set: "ours", apply: (v) => defangWith(v, " [.] ", " [at] ", "[:]") },
};

/** Defang a canonical value: scheme, host dots (URL paths keep theirs), `@`, IPv6 colons. */
function defangWith(value, dot, at, colon) {
  const url = /^(https?):\/\/([^/]+)(\/.*)?$/u.exec(value);
  if (url) return `${url[1].replace("tt", "xx")}://${url[2].replaceAll(".", dot)}${url[3] ?? ""}`;
  if (value.includes("@")) {
    const [local, domain] = value.split("@");
    return `${local}${at}${domain.replaceAll(".", dot)}`;
  }
  if (value.includes(":")) return value.replaceAll(":", colon);
  return value.replaceAll(".", dot);
}

function makeIndicator(type) {
  switch (type) {
    case "domain":
      return domainName();
    case "ipv4":
      return [octet(), octet(), octet(), octet()].join(".");
    case "ipv6": {
      const groups = [
        "2001",
        "db8",
        hex(1 + int(4)).replace(/^0+/u, "") || "1",
        "0",
        "0",
        hex(2 + int(3)).replace(/^0+/u, "") || "a",
        "0",
        hex(4).replace(/^0+/u, "") || "1",
      ];
      return validate("ipv6", groups.join(":")).value;
    }
    case "email":
      return `${label()}.${label()}@${domainName()}`;
    case "url":
      return `${pick(["http", "https"])}://${domainName()}/${label()}/${label()}${pick(["", ".php", ".html", "?id=" + int(9999)])}`;
    case "schemeless":
      return `${domainName()}/${label()}/${label()}`;
    case "md5":
      return hex(32);
    case "sha1":
      return hex(40);
    case "sha256":
      return hex(64);
    case "sha512":
      return hex(128);
    case "cve":
      return `CVE-${2015 + int(10)}-${1000 + int(50000)}`;
  }
  throw new Error(type);
}

// Every type the library knows, plus host-and-path URLs without a scheme.
const TYPES = [...IOC_TYPES, "schemeless"];
const pool = [];
const seenValues = new Set();
while (pool.length < 3000) {
  const kind = pick(TYPES);
  const raw = makeIndicator(kind);
  const type = kind === "schemeless" ? "url" : kind;
  const canonical = validate(type, raw);
  if (!canonical.ok || seenValues.has(`${type} ${canonical.value}`)) continue;
  seenValues.add(`${type} ${canonical.value}`);
  pool.push({ type, kind, raw, value: canonical.value });
}
// Each indicator keeps one notation for all its occurrences, so recall can be attributed to notations.
for (const indicator of pool) Object.assign(indicator, chooseNotation(indicator));

function chooseNotation(indicator) {
  const network = ["url", "domain", "ipv4", "ipv6", "email"].includes(indicator.type);
  if (!network)
    return {
      written: random() < 0.2 ? indicator.raw.toUpperCase() : indicator.raw,
      set: "common",
      notation: "live",
    };
  if (indicator.kind === "schemeless") {
    return { written: defangWith(indicator.raw, "[.]", "[@]", "[:]"), set: "ours", notation: "schemeless" };
  }
  const names = Object.keys(NOTATIONS).filter((name) => {
    // Spaced and backslash dots only make sense between letters; IPv6 only has colons to defang.
    if (indicator.type === "ipv6") return name === "live" || name === "brackets";
    if (indicator.type === "ipv4" && (name === "spaced" || name === "backslash")) return false;
    if (indicator.type !== "url" && (name === "separators" || name === "httxs")) return false;
    return true;
  });
  const notation = pick(names);
  return { written: NOTATIONS[notation].apply(indicator.raw), set: NOTATIONS[notation].set, notation };
}

// --- Corpus -----------------------------------------------------------------------------------------------------
const planted = new Map(); // key -> { type, value, set, notation }
let occurrences = 0;
function plant() {
  occurrences++;
  const indicator = pick(pool);
  planted.set(`${indicator.type} ${indicator.value}`, indicator);
  return indicator.written;
}
function sentence(words) {
  const n = 8 + int(14);
  const parts = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    if (r < 0.035) parts.push(plant());
    else if (r < 0.045) parts.push(pick(DISTRACTORS));
    else parts.push(pick(words));
  }
  // Sentences start with a capitalised filler word, never with an indicator (capitalising it would change it).
  const first = pick(words);
  return `${first[0].toUpperCase()}${first.slice(1)} ${parts.join(" ")}${pick([".", ".", ".", ":", ";"])}`;
}
function paragraph() {
  const words = random() < 0.6 ? ES : EN;
  const r = random();
  if (r < 0.15) {
    const rows = ["| Tipo | Indicador | Descripción |", "|---|---|---|"];
    for (let i = 0, n = 3 + int(8); i < n; i++)
      rows.push(`| IOC | ${plant()} | ${pick(words)} ${pick(words)} |`);
    return rows.join("\n");
  }
  if (r < 0.3) {
    const items = [];
    for (let i = 0, n = 2 + int(6); i < n; i++) items.push(`- ${pick(words)} \`${plant()}\` ${pick(words)}`);
    return items.join("\n");
  }
  const sentences = [];
  for (let i = 0, n = 2 + int(5); i < n; i++) sentences.push(sentence(words));
  return sentences.join(" ");
}
const paragraphs = [];
let bytes = 0;
while (bytes < TARGET_BYTES) {
  const p = paragraph();
  paragraphs.push(p);
  bytes += Buffer.byteLength(p) + 2;
}
const corpus = paragraphs.join("\n\n");
const megabytes = Buffer.byteLength(corpus) / 1e6;

// --- Normalisation for comparison --------------------------------------------------------------------------------
const CATEGORY = {
  urls: "url",
  domains: "domain",
  ipv4s: "ipv4",
  ipv6s: "ipv6",
  emails: "email",
  md5s: "md5",
  sha1s: "sha1",
  sha256s: "sha256",
  sha512s: "sha512",
  cves: "cve",
};
/** Both tools' outputs go through the same normaliser: trailing sentence punctuation off, then our canonical form. */
function normalise(type, value) {
  const trimmed = type === "url" ? value.replace(/[!"'),.:;?\]`|]+$/u, "") : value;
  const result = validate(type, trimmed);
  return `${type} ${result.ok ? result.value : trimmed.toLowerCase()}`;
}
// ioc-extractor also reports the host of every URL and the domain of every e-mail as a domain (and URL hosts that are IPs
// as IPs); @atrc/ioc does not, by design. Those sub-indicators are not counted as extras for either tool.
const subHosts = new Set();
for (const entry of planted.values()) {
  if (entry.type === "url") {
    const host = /^https?:\/\/([^/:?#]+)/u.exec(entry.value)[1];
    subHosts.add(`domain ${host}`);
    subHosts.add(`ipv4 ${host}`);
  } else if (entry.type === "email") subHosts.add(`domain ${entry.value.split("@")[1]}`);
}

function score(found) {
  const all = [...planted.values()];
  const common = all.filter((entry) => entry.set === "common");
  const recall = (entries) =>
    entries.filter((entry) => found.has(`${entry.type} ${entry.value}`)).length / entries.length;
  const extras = [...found].filter((key) => !planted.has(key) && !subHosts.has(key));
  return { recall: recall(all), recallCommon: recall(common), extras };
}

/**
 * Time both tools, alternating them run after run so that both see the same machine load. Wall time is what a user
 * waits; CPU time (user + system of this process) is steadier on a shared machine. Medians of RUNS runs after warm-up.
 */
function measure(runs) {
  for (const run of Object.values(runs)) run(); // warm-up: JIT, regex compilation, lazy data
  const samples = Object.fromEntries(
    Object.keys(runs).map((name) => [name, { wall: [], cpu: [], output: undefined }]),
  );
  for (let i = 0; i < RUNS; i++) {
    for (const [name, run] of Object.entries(runs)) {
      const cpuStart = process.cpuUsage();
      const wallStart = performance.now();
      samples[name].output = run();
      samples[name].wall.push(performance.now() - wallStart);
      const cpu = process.cpuUsage(cpuStart);
      samples[name].cpu.push((cpu.user + cpu.system) / 1000);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return Object.fromEntries(
    Object.entries(samples).map(([name, { wall, cpu, output }]) => {
      const wallMs = median(wall);
      const cpuMs = median(cpu);
      return [
        name,
        { wallMs, cpuMs, mbps: megabytes / (wallMs / 1000), cpuMbps: megabytes / (cpuMs / 1000), output },
      ];
    }),
  );
}

// --- Run --------------------------------------------------------------------------------------------------------
console.log(`node ${process.version}, ${availableParallelism()} cores, ${process.platform}/${process.arch}`);
const seed = readFileSync(new URL("../test/fixtures/3cx-es.txt", import.meta.url), "utf8");
const seedDensity = Buffer.byteLength(seed) / extract(seed).length;
console.log(
  `corpus: ${megabytes.toFixed(2)} MB, ${paragraphs.length} blocks, ${planted.size} distinct planted indicators ` +
    `(${[...planted.values()].filter((e) => e.set === "common").length} written in a notation both tools document), ` +
    `${occurrences} occurrences: one per ${Math.round((megabytes * 1e6) / occurrences)} bytes ` +
    `(the 3CX bulletin, IOC table included: one per ${Math.round(seedDensity)} bytes)`,
);

const { ours, theirs } = measure({
  ours: () => extract(corpus),
  theirs: () => extractIOC(corpus, { refang: true, strict: true, punycode: false, sort: false }),
});
const oursFound = new Set(ours.output.map((indicator) => normalise(indicator.type, indicator.value)));
const theirsFound = new Set();
for (const [key, type] of Object.entries(CATEGORY))
  for (const value of theirs.output[key]) theirsFound.add(normalise(type, value));

const rows = [
  ["@atrc/ioc extract", ours, score(oursFound)],
  ["ioc-extractor 8.2.0 extractIOC", theirs, score(theirsFound)],
];
const pct = (x) => `${(x * 100).toFixed(1)}%`;
console.log("");
console.log(
  "| tool | median MB/s (wall) | median MB/s (CPU) | median ms (wall) | recall (all) | recall (common notations) | extras |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [name, run, s] of rows) {
  console.log(
    `| ${name} | ${run.mbps.toFixed(1)} | ${run.cpuMbps.toFixed(1)} | ${run.wallMs.toFixed(0)} | ${pct(s.recall)} | ${pct(s.recallCommon)} | ${s.extras.length} |`,
  );
}
console.log("");
console.log(
  `throughput ratio (ours / ioc-extractor): ${(ours.mbps / theirs.mbps).toFixed(2)}x wall, ${(ours.cpuMbps / theirs.cpuMbps).toFixed(2)}x CPU`,
);

// Recall per notation, to show where each tool misses.
console.log("");
console.log("| notation | planted | @atrc/ioc | ioc-extractor |");
console.log("|---|---:|---:|---:|");
const notations = new Set([...planted.values()].map((entry) => entry.notation));
for (const notation of [...notations].sort()) {
  const entries = [...planted.values()].filter((entry) => entry.notation === notation);
  const hit = (found) =>
    entries.filter((entry) => found.has(`${entry.type} ${entry.value}`)).length / entries.length;
  console.log(
    `| ${notation} (${entries[0].set}) | ${entries.length} | ${pct(hit(oursFound))} | ${pct(hit(theirsFound))} |`,
  );
}
for (const [name, , s] of rows) {
  if (s.extras.length > 0) console.log(`\n${name} extras (first 10): ${s.extras.slice(0, 10).join(", ")}`);
}
