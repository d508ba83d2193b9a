import type { InlineCode, Link } from "mdast";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import {
  numbersIn,
  parseBulletin,
  parseDocument,
  remarkAtrcIndicators,
  RULES,
  toHtml,
} from "../src/index.js";
import { esDocument, readThreeCx } from "./helpers.js";

const messages = (file: VFile) => file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.reason}`);

describe("@atrc/bulletin", () => {
  it("exports a stable API", async () => {
    expect(Object.keys(await import("../src/index.js")).sort()).toEqual([
      "IOC_HEADING",
      "LANGS",
      "PAGE_INDEX",
      "PAGE_KEYS",
      "REFERENCES_HEADING",
      "RULES",
      "RULES_URL",
      "SEVERITIES",
      "TLPS",
      "TYPE_LABELS",
      "defangIndicatorTables",
      "getRule",
      "hasErrors",
      "iocColumns",
      "numbersIn",
      "pageDataPath",
      "pageFiles",
      "pageHtmlPath",
      "pageIndexText",
      "parseBulletin",
      "parseDocument",
      "parseFrontmatter",
      "readPageData",
      "readPageIndex",
      "remarkAtrcIndicators",
      "report",
      "restoreFiles",
      "serializeFiles",
      "toHtml",
      "toPageData",
      "toStoredPage",
      "toStoredSummary",
      "toSummary",
      "uniqueIds",
    ]);
  });

  it("gives every rule a kebab-case id and a description", () => {
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(?:-[a-z0-9+]+)+$/);
      expect(rule.description).toMatch(/\.$/);
    }
  });
});

describe("the 3CX bulletin", async () => {
  const sources = await readThreeCx();
  const result = parseBulletin("2023-03-3cx", {
    es: { path: "es.md", value: sources.es },
    en: { path: "en.md", value: sources.en },
  });

  it("checks clean in both languages", () => {
    expect(result.files.flatMap(messages)).toEqual([]);
    expect(result.bulletin).toBeDefined();
  });

  it("has exactly 22 indicators: 17 url, 2 email, 3 sha1", () => {
    const indicators = result.bulletin!.original.indicators;
    const counts: Record<string, number> = {};
    for (const indicator of indicators) counts[indicator.type] = (counts[indicator.type] ?? 0) + 1;
    expect(indicators).toHaveLength(22);
    expect(counts).toEqual({ url: 17, email: 2, sha1: 3 });
    expect(result.bulletin!.documents.en!.indicators.map((i) => i.key)).toEqual(indicators.map((i) => i.key));
  });

  it("keeps canonical values for machines and defanged values for people", () => {
    const github = result.bulletin!.original.indicators[0]!;
    expect(github).toMatchObject({
      type: "url",
      value: "https://github.com/IconStorages/images",
      defanged: "hxxps://github[.]com/IconStorages/images",
      benignHost: true,
      key: "url:https://github.com/IconStorages/images",
    });
    const email = result.bulletin!.original.indicators.find((i) => i.type === "email")!;
    expect(email).toMatchObject({
      value: "cliego.garcia@proton.me",
      defanged: "cliego.garcia[@]proton[.]me",
    });
  });

  it("reads the metadata, the sections, the data tables and the references", () => {
    const es = result.bulletin!.original;
    expect(es.meta).toMatchObject({ id: "ATRC-2023-001", tlp: "CLEAR", severity: "critical", revision: 1 });
    expect(es.sections.map((s) => s.id)).toContain("indicadores-de-compromiso");
    const countries = es.tables.find((t) => !t.isIndicatorTable)!;
    expect(countries.rows).toHaveLength(8);
    expect(countries.rows[0]).toEqual(["1", "Brasil", "4.385"]);
    expect(es.references.length).toBeGreaterThanOrEqual(14);
    expect(es.references.every((r) => r.url.startsWith("https://"))).toBe(true);
    expect(result.bulletin!.documents.en!.meta.translation).toEqual({ source: "es", revision: 1 });
  });

  it("renders indicator cells as defanged inline code and never as links", () => {
    const es = result.bulletin!.original;
    const codes: string[] = [];
    visit(es.body, "inlineCode", (node: InlineCode) => void codes.push(node.value));
    for (const indicator of es.indicators) expect(codes).toContain(indicator.defanged);
    const html = toHtml(es);
    for (const indicator of es.indicators) {
      expect(html).toContain(`<code>${indicator.defanged}</code>`);
      expect(html).not.toContain(`href="${indicator.value}"`);
    }
    expect(html).toContain('class="ioc-table"');
    expect(html).toContain('id="indicadores-de-compromiso"');
  });
});

describe("indicator checks", () => {
  const check = (rows: string, extra = "") => {
    const file = new VFile({ path: "es.md", value: esDocument(rows, extra) });
    const document = parseDocument(file, { lang: "es" });
    return { file, document, messages: messages(file) };
  };

  it("fills in a missing type from the value", () => {
    const { document, messages } = check("|  | 203.0.113[.]7 | C2 |");
    expect(messages).toEqual([]);
    expect(document!.indicators[0]).toMatchObject({
      type: "ipv4",
      value: "203.0.113.7",
      defanged: "203[.]0[.]113[.]7",
    });
  });

  it("reads a value written in the type column, as vendor tables do", () => {
    const { document } = check("| cliego.garcia@proton[.]me | | |");
    expect(document!.indicators[0]).toMatchObject({ type: "email", value: "cliego.garcia@proton.me" });
  });

  it("reports a hash of the wrong length with the place and a hint", () => {
    const { file } = check("| SHA-1 | cad1120d91b812acafef7175f949dd1b09c6c21 | x |");
    const [message] = file.messages;
    expect(message).toMatchObject({ line: 25, column: 11, ruleId: "ioc-invalid", fatal: true });
    expect(message!.note).toContain("40 characters");
  });

  it("reports a type cell that disagrees with the value", () => {
    expect(check("| URL | evil-updates[.]net | x |").messages).toEqual([
      "25:3 ioc-type-mismatch Unexpected type `URL` for `evil-updates[.]net`, expected `Domain`",
    ]);
  });

  it("reports live indicators in the table and in the prose", () => {
    const { messages } = check(
      "| URL | https://evil-updates.com/a | x |",
      " El C2 evil-updates.com sigue activo.",
    );
    expect(messages.filter((m) => m.includes("ioc-live"))).toHaveLength(2);
  });

  it("reports duplicates after normalisation", () => {
    const { messages } = check(
      "| URL | hxxps://evil-updates[.]com/a | x |\n| URL | hxxps://EVIL-UPDATES(.)com/a | y |",
    );
    expect(messages).toEqual([
      "26:9 ioc-duplicate Unexpected duplicate URL `hxxps://evil-updates[.]com/a`, first listed at line 25",
    ]);
  });

  it("warns about a legitimate host published as a domain", () => {
    const { file } = check("| Dominio | github[.]com | x |");
    expect(file.messages.map((m) => [m.ruleId, m.fatal])).toEqual([["ioc-benign-domain", false]]);
  });

  it("never leaves a live value in the rendered table, even for rows with errors", () => {
    const { document, file } = check("| URL | https://evil-updates.com/a | x |");
    expect(document).toBeDefined();
    expect(file.messages.some((m) => m.ruleId === "ioc-live")).toBe(true);
    const html = toHtml(document!);
    expect(html).not.toMatch(/evil-updates\.com/);
    expect(html).toContain("hxxps://evil-updates[.]com/a");
  });
});

