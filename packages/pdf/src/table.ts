/**
 * Tables that always fit: column widths from content (min/max, as browsers do), long words broken,
 * text scaled down to a floor when there are too many columns, the header row repeated on every
 * page, and rows taller than a page split between pages. Nothing is ever clipped.
 */
import { contentWidths, wrap, type Line, type Run } from "./inline.js";
import { drawText } from "./text.js";
import { COLOR, LEADING } from "./theme.js";
import type { Align, InlineTarget, StructElement, Writer } from "./writer.js";

/** What to draw. */
export interface TableSpec {
  /** The cells at a given font size: `rows[row][column]`. Built again when the table is scaled. */
  readonly cells: (size: number) => Run[][][];
  /** The first row is a header, repeated after page breaks. */
  readonly header: boolean;
  /** The first column holds row headers (key/value tables). */
  readonly rowHeaders?: boolean | undefined;
  readonly align: readonly Align[];
  readonly size: number;
  readonly floor: number;
  readonly zebra: boolean;
  /** Fixed column fractions instead of measured widths. */
  readonly fractions?: readonly number[] | undefined;
  /** Caption drawn in small type above a repeated header (`Indicators (continued)`). */
  readonly continued?: string | undefined;
  /** Sentence start for warnings: `Line 12: the table under "Indicators"`. */
  readonly where: string;
  readonly parent: StructElement;
  readonly x: number;
  readonly width: number;
}

const PAD_X = 5;
const PAD_Y = 3.4;

interface Layout {
  size: number;
  widths: number[];
  lines: Line[][][];
}

/**
 * Lay out and draw a table at the writer's cursor.
 *
 * @param writer The page writer.
 * @param spec The table.
 * @param warnings Receives a sentence when the text had to be scaled down.
 */
export function drawTable(writer: Writer, spec: TableSpec, warnings: string[]): void {
  const layout = layoutTable(spec, warnings);
  const columns = layout.widths.length;
  const heights = layout.lines.map((row) => row.map((cell) => cell.map((line) => line.size * LEADING.table)));
  const [headerLines, ...bodyRows] = spec.header ? layout.lines : [undefined, ...layout.lines];
  const [headerHeights, ...bodyHeights] = spec.header ? heights : [undefined, ...heights];
  const headerHeight = headerHeights ? Math.max(...headerHeights.map(sum)) + 2 * PAD_Y : 0;
  const tableElement = writer.struct("Table", spec.parent);
  const x0 = spec.x;
  const totalWidth = layout.widths.reduce((a, b) => a + b, 0);
  const columnX = layout.widths.map(
    (_, index) => x0 + layout.widths.slice(0, index).reduce((a, b) => a + b, 0),
  );

  const drawHeader = (repeat: boolean) => {
    if (!headerLines || !headerHeights) return;
    const top = writer.y;
    writer.artifact(() => {
      writer.doc.rect(x0, top, totalWidth, headerHeight).fill(COLOR.tableHead);
    });
    const draw = (targets: (InlineTarget | undefined)[]) => {
      headerLines.forEach((cell, column) => {
        let y = top + PAD_Y;
        cell.forEach((line, index) => {
          const height = headerHeights[column]![index]!;
          const target = targets[column] ?? { element: undefined, links: new Map() };
          writer.drawLineAt(
            line,
            columnX[column]! + PAD_X,
            y,
            layout.widths[column]! - 2 * PAD_X,
            spec.align[column] ?? "left",
            target,
            height,
          );
          y += height;
        });
      });
    };
    if (repeat) {
      // Repeated headers are pagination artifacts: screen readers get the header row once.
      writer.artifact(() => draw([]));
    } else {
      const head = writer.struct("THead", tableElement);
      const row = writer.struct("TR", head);
      const targets = headerLines.map(() => ({
        element: writer.struct("TH", row, { scope: "Column" }),
        links: new Map<number, StructElement>(),
      }));
      draw(targets);
      writer.closeContent();
      head.end();
    }
    writer.y = top + headerHeight;
  };

  const continuedHeight = spec.continued ? 14 : 0;
  const previous = writer.onPageBreak;
  writer.onPageBreak = () => {
    if (spec.continued) {
      const caption = spec.continued;
      writer.artifact(() => {
        writer.doc.font("sansItalic").fontSize(8.5).fillColor(COLOR.muted);
        drawText(writer.doc, caption, x0, writer.y + 8);
      }, "Pagination");
      writer.y += continuedHeight;
    }
    drawHeader(true);
  };

  // Keep the header with at least the first row (or a few lines of it).
  const firstRowHeight = bodyHeights[0] ? Math.max(...bodyHeights[0].map(sum)) + 2 * PAD_Y : 0;
  writer.ensure(headerHeight + Math.min(firstRowHeight, 60));
  drawHeader(false);
  const body = writer.struct("TBody", tableElement);
  const capacity = writer.bottom - writer.top - headerHeight - continuedHeight;

  bodyRows.forEach((row, rowIndex) => {
    if (!row) return;
    const rowHeights = bodyHeights[rowIndex]!;
    const next = row.map(() => 0);
    const rowElement = writer.struct("TR", body);
    const targets: InlineTarget[] = row.map((_, column) => ({
      element: writer.struct(
        column === 0 && spec.rowHeaders ? "TH" : "TD",
        rowElement,
        column === 0 && spec.rowHeaders ? { scope: "Row" } : {},
      ),
      links: new Map<number, StructElement>(),
    }));
    for (;;) {
      const rest =
        Math.max(...row.map((_, column) => sum(rowHeights[column]!.slice(next[column])))) + 2 * PAD_Y;
      const freshPage = writer.y <= writer.top + headerHeight + continuedHeight + 0.01;
      let counts: number[];
      if (writer.y + rest <= writer.bottom + 0.01) {
        counts = row.map((cell, column) => cell.length - next[column]!);
      } else if (rest <= capacity && !freshPage) {
        writer.newPage();
        continue;
      } else {
        // Taller than a page: fill this page, carry the rest over.
        const room = writer.bottom - writer.y - 2 * PAD_Y;
        counts = row.map((cell, column) => {
          let used = 0;
          let count = 0;
          while (
            next[column]! + count < cell.length &&
            used + rowHeights[column]![next[column]! + count]! <= room
          ) {
            used += rowHeights[column]![next[column]! + count]!;
            count++;
          }
          return count;
        });
        if (counts.every((count) => count === 0)) {
          if (freshPage) counts = row.map((cell, column) => Math.min(1, cell.length - next[column]!));
          else {
            writer.newPage();
            continue;
          }
        }
      }
      const chunkHeight =
        Math.max(
          ...counts.map((count, column) =>
            sum(rowHeights[column]!.slice(next[column], next[column]! + count)),
          ),
        ) +
        2 * PAD_Y;
      const top = writer.y;
      writer.artifact(() => {
        if (spec.zebra && rowIndex % 2 === 1)
          writer.doc.rect(x0, top, totalWidth, chunkHeight).fill(COLOR.zebra);
        writer.doc.save().lineWidth(0.5).strokeColor(COLOR.rule);
        writer.doc
          .moveTo(x0, top + chunkHeight)
          .lineTo(x0 + totalWidth, top + chunkHeight)
          .stroke();
        writer.doc.restore();
      });
      row.forEach((cell, column) => {
        let y = top + PAD_Y;
        for (let index = next[column]!; index < next[column]! + counts[column]!; index++) {
          const height = rowHeights[column]![index]!;
          writer.drawLineAt(
            cell[index]!,
            columnX[column]! + PAD_X,
            y,
            layout.widths[column]! - 2 * PAD_X,
            spec.align[column] ?? "left",
            targets[column]!,
            height,
          );
          y += height;
        }
        next[column]! += counts[column]!;
      });
      writer.y = top + chunkHeight;
      if (row.every((cell, column) => next[column]! >= cell.length)) break;
      writer.newPage();
    }
    writer.closeContent();
    rowElement.end();
  });
  writer.onPageBreak = previous;
  writer.closeContent();
  body.end();
  tableElement.end();
  void columns;
}

