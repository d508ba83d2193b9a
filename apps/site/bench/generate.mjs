/**
 * Deterministic synthetic bulletins for the publish benchmark: N folders with es.md and en.md that pass
 * `atrc check`, 1.5 KB to 8 KB of prose and tables each, and 10 to 300 defanged indicators.
 *
 *   node bench/generate.mjs <out-dir> <count> [seed]
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** mulberry32: small, fast, seedable. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ES_WORDS =
  "el la los las de del en un una que por con para según campaña actor amenaza servidor malware cadena suministro análisis equipo red acceso credenciales correo adjunto macro carga útil persistencia registro tráfico cifrado comando control víctima sector organización vulnerabilidad parche actualización detección respuesta incidente indicador dominio dirección archivo firma puerta trasera exfiltración".split(
    " ",
  );
const EN_WORDS =
  "the a of in to and for with by from campaign actor threat server malware supply chain analysis team network access credentials email attachment macro payload persistence registry traffic encrypted command control victim sector organisation vulnerability patch update detection response incident indicator domain address file signature backdoor exfiltration".split(
    " ",
  );
const TLDS = ["com", "net", "org", "info", "io", "biz", "xyz", "top", "online", "site"];
const SYL = [
  "ka",
  "zo",
  "mi",
  "tra",
  "vel",
  "nor",
  "qui",
  "lex",
  "dar",
  "pon",
  "sul",
  "fin",
  "gra",
  "mox",
  "ter",
  "bal",
];
const COUNTRIES = [
  ["Brasil", "Brazil"],
  ["España", "Spain"],
  ["México", "Mexico"],
  ["Colombia", "Colombia"],
  ["Chile", "Chile"],
  ["Argentina", "Argentina"],
  ["Perú", "Peru"],
  ["Uruguay", "Uruguay"],
];

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function sentence(random, words, min, max) {
  const n = min + Math.floor(random() * (max - min + 1));
  const out = [];
  for (let i = 0; i < n; i++) out.push(pick(random, words));
  const text = out.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(random, words) {
  const n = 3 + Math.floor(random() * 4);
  return Array.from({ length: n }, () => sentence(random, words, 8, 18)).join(" ");
}

function host(random) {
  const labels = 2 + Math.floor(random() * 3);
  let name = "";
  for (let i = 0; i < labels; i++) name += pick(random, SYL);
  return `${name}${Math.floor(random() * 1000)}.${pick(random, TLDS)}`;
}

function hex(random, length) {
  let out = "";
  for (let i = 0; i < length; i++) out += "0123456789abcdef"[Math.floor(random() * 16)];
  return out;
}

/** One indicator row: [type label, defanged value, description es, description en]. */
function indicator(random) {
  const r = random();
  if (r < 0.35) {
    const h = host(random);
    return [
      "URL",
      `hxxps://${h.replaceAll(".", "[.]")}/${pick(random, SYL)}/${pick(random, SYL)}${Math.floor(random() * 99)}`,
      "Servidor de mando y control (C2)",
      "Command-and-control (C2) server",
    ];
  }
  if (r < 0.5)
    return [
      "Domain",
      host(random).replaceAll(".", "[.]"),
      "Dominio de la infraestructura",
      "Infrastructure domain",
    ];
  if (r < 0.6) {
    const ip = `${45 + Math.floor(random() * 150)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
    return ["IPv4", ip.replaceAll(".", "[.]"), "Dirección IP de C2", "C2 IP address"];
  }
  if (r < 0.75) return ["SHA-256", hex(random, 64), "Carga útil", "Payload"];
  if (r < 0.85) return ["SHA-1", hex(random, 40), "Instalador malicioso", "Malicious installer"];
  if (r < 0.95) return ["MD5", hex(random, 32), "Documento malicioso", "Malicious document"];
  return [
    "Email",
    `${pick(random, SYL)}${pick(random, SYL)}[@]${host(random).replaceAll(".", "[.]")}`,
    "Remitente de phishing",
    "Phishing sender",
  ];
}

function frontMatter(lang, id, date, tlpTags, extra) {
  const es = lang === "es";
  return `---
id: ${id}
lang: ${lang}
title: ${es ? "Campaña sintética" : "Synthetic campaign"} ${id}
summary: ${es ? "Boletín sintético generado para medir la publicación a escala." : "Synthetic bulletin generated to measure publishing at scale."}
published: ${date}
modified: ${date}
revision: 1
tlp: TLP:CLEAR
severity: ${tlpTags.severity}
tags: [${(es ? tlpTags.es : tlpTags.en).join(", ")}]
actors: [${tlpTags.actor}]
products: [${tlpTags.product}]
malware: [${tlpTags.malware}]
attack: [T1566.001, T1059.001]
${extra}---
`;
}

/**
 * Write `count` bulletins under `<dir>/bulletins/`.
 *
 * @param {string} dir Content root to create.
 * @param {number} count Number of bulletins.
 * @param {number} [seed] PRNG seed.
 * @returns {Promise<{ bytes: number, indicators: number }>} Markdown bytes written and indicators planted.
 */
export async function generate(dir, count, seed = 42) {
  const random = prng(seed);
  let bytes = 0;
  let indicators = 0;
  for (let i = 0; i < count; i++) {
    const year = 2015 + (i % 12);
    const number = String(Math.floor(i / 12) + 1).padStart(3, "0");
    const month = String(1 + Math.floor(random() * 12)).padStart(2, "0");
    const day = String(1 + Math.floor(random() * 28)).padStart(2, "0");
    const date = `${year}-${month}-${day}`;
    const id = `ATRC-${year}-${number}`;
    const slug = `${year}-${month}-bench-${String(i).padStart(4, "0")}`;
    const meta = {
      severity: pick(random, ["low", "medium", "high", "critical"]),
      es: [pick(random, ["ransomware", "phishing", "cadena de suministro"]), "sintético"],
      en: [pick(random, ["ransomware", "phishing", "supply chain"]), "synthetic"],
      actor: pick(random, ["Grupo Alfa", "Grupo Beta", "Lazarus Group", "FIN7"]),
      product: pick(random, ["Producto X", "Producto Y", "VPN Z"]),
      malware: pick(random, ["Malware A", "Malware B", "SmoothOperator"]),
    };
    // Prose: 1 to 6 sections of 1 to 3 paragraphs, for 1.5 KB to 8 KB with the tables.
    const sections = 1 + Math.floor(random() * 6);
    const esBody = [];
    const enBody = [];
    for (let s = 0; s < sections; s++) {
      const paragraphs = 1 + Math.floor(random() * 3);
      const seedS = Math.floor(random() * 2 ** 31);
      const rEs = prng(seedS);
      const rEn = prng(seedS);
      esBody.push(
        `## Sección ${s + 1}\n\n${Array.from({ length: paragraphs }, () => paragraph(rEs, ES_WORDS)).join("\n\n")}\n`,
      );
      enBody.push(
        `## Section ${s + 1}\n\n${Array.from({ length: paragraphs }, () => paragraph(rEn, EN_WORDS)).join("\n\n")}\n`,
      );
    }
    const rows = 3 + Math.floor(random() * 6);
    const countries = COUNTRIES.slice(0, rows).map(([es, en]) => [es, en, 10 + Math.floor(random() * 20000)]);
    const esTable = `## Exposición\n\n| País | Sistemas |\n| --- | --- |\n${countries.map(([es, , n]) => `| ${es} | ${n.toLocaleString("es-ES", { useGrouping: "always" })} |`).join("\n")}\n`;
    const enTable = `## Exposure\n\n| Country | Systems |\n| --- | --- |\n${countries.map(([, en, n]) => `| ${en} | ${n.toLocaleString("en-GB")} |`).join("\n")}\n`;
    // Indicators: 10 to 300, skewed towards small tables as real bulletins are.
    const n = 10 + Math.floor(random() ** 2 * 291);
    const seen = new Set();
    const iocs = [];
    while (iocs.length < n) {
      const row = indicator(random);
      if (seen.has(row[1])) continue;
      seen.add(row[1]);
      iocs.push(row);
    }
    indicators += n;
    const esIoc = `## Indicadores de compromiso\n\n| Tipo | Indicador | Descripción |\n| --- | --- | --- |\n${iocs.map(([t, v, d]) => `| ${t} | ${v} | ${d} |`).join("\n")}\n`;
    const enIoc = `## Indicators of compromise\n\n| Type | Indicator | Description |\n| --- | --- | --- |\n${iocs.map(([t, v, , d]) => `| ${t} | ${v} | ${d} |`).join("\n")}\n`;
    const ref = `https://example.org/reports/${slug}`;
    const es = `${frontMatter("es", id, date, meta, "")}\n${esBody.join("\n")}\n${esTable}\n${esIoc}\n## Referencias\n\n- [Informe del proveedor](${ref})\n`;
    const en = `${frontMatter("en", id, date, meta, "translation:\n  source: es\n  revision: 1\n")}\n${enBody.join("\n")}\n${enTable}\n${enIoc}\n## References\n\n- [Vendor report](${ref})\n`;
    const folder = path.join(dir, "bulletins", slug);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, "es.md"), es);
    await writeFile(path.join(folder, "en.md"), en);
    bytes += Buffer.byteLength(es) + Buffer.byteLength(en);
  }
  return { bytes, indicators };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir, count, seed] = process.argv.slice(2);
  if (!dir || !count) {
    console.error("Usage: node bench/generate.mjs <out-dir> <count> [seed]");
    process.exit(2);
  }
  const result = await generate(dir, Number(count), seed ? Number(seed) : undefined);
  console.log(
    `${count} bulletins, ${result.indicators} indicators, ${(result.bytes / 1024).toFixed(0)} KiB of Markdown`,
  );
}