describe("front matter checks", () => {
  it("reports every bad field at its own line", () => {
    const value = esDocument()
      .replace("tlp: TLP:CLEAR\n", "")
      .replace("published: 2024-01-10", "published: 2024-02-30")
      .replace("severity: high", "severity: urgent\nsevrity: high");
    const file = new VFile({ path: "es.md", value });
    expect(parseDocument(file, { lang: "es" })).toBeUndefined();
    expect(messages(file).sort((a, b) => parseInt(a) - parseInt(b))).toMatchInlineSnapshot(`
      [
        "1:1 frontmatter-missing-field Unexpected missing \`tlp\`, expected a value",
        "6:12 frontmatter-invalid-field Unexpected \`published\` \`2024-02-30\`, expected a real calendar date",
        "9:11 frontmatter-invalid-field Unexpected \`severity\` \`urgent\`, expected one of \`low\`, \`medium\`, \`high\`, \`critical\`",
        "10:1 frontmatter-unknown-field Unexpected field \`sevrity\`, expected one of the known fields",
      ]
    `);
  });
});

describe("translation checks", () => {
  it("reports drift in indicators, numbers and dates", () => {
    const es = esDocument("| URL | hxxps://evil-updates[.]com/a | C2 |") + "\n";
    const en = esDocument("| URL | hxxps://evil-updates[.]com/b | C2 |")
      .replace("lang: es", "lang: en\ntranslation:\n  source: es\n  revision: 1")
      .replace("published: 2024-01-10\nmodified: 2024-01-10", "published: 2024-01-11\nmodified: 2024-01-11");
    const result = parseBulletin("x", { es: { path: "es.md", value: es }, en: { path: "en.md", value: en } });
    const en_ = result.files[1]!;
    expect(en_.messages.map((m) => m.ruleId)).toEqual(Array(4).fill("translation-drift"));
    expect(result.bulletin).toBeUndefined();
  });

  it("reads numbers per locale", () => {
    expect(numbersIn("4.385", "es")).toEqual([4385]);
    expect(numbersIn("4,385", "en")).toEqual([4385]);
    expect(numbersIn("1,5 %", "es")).toEqual([1.5]);
    expect(numbersIn("Brasil", "es")).toEqual([]);
  });
});

describe("remarkAtrcIndicators", () => {
  it("defangs live indicator cells and removes their links in any remark pipeline", async () => {
    const markdown =
      "## Indicators of compromise\n\n| Type | Indicator |\n| --- | --- |\n| URL | https://evil-updates.com/a |\n";
    const processor = unified().use(remarkParse).use(remarkGfm).use(remarkAtrcIndicators);
    const tree = await processor.run(processor.parse(markdown));
    const links: Link[] = [];
    visit(tree, "link", (node: Link) => void links.push(node));
    expect(links).toEqual([]);
    const codes: string[] = [];
    visit(tree, "inlineCode", (node: InlineCode) => void codes.push(node.value));
    expect(codes).toEqual(["hxxps://evil-updates[.]com/a"]);
  });
});

describe("rule documentation", () => {
  it("documents every rule under its own anchor in docs/rules.md", async () => {
    const { readFile } = await import("node:fs/promises");
    const docs = await readFile(new URL("../../../docs/rules.md", import.meta.url), "utf8");
    for (const rule of RULES) expect(docs).toContain(`\n## ${rule.id}\n`);
  });
});
