/**
 * The Markdown body, block by block: mdast in, drawing and structure elements out.
 * Everything the layout did not plan for (images, raw HTML, missing glyphs, scaled tables)
 * is still shown and reported as a warning.
 */
import type { BulletinDocument } from "@atrc/bulletin";
import type { TFunction } from "i18next";
import type {
  Blockquote,
  Code,
  Heading,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  RootContent,
  Table,
} from "mdast";
import type { FontKey } from "./fonts.js";
import {
  ensureGlyphs,
  wrap,
  wrapPre,
  type GlyphReport,
  type LinkTarget,
  type Run,
  type Style,
} from "./inline.js";
import { drawTable } from "./table.js";
import { COLOR, LEADING, SIZE } from "./theme.js";
import type { Align, InlineTarget, Outline, StructElement, Writer } from "./writer.js";

/** A horizontal slot of the text block. */
export interface Box {
  readonly x: number;
  readonly width: number;
}

/** How a block of text looks. */
export interface TextLook {
  readonly size: number;
  readonly color: string;
  readonly bold?: boolean | undefined;
  readonly italic?: boolean | undefined;
}

interface Flags {
  bold: boolean;
  italic: boolean;
  code: boolean;
  strike: boolean;
  link: LinkTarget | undefined;
}

interface BlockOptions {
  /** Inside a tight list: paragraphs get small gaps. */
  readonly tight?: boolean | undefined;
  readonly listDepth?: number | undefined;
}

const BULLETS = ["•", "–", "◦"];

/** Font for a combination of emphasis flags. */
export function fontFor(bold: boolean, italic: boolean, code: boolean): FontKey {
  if (code) return bold ? "monoBold" : "mono";
  if (bold) return italic ? "sansBoldItalic" : "sansBold";
  return italic ? "sansItalic" : "sans";
}

/** Renders the body of one document. */
export class BodyRenderer {
  private linkIds = 0;
  private heading = "";
  private inReferences = false;
  private readonly outlines: { depth: number; item: Outline }[] = [];
  private readonly glyphs: GlyphReport = { fallback: new Set(), missing: new Set() };
  private readonly glyphLines = new Set<number>();

  private readonly writer: Writer;
  private readonly document: BulletinDocument;
  private readonly t: TFunction;
  readonly warnings: string[];
  private readonly referencesHeading: RegExp;

  constructor(
    writer: Writer,
    document: BulletinDocument,
    t: TFunction,
    warnings: string[],
    referencesHeading: RegExp,
  ) {
    this.writer = writer;
    this.document = document;
    this.t = t;
    this.warnings = warnings;
    this.referencesHeading = referencesHeading;
  }

  /** Render every top-level block under `root`. */
  render(root: StructElement): void {
    const box = { x: this.writer.left, width: this.writer.width };
    for (const node of this.document.body.children) this.block(node, box, root, {});
    this.reportGlyphs();
  }

  /** Turn phrasing content into runs (also used for the title page). */
  runs(
    nodes: readonly PhrasingContent[],
    look: TextLook,
    options: { links?: boolean | undefined; line?: number | undefined } = {},
  ): Run[] {
    const out: Run[] = [];
    const flags: Flags = {
      bold: look.bold ?? false,
      italic: look.italic ?? false,
      code: false,
      strike: false,
      link: undefined,
    };
    this.collect(nodes, look, flags, options.links ?? true, out);
    return this.checkGlyphs(out, options.line);
  }

  /** Make runs drawable, remembering the line of any character the fonts lack. */
  checkGlyphs(runs: readonly Run[], line: number | undefined): Run[] {
    const before = this.glyphs.fallback.size + this.glyphs.missing.size;
    const result = ensureGlyphs(runs, this.glyphs);
    if (this.glyphs.fallback.size + this.glyphs.missing.size > before && line !== undefined)
      this.glyphLines.add(line);
    return result;
  }

  /** Plain text in one style as runs. */
  plain(text: string, look: TextLook, line?: number): Run[] {
    return this.checkGlyphs(
      [
        {
          text,
          style: this.style(look, {
            bold: look.bold ?? false,
            italic: look.italic ?? false,
            code: false,
            strike: false,
            link: undefined,
          }),
        },
      ],
      line,
    );
  }

  private style(look: TextLook, flags: Flags): Style {
    return {
      font: fontFor(flags.bold, flags.italic, flags.code),
      size: flags.code ? Math.round(look.size * SIZE.monoRatio * 100) / 100 : look.size,
      color: flags.link ? COLOR.link : flags.code ? COLOR.code : look.color,
      link: flags.link,
      strike: flags.strike || undefined,
    };
  }

