import { defang, refang, type IocType } from "@atrc/ioc";
import type { InlineCode, Parent, PhrasingContent, Root, RootContent, Table, TableCell, Text } from "mdast";
import { toString } from "mdast-util-to-string";

/** Spanish and English headings that open the indicators section. */
export const IOC_HEADING = /^(?:indicadores\s+de\s+compromiso|indicators\s+of\s+compromise|iocs?)\b/iu;

/** Spanish and English headings that open the references section. */
export const REFERENCES_HEADING = /^(?:referencias|references|fuentes|sources)\b/iu;

/** Column roles of an IOC table, found from its header row. */
export interface IocColumns {
  readonly type: number | undefined;
  readonly value: number | undefined;
  readonly description: number | undefined;
}

const TYPE_HEADERS = new Set(["tipo", "type", "tipo de indicador", "indicator type"]);
const VALUE_HEADERS = new Set(["indicador", "indicator", "valor", "value", "ioc", "indicador de compromiso"]);
const DESCRIPTION_HEADERS = new Set([
  "descripción",
  "descripcion",
  "description",
  "nota",
  "note",
  "comentario",
  "comment",
  "contexto",
  "context",
]);

/**
 * Find the type, value and description columns of an IOC table from its header row.
 *
 * @param header Header cell texts.
 * @returns Column indexes (undefined where absent).
 * @example
 * iocColumns(["Tipo", "Indicador", "Descripción"]) // { type: 0, value: 1, description: 2 }
 */
export function iocColumns(header: readonly string[]): IocColumns {
  const find = (names: Set<string>) => {
    const index = header.findIndex((cell) => names.has(cell.trim().toLowerCase()));
    return index === -1 ? undefined : index;
  };
  return { type: find(TYPE_HEADERS), value: find(VALUE_HEADERS), description: find(DESCRIPTION_HEADERS) };
}

const TYPE_NAMES: Readonly<Record<string, IocType>> = {
  url: "url",
  uri: "url",
  enlace: "url",
  link: "url",
  domain: "domain",
  dominio: "domain",
  hostname: "domain",
  host: "domain",
  fqdn: "domain",
  ipv4: "ipv4",
  "ip v4": "ipv4",
  ipv6: "ipv6",
  "ip v6": "ipv6",
  email: "email",
  "e-mail": "email",
  correo: "email",
  "correo electrónico": "email",
  "correo electronico": "email",
  md5: "md5",
  sha1: "sha1",
  "sha-1": "sha1",
  sha256: "sha256",
  "sha-256": "sha256",
  sha512: "sha512",
  "sha-512": "sha512",
  cve: "cve",
};

/**
 * Read the type cell of an IOC table. `IP` means either IPv4 or IPv6 and is settled by the value.
 *
 * @param cell Text of the type cell.
 * @returns The type, `"ip"` for a bare `IP`, `null` for an empty cell, or `undefined` when unknown.
 * @example
 * parseTypeCell("SHA-1") // "sha1"
 */
export function parseTypeCell(cell: string): IocType | "ip" | null | undefined {
  const name = cell.trim().toLowerCase();
  if (name === "") return null;
  if (name === "ip" || name === "dirección ip" || name === "ip address") return "ip";
  return TYPE_NAMES[name];
}

/** Display label of a type, as analysts and readers know it (not translated: these are standard names). */
export const TYPE_LABELS: Readonly<Record<IocType, string>> = {
  url: "URL",
  domain: "Domain",
  ipv4: "IPv4",
  ipv6: "IPv6",
  email: "Email",
  md5: "MD5",
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha512: "SHA-512",
  cve: "CVE",
};

/**
 * The cells of a table as plain text, header first.
 *
 * @param table A GFM table node.
 * @returns One array of cell texts per row.
 * @example
 * tableText(table)[0] // ["Tipo", "Indicador", "Descripción"]
 */
export function tableText(table: Table): string[][] {
  return table.children.map((row) => row.children.map((cell) => toString(cell).trim()));
}

/**
 * Make every indicator cell safe for people: the value becomes defanged inline code and never a link.
 * Mutates `cell`. Values the checker could not validate are still refanged then defanged, so nothing live survives.
 *
 * @param cell The value cell.
 * @param defanged The house-style defanged value, when known.
 * @example
 * defangCell(cell, "hxxps://evil[.]com/x")
 */
export function defangCell(cell: TableCell, defanged?: string): void {
  const value = defanged ?? defang(refang(toString(cell).trim()));
  const code: InlineCode = { type: "inlineCode", value };
  if (cell.position) code.position = cell.position;
  cell.children = [code];
}

/**
 * The remark transform behind {@link remarkAtrcIndicators}: in every table under an indicators heading,
 * value cells become defanged inline code, and links anywhere in those tables are unwrapped.
 *
 * @param tree An mdast tree.
 * @example
 * defangIndicatorTables(tree)
 */
export function defangIndicatorTables(tree: Root): void {
  let inIocSection = false;
  let sectionDepth = 0;
  for (const node of tree.children) {
    if (node.type === "heading") {
      if (inIocSection && node.depth <= sectionDepth) inIocSection = false;
      if (IOC_HEADING.test(toString(node).trim())) {
        inIocSection = true;
        sectionDepth = node.depth;
      }
      continue;
    }
    if (!inIocSection || node.type !== "table") continue;
    const [header, ...rows] = node.children;
    if (!header) continue;
    const columns = iocColumns(header.children.map((cell) => toString(cell)));
    for (const row of rows) {
      row.children.forEach((cell, index) => {
        if (index === columns.value) defangCell(cell);
        else unlink(cell);
      });
    }
  }
}

/**
 * Replace every link (and autolink) under `node` with its text, defanged where it holds an indicator.
 *
 * @param node Any mdast parent.
 * @example
 * unlink(cell)
 */
export function unlink(node: Parent): void {
  // A plain walk (every cell of every indicator table goes through here: `unist-util-visit`'s set-up per call cost
  // more than the walk). Links do not nest, so a link's own children need no visit.
  const children = node.children as (RootContent | PhrasingContent)[];
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!;
    if (child.type === "link") {
      const text: Text = { type: "text", value: defang(refang(toString(child))) };
      children[index] = text;
    } else if ("children" in child) unlink(child);
  }
}

/**
 * remark plugin: render the IOC table safely (defanged inline code, never links) wherever the
 * Markdown is rendered, for example in Astro's `unified()` processor.
 *
 * @returns The transformer.
 * @example
 * unified().use(remarkParse).use(remarkGfm).use(remarkAtrcIndicators)
 */
export function remarkAtrcIndicators() {
  return (tree: Root): void => {
    defangIndicatorTables(tree);
  };
}
