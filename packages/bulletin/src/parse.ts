import { classify, defang, extract, hostOf, isBenignHost, refang, validate, type IocType } from "@atrc/ioc";
import GithubSlugger from "github-slugger";
import type { Heading, Link, Nodes, Root, Table, Text } from "mdast";
import { toString } from "mdast-util-to-string";
import { markdownToMdast } from "satteri";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { report } from "./diagnostics.js";
import { parseFrontmatter } from "./frontmatter.js";
import {
  defangCell,
  IOC_HEADING,
  iocColumns,
  parseTypeCell,
  REFERENCES_HEADING,
  tableText,
  TYPE_LABELS,
  unlink,
} from "./mdast-util-ioc-table.js";
import type { BulletinDocument, DataTable, Indicator, Lang, Reference, Section } from "./model.js";

/**
 * Markdown to mdast. Sätteri (Astro's Rust Markdown parser) gives the same tree, positions included, as
 * `remark-parse` + `remark-gfm` + `remark-frontmatter` (checked by a differential test over the content, the
 * fixtures and generated bulletins) at about 30 times the speed, which is what lets a 1,000-bulletin archive
 * be checked on every build.
 */
export function parseMarkdown(source: string): Root {
  return markdownToMdast(source, { features: { gfm: true, frontmatter: true } }) as Root;
}

/** Types whose values are addresses a person could visit or mail: these must never be live. */
const LINKABLE: ReadonlySet<IocType> = new Set(["url", "domain", "ipv4", "ipv6", "email"]);

/**
 * Parse one Markdown file of a bulletin into its document model, reporting every problem on the file.
 *
 * @param file The file (its `path` is used in diagnostics; its `value` is the Markdown).
 * @param options `lang`: the language the file name implies (default: taken from the front matter).
 * @returns The document, or `undefined` when the front matter is unusable (the problems are on `file`).
 * @example
 * const document = parseDocument(new VFile({ path: "content/bulletins/2023-03-3cx/es.md", value }))
 */