  private collect(
    nodes: readonly PhrasingContent[],
    look: TextLook,
    flags: Flags,
    links: boolean,
    out: Run[],
  ): void {
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          out.push({ text: node.value.replace(/\r?\n/gu, " "), style: this.style(look, flags) });
          break;
        case "strong":
          this.collect(node.children, look, { ...flags, bold: true }, links, out);
          break;
        case "emphasis":
          this.collect(node.children, look, { ...flags, italic: !flags.italic }, links, out);
          break;
        case "delete":
          this.collect(node.children, look, { ...flags, strike: true }, links, out);
          break;
        case "inlineCode":
          // Indicators and code: mono, and never a link, whatever surrounds them.
          out.push({ text: node.value, style: this.style(look, { ...flags, code: true, link: undefined }) });
          break;
        case "break":
          out.push({ text: "\n", style: this.style(look, flags) });
          break;
        case "link": {
          const text = plainText(node);
          const autolink =
            text === node.url || `mailto:${text}` === node.url || `http://${text}` === node.url;
          // Only explicit Markdown links become annotations; a bare address in the text stays text
          // (References keep theirs: they are the sources, meant to be followed).
          const live = links && !flags.link && (!autolink || this.inReferences);
          const link = live ? { url: node.url, id: ++this.linkIds } : flags.link;
          this.collect(node.children, look, { ...flags, link }, links, out);
          if (live && !autolink && this.inReferences && link) {
            // Printed and archived copies cannot be clicked: show where each reference points.
            out.push({ text: "\n", style: this.style(look, flags) });
            out.push({
              text: node.url,
              style: {
                ...this.style({ ...look, size: look.size * 0.88 }, { ...flags, code: true, link }),
                color: COLOR.muted,
              },
            });
          }
          break;
        }
        case "linkReference":
          this.collect(node.children, look, flags, links, out);
          break;
        case "image":
        case "imageReference": {
          const alt = node.alt ?? "";
          const source = node.type === "image" ? node.url : node.identifier;
          this.warn(
            node,
            `image \`${source}\` is shown as its alt text, since the PDF does not embed images`,
          );
          out.push({
            text: `[${this.t("pdf:image.inline", { alt: alt || this.t("pdf:image.no_alt") })}]`,
            style: this.style({ ...look, color: COLOR.muted }, { ...flags, italic: true, link: undefined }),
          });
          break;
        }
        case "html":
          this.warn(node, `raw HTML \`${truncate(node.value, 40)}\` is shown as text`);
          out.push({
            text: node.value,
            style: this.style({ ...look, color: COLOR.muted }, { ...flags, code: true, link: undefined }),
          });
          break;
        case "footnoteReference":
          out.push({
            text: `[${node.label ?? node.identifier}]`,
            style: this.style({ ...look, size: look.size * 0.8 }, flags),
          });
          break;
        default:
          out.push({ text: plainText(node), style: this.style(look, flags) });
      }
    }
  }

  private block(node: RootContent, box: Box, parent: StructElement, options: BlockOptions): void {
    switch (node.type) {
      case "heading":
        this.headingBlock(node, box, parent);
        break;
      case "paragraph":
        this.paragraphBlock(node, box, parent, options);
        break;
      case "list":
        this.listBlock(node, box, parent, options.listDepth ?? 0);
        break;
      case "blockquote":
        this.quoteBlock(node, box, parent);
        break;
      case "table":
        this.tableBlock(node, box, parent);
        break;
      case "code":
        this.codeBlock(node, box, parent);
        break;
      case "thematicBreak":
        this.writer.ensure(16);
        this.rule(box, this.writer.y + 6, 0.6);
        this.writer.y += 16;
        break;
      case "html":
        this.warn(node, `raw HTML block \`${truncate(node.value, 40)}\` is shown as text`);
        this.text(
          this.plain(node.value, { size: SIZE.code, color: COLOR.muted }, line(node)),
          box,
          this.writer.struct("P", parent),
          "left",
          6,
        );
        break;
      case "footnoteDefinition": {
        const label = this.plain(`[${node.label ?? node.identifier}] `, {
          size: SIZE.small,
          color: COLOR.muted,
        });
        const element = this.writer.struct("Note", parent);
        node.children.forEach((child, index) => {
          if (child.type === "paragraph") {
            const runs = this.runs(
              child.children,
              { size: SIZE.small, color: COLOR.muted },
              { line: line(child) },
            );
            this.text(index === 0 ? [...label, ...runs] : runs, box, element, "left", 4);
          } else this.block(child, box, element, {});
        });
        element.end();
        break;
      }
      case "definition":
      case "yaml":
        break;
      case "break":
      case "delete":
      case "emphasis":
      case "footnoteReference":
      case "image":
      case "imageReference":
      case "inlineCode":
      case "link":
      case "linkReference":
      case "strong":
      case "text":
        // Phrasing content directly under the root (only from hand-built trees): a paragraph of it.
        this.paragraphBlock({ type: "paragraph", children: [node] }, box, parent, options);
        break;
      case "listItem":
      case "tableCell":
      case "tableRow":
      default: {
        // Anything else (math, containers from plugins): keep its text.
        const text = plainText(node);
        if (text.trim()) {
          this.warn(node, `\`${node.type}\` content is shown as plain text`);
          this.text(
            this.plain(text, { size: SIZE.body, color: COLOR.text }, line(node)),
            box,
            this.writer.struct("P", parent),
            "left",
            6,
          );
        }
      }
    }
  }

  /** Draw wrapped text at the cursor, breaking pages between lines. */
  text(
    runs: readonly Run[],
    box: Box,
    element: StructElement | undefined,
    align: Align,
    gapAfter: number,
    leading: number = LEADING.body,
  ): void {
    const target: InlineTarget = { element, links: new Map() };
    const size = runs[0]?.style.size ?? SIZE.body;
    const lines = wrap(runs, box.width, size);
    // Keep at least two lines of a paragraph together at a page foot.
    if (lines.length > 1) this.writer.ensure(this.writer.lineHeight(lines[0]!, leading) * 2);
    for (const line of lines) {
      this.writer.ensure(this.writer.lineHeight(line, leading));
      this.writer.drawLine(line, box.x, box.width, align, target, leading);
    }
    this.writer.closeContent();
    element?.end();
    this.gap(gapAfter);
  }

  private gap(height: number): void {
    if (this.writer.y > this.writer.top + 0.01) this.writer.y += height;
  }

  private headingBlock(node: Heading, box: Box, parent: StructElement): void {
    const size =
      node.depth <= 1 ? SIZE.h1 - 3 : node.depth === 2 ? SIZE.h2 : node.depth === 3 ? SIZE.h3 : SIZE.h4;
    const title = plainText(node).trim();
    this.heading = title;
    this.inReferences = this.referencesHeading.test(title);
    const runs = this.runs(node.children, { size, color: COLOR.heading, bold: true }, { line: line(node) });
    const lines = wrap(runs, box.width, size);
    const height = lines.reduce(
      (total, current) => total + this.writer.lineHeight(current, LEADING.heading),
      0,
    );
    this.gap(node.depth <= 2 ? 12 : 8);
    // Keep the heading with the start of its section.
    this.writer.ensure(height + 44);
    const id = (node.data as { hProperties?: { id?: unknown } } | undefined)?.hProperties?.id;
    if (typeof id === "string") this.writer.doc.addNamedDestination(id, "XYZ", 0, this.writer.y, null);
    this.addOutline(node.depth, title);
    const element = this.writer.struct(`H${Math.min(6, node.depth)}`, parent);
    const target: InlineTarget = { element, links: new Map() };
    for (const current of lines)
      this.writer.drawLine(current, box.x, box.width, "left", target, LEADING.heading);
    this.writer.closeContent();
    element.end();
    if (node.depth <= 2) {
      this.rule(box, this.writer.y + 2, 0.8);
      this.writer.y += 8;
    } else this.writer.y += 4;
  }

  private addOutline(depth: number, title: string): void {
    while (this.outlines.length > 0 && this.outlines.at(-1)!.depth >= depth) this.outlines.pop();
    const parent = this.outlines.at(-1)?.item ?? this.writer.doc.outline;
    const item = parent.addItem(title, { top: this.writer.y, left: this.writer.doc.page.width });
    this.outlines.push({ depth, item });
  }

  private paragraphBlock(node: Paragraph, box: Box, parent: StructElement, options: BlockOptions): void {
    const images: PhrasingContent[] = node.children.filter(
      (child) => child.type === "image" || child.type === "imageReference",
    );
    const onlyImages =
      images.length > 0 &&
      node.children.every(
        (child) => images.includes(child) || (child.type === "text" && !child.value.trim()),
      );
    if (onlyImages) {
      for (const image of images) this.imageBox(image, box, parent);
      return;
    }
    const runs = this.runs(node.children, { size: SIZE.body, color: COLOR.text }, { line: line(node) });
    this.text(runs, box, this.writer.struct("P", parent), "left", options.tight ? 3 : SIZE.body * 0.7);
  }

  private imageBox(node: PhrasingContent, box: Box, parent: StructElement): void {
    if (node.type !== "image" && node.type !== "imageReference") return;
    const alt = node.alt ?? "";
    const source = node.type === "image" ? node.url : node.identifier;
    this.warn(
      node,
      `image \`${source}\` is shown as a box with its alt text, since the PDF does not embed images`,
    );
    const look = { size: SIZE.small, color: COLOR.muted, italic: true };
    const runs = this.plain(
      this.t("pdf:image.placeholder", { alt: alt || this.t("pdf:image.no_alt") }),
      look,
      line(node),
    );
    const inner = { x: box.x + 10, width: box.width - 20 };
    const lines = wrap(runs, inner.width, look.size);
    const height = lines.reduce((total, current) => total + this.writer.lineHeight(current), 0) + 16;
    this.writer.ensure(Math.min(height, this.writer.bottom - this.writer.top));
    const top = this.writer.y;
    this.writer.artifact(() => {
      this.writer.doc.save().lineWidth(0.8).strokeColor(COLOR.rule);
      (this.writer.doc as unknown as { dash(length: number, options: object): void }).dash(3, { space: 2 });
      this.writer.doc
        .rect(box.x, top, box.width, Math.min(height, this.writer.bottom - top))
        .stroke()
        .restore();
    });
    this.writer.y += 8;
    this.text(runs, inner, this.writer.struct("Figure", parent, { alt: alt || source }), "left", 0);
    this.writer.y = Math.max(this.writer.y + 8, top + height) + 8;
  }

  private listBlock(node: List, box: Box, parent: StructElement, depth: number): void {
    const list = this.writer.struct("L", parent);
    const start = node.start ?? 1;
    const labels = node.children.map((item, index) =>
      item.checked === true
        ? "[x]"
        : item.checked === false
          ? "[ ]"
          : node.ordered
            ? `${start + index}.`
            : BULLETS[depth % BULLETS.length]!,
    );
    const look = { size: SIZE.body, color: COLOR.muted, bold: node.ordered === true };
    const labelWidth = Math.max(...labels.map((label) => this.measureLabel(label, look)));
    const indent = Math.max(14, labelWidth + 7);
    node.children.forEach((item: ListItem, index) => {
      const element = this.writer.struct("LI", list);
      const label = this.writer.struct("Lbl", element);
      const body = this.writer.struct("LBody", element);
      this.writer.pendingLabel = { runs: this.plain(labels[index]!, look), x: box.x, element: label };
      const inner = { x: box.x + indent, width: box.width - indent };
      for (const child of item.children)
        this.block(child, inner, body, { tight: !node.spread, listDepth: depth + 1 });
      if (this.writer.pendingLabel) {
        // An empty item: the label still gets its line.
        this.text([], inner, undefined, "left", 0);
      }
      this.writer.closeContent();
      label.end();
      body.end();
      element.end();
    });
    list.end();
    if (node.spread === false || depth > 0) this.gap(depth > 0 ? 0 : SIZE.body * 0.5);
  }

  private measureLabel(label: string, look: TextLook): number {
    const runs = this.plain(label, look);
    return wrap(runs, 1000, look.size)[0]?.width ?? 0;
  }

  private quoteBlock(node: Blockquote, box: Box, parent: StructElement): void {
    const element = this.writer.struct("BlockQuote", parent);
    const quote = { x: box.x + 1.5, start: this.writer.y };
    this.writer.quotes.push(quote);
    const inner = { x: box.x + 14, width: box.width - 14 };
    const last = node.children.at(-1);
    node.children.forEach((child) => {
      if (
        child === last &&
        child.type === "paragraph" &&
        node.children.length > 1 &&
        /^\s*(?:[—–―]|--)\s*\S/u.test(plainText(child))
      ) {
        // The attribution line of a quotation: right-aligned, italic.
        const runs = this.runs(
          child.children,
          { size: SIZE.small + 0.5, color: COLOR.muted, italic: true },
          { line: line(child) },
        );
        this.text(runs, inner, this.writer.struct("P", element), "right", 0);
      } else if (child.type === "paragraph") {
        const runs = this.runs(
          child.children,
          { size: SIZE.body, color: COLOR.quote },
          { line: line(child) },
        );
        this.text(
          runs,
          inner,
          this.writer.struct("P", element),
          "left",
          child === last ? 0 : SIZE.body * 0.5,
        );
      } else this.block(child, inner, element, {});
    });
    this.writer.quotes.pop();
    this.writer.decorateQuote(quote.x, quote.start, this.writer.y);
    element.end();
    this.gap(SIZE.body * 0.8);
  }

  private codeBlock(node: Code, box: Box, parent: StructElement): void {
    const style: Style = { font: "mono", size: SIZE.code, color: COLOR.code };
    const runs = this.checkGlyphs([{ text: node.value, style }], line(node));
    const [only] = runs;
    const lines =
      runs.length === 1 && only
        ? wrapPre(only.text, box.width - 12, only.style)
        : wrap(runs, box.width - 12, SIZE.code);
    const element = this.writer.struct("P", parent);
    const target: InlineTarget = { element, links: new Map() };
    this.writer.ensure(Math.min(lines.length, 3) * SIZE.code * LEADING.table + 8);
    this.writer.y += 3;
    for (const current of lines) {
      const height = this.writer.lineHeight(current, LEADING.table);
      this.writer.ensure(height);
      const top = this.writer.y;
      this.writer.artifact(() => {
        this.writer.doc.rect(box.x, top - 3, box.width, height + 6).fill(COLOR.codeBg);
      });
      this.writer.drawLine(current, box.x + 6, box.width - 12, "left", target, LEADING.table);
    }
    this.writer.closeContent();
    element.end();
    this.writer.y += 3;
    this.gap(SIZE.body * 0.7);
  }

  private tableBlock(node: Table, box: Box, parent: StructElement): void {
    const place = node.position?.start.line;
    const data = this.document.tables.find((table) => table.place.line === place);
    const isIoc = data?.isIndicatorTable ?? false;
    if (isIoc) {
      const count = this.t("ioc.count", { count: this.document.indicators.length });
      const note = this.plain(`${count}. ${this.t("ioc.defanged_note")}`, {
        size: SIZE.small,
        color: COLOR.muted,
        italic: true,
      });
      this.text(note, box, this.writer.struct("P", parent), "left", 4);
    }
    const heading = this.heading;
    const cells = (size: number) =>
      node.children.map((row, rowIndex) =>
        row.children.map((cell) =>
          this.runs(
            cell.children,
            rowIndex === 0 ? { size, color: "#ffffff", bold: true } : { size, color: COLOR.text },
            { links: !isIoc, line: line(cell) },
          ),
        ),
      );
    const align = (node.align ?? []).map((value): Align => value ?? "left");
    drawTable(
      this.writer,
      {
        cells,
        header: true,
        align,
        size: SIZE.table,
        floor: SIZE.tableFloor,
        zebra: true,
        continued: heading ? this.t("pdf:table.continued", { heading }) : undefined,
        where: `Line ${place ?? "?"}: the table${heading ? ` under “${truncate(heading, 60)}”` : ""}`,
        parent,
        x: box.x,
        width: box.width,
      },
      this.warnings,
    );
    this.gap(SIZE.body);
  }

  /** A horizontal rule across the box at `y` (a layout artifact, not content). */
  private rule(box: Box, y: number, width: number): void {
    this.writer.artifact(() => {
      this.writer.doc
        .save()
        .lineWidth(width)
        .strokeColor(COLOR.rule)
        .moveTo(box.x, y)
        .lineTo(box.x + box.width, y)
        .stroke()
        .restore();
    });
  }

  private warn(
    node: { position?: { start: { line: number; column: number } } | undefined },
    text: string,
  ): void {
    const start = node.position?.start;
    this.warnings.push(`${start ? `Line ${start.line}:${start.column}: ` : ""}${text}.`);
  }

  private reportGlyphs(): void {
    const lines = [...this.glyphLines].sort((a, b) => a - b);
    const where = lines.length > 0 ? `Line ${lines.join(", ")}: ` : "";
    if (this.glyphs.missing.size > 0) {
      const chars = [...this.glyphs.missing].map(describe).join(", ");
      this.warnings.push(
        `${where}characters ${chars} are not in the embedded fonts and are shown as their code points.`,
      );
    }
    if (this.glyphs.fallback.size > 0) {
      const chars = [...this.glyphs.fallback].map(describe).join(", ");
      this.warnings.push(
        `${where}characters ${chars} are not in the text font and are drawn with the mono font.`,
      );
    }
  }
}

function describe(char: string): string {
  return `“${char}” (U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")})`;
}

function line(node: { position?: { start: { line: number } } | undefined }): number | undefined {
  return node.position?.start.line;
}

/** Text of any node (mdast-util-to-string without the dependency). */
export function plainText(node: Nodes | PhrasingContent): string {
  if ("value" in node && typeof node.value === "string") return node.value;
  if ("alt" in node && typeof node.alt === "string") return node.alt;
  if ("children" in node) return (node.children as Nodes[]).map((child) => plainText(child)).join("");
  return "";
}

function truncate(text: string, length: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
}