function layoutTable(spec: TableSpec, warnings: string[]): Layout {
  let size = spec.size;
  let cells = spec.cells(size);
  const columns = Math.max(1, ...cells.map((row) => row.length));
  const available = spec.width - columns * 2 * PAD_X;
  let widths: number[];
  if (spec.fractions) {
    widths = spec.fractions.map((fraction) => fraction * available);
  } else {
    const measureAll = () => {
      const min = new Array<number>(columns).fill(0);
      const max = new Array<number>(columns).fill(0);
      for (const row of cells) {
        row.forEach((cell, column) => {
          const widths = contentWidths(cell);
          min[column] = Math.max(min[column]!, widths.min);
          max[column] = Math.max(max[column]!, widths.max);
        });
      }
      return { min, max };
    };
    let { min, max } = measureAll();
    // A single unbreakable token (a 300-character URL) must not starve the other columns: cap
    // what any one column may demand; the token is then broken between characters.
    const cap = available * (columns <= 2 ? 0.6 : columns <= 4 ? 0.45 : 0.3);
    const capped = () => (sum(min) <= available ? min : min.map((value) => Math.min(value, cap)));
    if (sum(capped()) > available && size > spec.floor) {
      const scaled = Math.max(spec.floor, Math.floor(((size * available) / sum(capped())) * 4) / 4);
      if (scaled < size) {
        warnings.push(
          `${spec.where} has ${columns} columns and does not fit the page width at ${size} pt, so its text is set at ${scaled} pt.`,
        );
        size = scaled;
        cells = spec.cells(size);
        ({ min, max } = measureAll());
      }
    }
    const mins = capped();
    const sumMin = sum(mins);
    const sumMax = sum(max);
    if (sumMax <= available) {
      widths = max.map((value) => value + (available - sumMax) * (sumMax > 0 ? value / sumMax : 1 / columns));
    } else if (sumMin <= available) {
      const share = (available - sumMin) / (sumMax - sumMin);
      widths = mins.map((value, column) => value + (max[column]! - value) * share);
    } else {
      widths = mins.map((value) => (value * available) / sumMin);
    }
  }
  widths = widths.map((width) => width + 2 * PAD_X);
  const lines = cells.map((row) =>
    Array.from({ length: columns }, (_, column) =>
      wrap(row[column] ?? [], widths[column]! - 2 * PAD_X, size),
    ),
  );
  return { size, widths, lines };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