export function parseDocument(
  file: VFile,
  options: { lang?: Lang | undefined } = {},
): BulletinDocument | undefined {
  const source = String(file.value);
  const tree = parseMarkdown(source);
  const lineStarts = [0];
  for (let index = source.indexOf("\n"); index !== -1; index = source.indexOf("\n", index + 1)) {
    lineStarts.push(index + 1);
  }
  const placeAt = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low]! + 1 };
  };

  const first = tree.children[0];
  const yaml = first?.type === "yaml" ? first : undefined;
  const meta = parseFrontmatter(
    file,
    yaml ? { value: yaml.value, line: yaml.position?.start.line ?? 1 } : undefined,
    options.lang,
  );
  if (yaml) tree.children.shift();

  // Headings: ids from one slugger, so the model, the HTML and the PDF outline agree.
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  for (const node of tree.children) {
    if (node.type !== "heading") continue;
    const title = toString(node).trim();
    const id = slugger.slug(title);
    node.data = { ...node.data, hProperties: { ...node.data?.hProperties, id } };
    if (node.depth >= 2) sections.push({ depth: node.depth, title, id });
  }

  // Walk top-level blocks, tracking which section each belongs to.
  const tables: DataTable[] = [];
  const indicators: Indicator[] = [];
  const references: Reference[] = [];
  const iocTables: Table[] = [];
  const referenceBlocks: Nodes[] = [];
  let heading: Heading | undefined;
  let iocDepth = 0;
  let refDepth = 0;
  let sawIocSection = false;
  for (const node of tree.children) {
    if (node.type === "heading") {
      const title = toString(node).trim();
      if (iocDepth && node.depth <= iocDepth) iocDepth = 0;
      if (refDepth && node.depth <= refDepth) refDepth = 0;
      if (IOC_HEADING.test(title)) {
        iocDepth = node.depth;
        sawIocSection = true;
      } else if (REFERENCES_HEADING.test(title)) {
        refDepth = node.depth;
      }
      heading = node;
      continue;
    }
    if (refDepth) referenceBlocks.push(node);
    if (node.type === "table") {
      const [header = [], ...rows] = tableText(node);
      const isIndicatorTable = iocDepth > 0;
      if (isIndicatorTable) iocTables.push(node);
      const headingId = heading?.data?.hProperties?.id;
      tables.push({
        heading: heading ? toString(heading).trim() : "",
        headingId: typeof headingId === "string" ? headingId : undefined,
        header,
        rows,
        isIndicatorTable,
        place: pointOf(node),
      });
    }
  }

  if (!sawIocSection) {
    report(
      file,
      "ioc-section-missing",
      "Unexpected bulletin without indicators, expected an `Indicadores de compromiso` section",
      {
        note: "add `## Indicadores de compromiso` (es) or `## Indicators of compromise` (en) with a table of indicators",
      },
    );
  } else if (iocTables.length === 0) {
    report(
      file,
      "ioc-table-missing",
      "Unexpected indicators section without a table, expected a GFM table of indicators",
      {
        note: "write the indicators as a table with the columns `Tipo | Indicador | Descripción`",
      },
    );
  }

  // Indicator tables: validate every row, then rewrite the cells for people.
  const seen = new Map<string, Indicator>();
  for (const table of iocTables) {
    const [headerRow, ...rows] = table.children;
    const columns = iocColumns(headerRow?.children.map((cell) => toString(cell)) ?? []);
    if (columns.value === undefined) {
      report(
        file,
        "ioc-table-missing",
        "Unexpected indicator table without an indicator column, expected a `Indicador` or `Indicator` header",
        {
          place: pointOf(table),
          note: "name the columns `Tipo | Indicador | Descripción` (es) or `Type | Indicator | Description` (en)",
        },
      );
      continue;
    }
    for (const row of rows) {
      const cells = row.children;
      const valueCell = cells[columns.value];
      let written = valueCell ? cellSource(source, valueCell) : "";
      let typeText =
        columns.type === undefined ? "" : toString(cells[columns.type] ?? { type: "text", value: "" }).trim();
      let declared = parseTypeCell(typeText);
      // As in many vendor reports, a value may sit in the type column with the value cell empty.
      if (
        written === "" &&
        declared === undefined &&
        classify(typeText) !== null &&
        columns.type !== undefined
      ) {
        written = cellSource(source, cells[columns.type]!);
        typeText = "";
        declared = null;
      }
      if (written === "") continue;
      const place = pointOf(valueCell ?? row);
      const description =
        columns.description === undefined
          ? ""
          : toString(cells[columns.description] ?? { type: "text", value: "" }).trim();
      const detected = classify(written);
      if (declared === undefined) {
        report(
          file,
          "ioc-type-unknown",
          `Unexpected type \`${typeText}\`, expected one of ${Object.values(TYPE_LABELS)
            .map((label) => `\`${label}\``)
            .join(", ")}`,
          {
            place: pointOf(cells[columns.type!] ?? row),
            note: detected
              ? `the value looks like a ${TYPE_LABELS[detected]}: write \`${TYPE_LABELS[detected]}\``
              : "leave the type cell empty to let the checker infer it",
          },
        );
        if (valueCell) defangCell(valueCell);
        continue;
      }
      let type: IocType | undefined;
      if (declared === null) {
        type = detected ?? undefined;
        if (type === undefined) {
          report(
            file,
            "ioc-invalid",
            `Unexpected indicator \`${defangForMessage(written)}\`, expected a URL, domain, IP address, e-mail address or hash`,
            {
              place,
              note: "check the value against the source report; write URLs and hosts defanged, e.g. `hxxps://example[.]com/path`",
            },
          );
          if (valueCell) defangCell(valueCell);
          continue;
        }
      } else if (declared === "ip") {
        type = detected === "ipv6" ? "ipv6" : "ipv4";
      } else {
        type = declared;
      }
      if (declared !== null && detected !== null && detected !== type) {
        report(
          file,
          "ioc-type-mismatch",
          `Unexpected type \`${typeText}\` for \`${defangForMessage(written)}\`, expected \`${TYPE_LABELS[detected]}\``,
          {
            place: pointOf(cells[columns.type!] ?? row),
            note: `the value is a ${TYPE_LABELS[detected]}; fix the type cell, or the value if it was cut or mistyped`,
            actual: typeText,
            expected: [TYPE_LABELS[detected]],
          },
        );
        if (valueCell) defangCell(valueCell);
        continue;
      }
      const result = validate(type, written);
      if (!result.ok) {
        report(
          file,
          "ioc-invalid",
          `Invalid ${TYPE_LABELS[type]} \`${defangForMessage(written)}\`: ${lowerFirst(result.reason)}`,
          {
            place,
            note: invalidHint(type),
          },
        );
        if (valueCell) defangCell(valueCell);
        continue;
      }
      const value = result.value;
      const key = `${type}:${value}`;
      if (LINKABLE.has(type) && refang(written) === written) {
        report(
          file,
          "ioc-live",
          `Unexpected live ${TYPE_LABELS[type]} \`${defang(value)}\`, expected it defanged`,
          {
            place,
            note: `write it as \`${defang(value)}\`; sources hold defanged values only, the exports refang them`,
          },
        );
      }
      const earlier = seen.get(key);
      if (earlier) {
        report(
          file,
          "ioc-duplicate",
          `Unexpected duplicate ${TYPE_LABELS[type]} \`${defang(value)}\`, first listed at line ${earlier.place.line}`,
          {
            place,
            note: "remove one of the two rows (values are compared after refanging and normalising)",
          },
        );
        if (valueCell) defangCell(valueCell, defang(value));
        continue;
      }
      const host = hostOf(type, value);
      const benignHost = host !== null && isBenignHost(host);
      if (type === "domain" && benignHost) {
        report(
          file,
          "ioc-benign-domain",
          `Unexpected well-known legitimate host \`${defang(value)}\` as a domain indicator, expected a full URL or address on it`,
          {
            place,
            note: "blocking this domain would break legitimate services; publish the exact URL (path included) or e-mail address instead",
          },
        );
      }
      const indicator: Indicator = {
        type,
        value,
        defanged: defang(value),
        key,
        description,
        benignHost,
        place,
      };
      seen.set(key, indicator);
      indicators.push(indicator);
      if (valueCell) defangCell(valueCell, indicator.defanged);
    }
    for (const row of rows) for (const cell of row.children) unlink(cell);
  }

  // References: every link in the References section, in order.
  for (const block of referenceBlocks) {
    visit(block, "listItem", (item) => {
      const links: Link[] = [];
      visit(item, "link", (link: Link) => {
        links.push(link);
      });
      for (const link of links) {
        let url: URL | undefined;
        try {
          url = new URL(link.url);
        } catch {
          url = undefined;
        }
        if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
          report(
            file,
            "reference-invalid",
            `Unexpected reference link \`${link.url}\`, expected an http(s) URL`,
            {
              place: pointOf(link),
              note: "write each reference as `[Title](https://…)`",
            },
          );
          continue;
        }
        let title = toString(link).trim();
        if (title === link.url || title === "")
          title =
            toString(item)
              .replace(link.url, "")
              .replace(/[\s:–—-]+$/u, "")
              .trim() || link.url;
        references.push({ title, url: link.url, place: pointOf(link) });
      }
      return "skip";
    });
  }

  // Live indicators and stray links in the prose (everything but the IOC tables and References).
  const iocKeys = new Set(indicators.map((indicator) => indicator.key));
  const iocHosts = new Set(
    indicators.map((indicator) => hostOf(indicator.type, indicator.value)).filter((host) => host !== null),
  );
  const referenceSet = new Set<Nodes>(referenceBlocks);
  for (const node of tree.children) {
    if (referenceSet.has(node) || (node.type === "table" && iocTables.includes(node))) continue;
    visit(node, (child) => {
      if (child.type === "link") {
        const host = safeHost(child.url);
        if (host !== undefined && iocHosts.has(host)) {
          report(
            file,
            "ioc-live",
            `Unexpected link to indicator host \`${defang(host)}\`, expected no link to an indicator`,
            {
              place: pointOf(child),
              note: "write the indicator defanged as plain text, without a link",
            },
          );
        } else if (host !== undefined && !child.url.startsWith("#")) {
          report(
            file,
            "link-outside-references",
            `Unexpected link to \`${host}\` outside References, expected sources in the References section`,
            {
              place: pointOf(child),
              note: "move the link to `## Referencias` and mention the source by name in the text",
            },
          );
        }
        return;
      }
      if (child.type !== "text" && child.type !== "inlineCode" && child.type !== "code") return;
      const text = (child as Text).value;
      const base = child.position?.start.offset;
      for (const found of extract(text)) {
        if (!found.fanged || !LINKABLE.has(found.type)) continue;
        const key = `${found.type}:${found.value}`;
        const host = hostOf(found.type, found.value);
        const mustBeDefanged =
          iocKeys.has(key) ||
          (host !== null && iocHosts.has(host)) ||
          (found.type !== "domain" && !(host !== null && isBenignHost(host)));
        if (!mustBeDefanged) continue;
        const offset = base === undefined ? undefined : base + (child.type === "text" ? found.start : 0);
        report(
          file,
          "ioc-live",
          `Unexpected live ${TYPE_LABELS[found.type]} \`${found.defanged}\` in the text, expected it defanged`,
          {
            place: offset === undefined ? pointOf(child) : placeAt(offset),
            note: `write \`${found.defanged}\`: nothing a reader could click or copy into a browser may be live`,
          },
        );
      }
    });
  }

  for (const table of iocTables) {
    for (const row of table.children) for (const cell of row.children) unlink(cell);
  }

  if (meta === undefined) return undefined;
  return { path: file.path, meta, body: tree, sections, tables, indicators, references };
}

