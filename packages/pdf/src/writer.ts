/**
 * The page writer: a cursor over pdfkit pages that draws wrapped lines, breaks pages, and keeps
 * the tagged-PDF bookkeeping (marked content per structure element, artifacts) in one place.
 */
import type { FontKey } from "./fonts.js";
import { measure, type Line, type LinkTarget, type Run } from "./inline.js";
import { drawText } from "./text.js";
import { LEADING, MARGIN, PAGE } from "./theme.js";

/** The part of pdfkit's document API this package uses (the bundled typings lag behind 0.20). */
export interface Doc {
  readonly page: { readonly width: number; readonly height: number };
  addPage(options?: object): Doc;
  switchToPage(index: number): Doc;
  bufferedPageRange(): { start: number; count: number };
  registerFont(name: string, font: unknown): Doc;
  font(name: FontKey): Doc;
  fontSize(size: number): Doc;
  fillColor(color: string, opacity?: number): Doc;
  strokeColor(color: string, opacity?: number): Doc;
  lineWidth(width: number): Doc;
  text(text: string, x: number, y: number, options?: object): Doc;
  rect(x: number, y: number, width: number, height: number): Doc;
  roundedRect(x: number, y: number, width: number, height: number, radius: number): Doc;
  circle(x: number, y: number, radius: number): Doc;
  moveTo(x: number, y: number): Doc;
  lineTo(x: number, y: number): Doc;
  bezierCurveTo(cp1x: number, cp1y: number, cp2x: number, cp2y: number, x: number, y: number): Doc;
  closePath(): Doc;
  fill(color?: string): Doc;
  stroke(color?: string): Doc;
  save(): Doc;
  restore(): Doc;
  link(x: number, y: number, width: number, height: number, url: string, options?: object): Doc;
  goTo(x: number, y: number, width: number, height: number, name: string, options?: object): Doc;
  addNamedDestination(name: string, ...args: unknown[]): void;
  markContent(tag: string, options?: object): Doc;
  endMarkedContent(): Doc;
  markStructureContent(tag: string, options?: object): unknown;
  struct(type: string, options?: object): StructElement;
  addStructure(element: StructElement): Doc;
  readonly outline: Outline;
  file(data: Uint8Array, options: object): unknown;
  on(event: "data", listener: (chunk: Uint8Array) => void): Doc;
  on(event: "end", listener: () => void): Doc;
  on(event: "error", listener: (error: Error) => void): Doc;
  end(): void;
}

/** A tagged-PDF structure element (pdfkit `PDFStructureElement`). */
export interface StructElement {
  add(child: unknown): StructElement;
  end(): void;
}

/** A PDF outline (bookmark) item. */
export interface Outline {
  addItem(title: string, options?: { top?: number; left?: number; expanded?: boolean }): Outline;
}

/** Text alignment inside a box. */
export type Align = "left" | "center" | "right";

/** A label drawn in the margin of the next line (list bullets and numbers). */
export interface PendingLabel {
  readonly runs: readonly Run[];
  readonly x: number;
  readonly element: StructElement | undefined;
}

/** Where drawn text belongs in the structure tree. */
export interface InlineTarget {
  /** The block element (`P`, `H2`, `TD`, …); undefined draws an artifact. */
  readonly element: StructElement | undefined;
  /** `Link` elements of this block, by link id. */
  readonly links: Map<number, StructElement>;
}

/** A deferred decoration (block-quote rules), drawn with the running header in the final pass. */
type Decoration = (doc: Doc) => void;

/** A cursor over the document's pages. */
export class Writer {
  y: number = MARGIN.top;
  readonly left = MARGIN.left;
  readonly right = PAGE.width - MARGIN.right;
  readonly top = MARGIN.top;
  readonly bottom = PAGE.height - MARGIN.bottom;
  /** 0-based index of the current page. */
  pageIndex = -1;
  /** Block quotes being drawn: their rule runs from `start` down to the cursor. */
  readonly quotes: { x: number; start: number }[] = [];
  readonly decorations: Decoration[][] = [];
  pendingLabel: PendingLabel | undefined;
  /** Called after every page break the writer makes (tables repeat their header here). */
  onPageBreak: (() => void) | undefined;
  private open: StructElement | undefined;
  private readonly types = new WeakMap<StructElement, string>();

  readonly doc: Doc;

  constructor(doc: Doc) {
    this.doc = doc;
  }

  /** Width of the text block. */
  get width(): number {
    return this.right - this.left;
  }