interface Positioned {
  position?: { start: { line: number; column: number } } | undefined;
  children?: readonly Positioned[];
}

/** Where a node's content starts: table cells start at their pipe, so point at their first child. */
function pointOf(node: Positioned) {
  const target = node.children?.[0]?.position ? node.children[0] : node;
  return target.position
    ? { line: target.position.start.line, column: target.position.start.column }
    : { line: 1, column: 1 };
}

/** The cell as the analyst wrote it (escapes and notation kept), without surrounding backticks. */
function cellSource(
  source: string,
  cell: {
    position?: { start: { offset?: number | undefined }; end: { offset?: number | undefined } } | undefined;
  },
): string {
  const start = cell.position?.start.offset;
  const end = cell.position?.end.offset;
  if (start === undefined || end === undefined) return "";
  let text = source.slice(start, end).trim();
  if (text.startsWith("|")) text = text.slice(1);
  if (text.endsWith("|") && !text.endsWith("\\|")) text = text.slice(0, -1);
  text = text.trim();
  // Inline code: strip the backtick fence (same length on both sides).
  const fence = /^`+/u.exec(text)?.[0];
  if (fence && text.length > 2 * fence.length && text.endsWith(fence)) {
    return text.slice(fence.length, -fence.length).trim();
  }
  return text;
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

/** Reasons from @atrc/ioc are sentences; after a colon they continue ours. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Messages quote values; never quote one live. */
function defangForMessage(text: string): string {
  return defang(refang(text));
}

function invalidHint(type: IocType): string {
  switch (type) {
    case "md5":
      return "copy the full hash from the source report (MD5 = 32 characters 0-9a-f)";
    case "sha1":
      return "copy the full hash from the source report (SHA-1 = 40 characters 0-9a-f)";
    case "sha256":
      return "copy the full hash from the source report (SHA-256 = 64 characters 0-9a-f)";
    case "sha512":
      return "copy the full hash from the source report (SHA-512 = 128 characters 0-9a-f)";
    case "url":
      return "write the URL defanged with its scheme, e.g. `hxxps://example[.]com/path`";
    case "domain":
      return "write the host defanged, e.g. `example[.]com`; it must end in a real top-level domain";
    case "ipv4":
      return "write four numbers 0-255 without leading zeros, defanged, e.g. `203[.]0[.]113[.]7`";
    case "ipv6":
      return "write the address defanged, e.g. `2001[:]db8[:][:]1`";
    case "email":
      return "write the address defanged, e.g. `name[@]example[.]com`";
    case "cve":
      return "write the id as `CVE-YYYY-NNNN`";
  }
}