  /** Start a page; the first page is started by the renderer with its own top. */
  newPage(): void {
    this.closeContent();
    for (const quote of this.quotes) {
      this.decorateQuote(quote.x, quote.start, this.y);
      quote.start = this.top;
    }
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margins: MARGIN });
    this.pageIndex++;
    this.decorations.push([]);
    this.y = this.top;
    this.onPageBreak?.();
  }

  /**
   * Break the page unless `height` more points fit below the cursor.
   *
   * @returns Whether a page break happened.
   */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom + 0.01 || this.y <= this.top + 0.01) return false;
    this.newPage();
    return true;
  }

  /** Create a structure element under `parent` (or the document root when `parent` is the root). */
  struct(type: string, parent: StructElement, options: object = {}): StructElement {
    const element = this.doc.struct(type, options);
    this.types.set(element, type);
    parent.add(element);
    return element;
  }

  /** Route the drawing that follows into `element`'s marked content. */
  content(element: StructElement): void {
    if (this.open === element) return;
    this.closeContent();
    const type = this.types.get(element) ?? "Span";
    element.add(this.doc.markStructureContent(type));
    this.open = element;
  }

  /** Close the open marked content, if any. */
  closeContent(): void {
    if (this.open) {
      this.doc.endMarkedContent();
      this.open = undefined;
    }
  }

  /** Draw something that is not content (backgrounds, rules) as an artifact. */
  artifact(draw: () => void, type: "Layout" | "Pagination" = "Layout"): void {
    this.closeContent();
    this.doc.markContent("Artifact", { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** Remember a block-quote rule segment, drawn in the final pass. */
  decorateQuote(x: number, from: number, to: number): void {
    if (to - from < 0.5) return;
    this.decorations[this.pageIndex]?.push((doc) => {
      doc.save().lineWidth(2.2).strokeColor("#9fb3c8").moveTo(x, from).lineTo(x, to).stroke().restore();
    });
  }

  /** Height of a line. */
  lineHeight(line: Line, leading: number = LEADING.body): number {
    return line.size * leading;
  }

  /**
   * Draw one wrapped line at the cursor and move down.
   *
   * @param line The line.
   * @param x Left edge of the box.
   * @param width Width of the box.
   * @param align Alignment in the box.
   * @param target Where the text goes in the structure tree.
   * @param leading Line height factor.
   */
  drawLine(
    line: Line,
    x: number,
    width: number,
    align: Align,
    target: InlineTarget,
    leading: number = LEADING.body,
  ): void {
    const height = this.lineHeight(line, leading);
    this.drawLineAt(line, x, this.y, width, align, target, height);
    this.y += height;
  }

  /** Draw one line with its top at `top`, without moving the cursor. */
  drawLineAt(
    line: Line,
    x: number,
    top: number,
    width: number,
    align: Align,
    target: InlineTarget,
    height: number,
  ): void {
    const baseline = top + height / 2 + line.size * 0.34;
    const label = this.pendingLabel;
    if (label) {
      this.pendingLabel = undefined;
      let labelX = label.x;
      for (const run of label.runs) {
        if (label.element) this.content(label.element);
        else this.closeContent();
        this.doc.font(run.style.font).fontSize(run.style.size).fillColor(run.style.color);
        drawText(this.doc, run.text, labelX, baseline);
        labelX += measure(run.text, run.style);
      }
    }
    let cursor =
      align === "right" ? x + width - line.width : align === "center" ? x + (width - line.width) / 2 : x;
    for (const segment of line.segments) {
      const { style } = segment;
      const linkElement = style.link ? this.linkElement(style.link, target) : undefined;
      const element = linkElement ?? target.element;
      if (element) this.content(element);
      else if (this.open) this.closeContent();
      this.doc.font(style.font).fontSize(style.size).fillColor(style.color);
      drawText(this.doc, segment.text, cursor, baseline);
      if (style.strike) {
        this.doc.save().lineWidth(0.6).strokeColor(style.color);
        this.doc
          .moveTo(cursor, baseline - style.size * 0.28)
          .lineTo(cursor + segment.width, baseline - style.size * 0.28)
          .stroke();
        this.doc.restore();
      }
      if (style.link) {
        const text = segment.text.trim();
        if (text) {
          const box = [cursor, baseline - style.size * 0.82, segment.width, style.size * 1.08] as const;
          const options = { structParent: linkElement, Contents: new String(style.link.url) };
          if (style.link.url.startsWith("#")) this.doc.goTo(...box, style.link.url.slice(1), options);
          else this.doc.link(...box, style.link.url, options);
        }
      }
      cursor += segment.width;
    }
  }

  private linkElement(link: LinkTarget, target: InlineTarget): StructElement | undefined {
    if (!target.element) return undefined;
    let element = target.links.get(link.id);
    if (!element) {
      element = this.struct("Link", target.element);
      target.links.set(link.id, element);
    }
    return element;
  }
}
