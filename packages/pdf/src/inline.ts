/**
 * Inline layout: styled runs in, wrapped lines out. Pure (no pdfkit), so the table code can
 * measure cells with exactly the algorithm that later draws them.
 */
import { hasGlyph, unitWidth, type FontKey } from "./fonts.js";

/** A link target. `id` groups the pieces of one Markdown link (it may wrap over lines). */
export interface LinkTarget {
  readonly url: string;
  readonly id: number;
}

/** How a piece of text looks. */
export interface Style {
  readonly font: FontKey;
  readonly size: number;
  readonly color: string;
  readonly link?: LinkTarget | undefined;
  readonly strike?: boolean | undefined;
}

/** Text in one style; `\n` is a hard line break. */
export interface Run {
  readonly text: string;
  readonly style: Style;
}

/** A drawn piece of a line. */
export interface Segment {
  readonly text: string;
  readonly style: Style;
  readonly width: number;
}

/** One wrapped line. */
export interface Line {
  readonly segments: readonly Segment[];
  readonly width: number;
  /** Largest font size on the line (sets line height and baseline). */
  readonly size: number;
}

/** Where a long word may break before falling back to any character (after these). */
const SOFT_BREAK_AFTER = new Set(["/", "?", "&", "=", "_", "]", ",", ";", "\\", "|", "."]);
// Never break *after* a hyphen: text extraction (pdftotext, copy and paste) takes a hyphen at the
// end of a line for a soft hyphen and drops it, which would corrupt `srv-pbx.net`. Break before it.
const canBreakBetween = (before: string, after: string) =>
  SOFT_BREAK_AFTER.has(before) || (after === "-" && before !== "-");
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/gu;

/**
 * Width of text in a style, in points.
 *
 * @param text Text without line breaks.
 * @param style Its style.
 * @returns Width in points.
 */
export function measure(text: string, style: Style): number {
  return unitWidth(style.font, text) * style.size;
}

/** What a fallback pass changed, for warnings. */
export interface GlyphReport {
  /** Characters drawn with the mono face because the text face lacks them. */
  readonly fallback: Set<string>;
  /** Characters neither face has, drawn as their code point (`[U+1F600]`). */
  readonly missing: Set<string>;
}

/**
 * Make every character drawable: NFC-normalise, drop invisible formatting characters, draw
 * characters the face lacks with the other family, and write what neither has as its code point
 * (`[U+1F600]` in the mono face), so no character is lost silently.
 *
 * @param runs Runs as written.
 * @param report Collects fallback and missing characters.
 * @returns Runs that only use glyphs the fonts have.
 */
export function ensureGlyphs(runs: readonly Run[], report: GlyphReport): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const text = run.text.normalize("NFC").replace(INVISIBLE, "").replace(/\t/gu, " ");
    // Nearly every run is drawable as it is: keep it whole rather than rebuild it char by char.
    if (drawable(run.style.font, text)) {
      if (text) out.push(text === run.text ? run : { text, style: run.style });
      continue;
    }
    const other: FontKey = run.style.font.startsWith("mono") ? "sans" : "mono";
    let buffer = "";
    let bufferFont: FontKey = run.style.font;
    const flush = () => {
      if (buffer)
        out.push({
          text: buffer,
          style: bufferFont === run.style.font ? run.style : { ...run.style, font: bufferFont },
        });
      buffer = "";
    };
    for (const char of text) {
      const code = char.codePointAt(0) ?? 0;
      let font: FontKey = run.style.font;
      let drawn = char;
      if (char !== "\n" && !hasGlyph(run.style.font, code)) {
        if (hasGlyph(other, code)) {
          font = other;
          report.fallback.add(char);
        } else {
          report.missing.add(char);
          font = run.style.font.startsWith("mono") ? run.style.font : "mono";
          drawn = `[U+${code.toString(16).toUpperCase().padStart(4, "0")}]`;
        }
      }
      if (font !== bufferFont) {
        flush();
        bufferFont = font;
      }
      buffer += drawn;
    }
    flush();
  }
  return out;
}

/** Whether every character of `text` is a line break or has a glyph in `key`. */
function drawable(key: FontKey, text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.codePointAt(index)!;
    if (code > 0xffff) index++;
    if (code !== 10 && !hasGlyph(key, code)) return false;
  }
  return true;
}

interface Piece {
  text: string;
  style: Style;
  width: number;
}

type Token =
  | { kind: "word"; pieces: Piece[]; width: number }
  | { kind: "space"; style: Style }
  | { kind: "newline"; style: Style };

function tokenize(runs: readonly Run[]): Token[] {
  const tokens: Token[] = [];
  let word: Piece[] | undefined;
  const endWord = () => {
    if (word)
      tokens.push({ kind: "word", pieces: word, width: word.reduce((sum, piece) => sum + piece.width, 0) });
    word = undefined;
  };
  for (const run of runs) {
    for (const part of run.text.split(/( +|\n)/u)) {
      if (part === "") continue;
      if (part === "\n") {
        endWord();
        tokens.push({ kind: "newline", style: run.style });
      } else if (part.startsWith(" ")) {
        endWord();
        tokens.push({ kind: "space", style: run.style });
      } else {
        word ??= [];
        word.push({ text: part, style: run.style, width: measure(part, run.style) });
      }
    }
  }
  endWord();
  return tokens;
}

/** Split `pieces` so the head is at most `room` wide (at least one character), preferring a soft break. */
function splitWord(pieces: readonly Piece[], room: number, preferSoft: boolean): [Piece[], Piece[]] {
  const chars: { char: string; style: Style; width: number }[] = [];
  for (const piece of pieces) {
    for (const char of piece.text)
      chars.push({ char, style: piece.style, width: measure(char, piece.style) });
  }
  let used = 0;
  let fit = 0;
  while (fit < chars.length && used + chars[fit]!.width <= room) {
    used += chars[fit]!.width;
    fit++;
  }
  if (fit === 0) fit = 1;
  if (preferSoft && fit < chars.length) {
    for (let index = fit; index > Math.max(1, fit / 2); index--) {
      if (canBreakBetween(chars[index - 1]!.char, chars[index]!.char)) {
        fit = index;
        break;
      }
    }
  }
  if (fit > 1 && fit < chars.length && chars[fit - 1]!.char === "-") fit--;
  const group = (list: typeof chars): Piece[] => {
    const result: Piece[] = [];
    for (const { char, style } of list) {
      const last = result.at(-1);
      if (last && last.style === style) last.text += char;
      else result.push({ text: char, style, width: 0 });
    }
    for (const piece of result) piece.width = measure(piece.text, piece.style);
    return result;
  };
  return [group(chars.slice(0, fit)), group(chars.slice(fit))];
}

/**
 * Wrap runs into lines no wider than `width`. Words that do not fit on an empty line break at
 * a soft break point (after `/`, `-`, `.`, …) or, failing that, between any two characters,
 * so nothing ever overflows.
 *
 * @param runs Styled text.
 * @param width Available width in points.
 * @param baseSize Size of an empty line.
 * @returns The lines.
 */
export function wrap(runs: readonly Run[], width: number, baseSize: number): Line[] {
  const lines: Line[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  let pendingSpace: Piece | undefined;
  const flush = () => {
    lines.push(toLine(current, baseSize));
    current = [];
    currentWidth = 0;
    pendingSpace = undefined;
  };
  const append = (pieces: readonly Piece[], piecesWidth: number) => {
    if (pendingSpace && current.length > 0) {
      current.push(pendingSpace);
      currentWidth += pendingSpace.width;
    }
    pendingSpace = undefined;
    current.push(...pieces);
    currentWidth += piecesWidth;
  };
  for (const token of tokenize(runs)) {
    if (token.kind === "newline") {
      flush();
      continue;
    }
    if (token.kind === "space") {
      if (current.length > 0)
        pendingSpace = { text: " ", style: token.style, width: measure(" ", token.style) };
      continue;
    }
    let pieces = token.pieces;
    let piecesWidth = token.width;
    for (;;) {
      const spaceWidth = pendingSpace && current.length > 0 ? pendingSpace.width : 0;
      if (currentWidth + spaceWidth + piecesWidth <= width + 0.001) {
        append(pieces, piecesWidth);
        break;
      }
      const room = width - currentWidth - spaceWidth;
      if (current.length > 0 && (piecesWidth <= width || room < width * 0.3)) {
        flush();
        continue;
      }
      // Too wide for any line: break inside the word.
      const [head, tail] = splitWord(pieces, current.length > 0 ? room : width, true);
      append(
        head,
        head.reduce((sum, piece) => sum + piece.width, 0),
      );
      flush();
      pieces = tail;
      piecesWidth = tail.reduce((sum, piece) => sum + piece.width, 0);
      if (pieces.length === 0) break;
    }
  }
  if (current.length > 0 || lines.length === 0) flush();
  return lines;
}

function toLine(pieces: readonly Piece[], baseSize: number): Line {
  // Segment widths are the sums of their measured words: measuring whole lines again would shape
  // every line a second time (and fill the width cache with strings seen once).
  const measured: Segment[] = [];
  for (const piece of pieces) {
    const last = measured.at(-1);
    if (last && sameStyle(last.style, piece.style)) {
      measured[measured.length - 1] = {
        text: last.text + piece.text,
        style: last.style,
        width: last.width + piece.width,
      };
    } else {
      measured.push({ text: piece.text, style: piece.style, width: piece.width });
    }
  }
  return {
    segments: measured,
    width: measured.reduce((sum, segment) => sum + segment.width, 0),
    size: measured.reduce(
      (size, segment) => Math.max(size, segment.style.size),
      measured.length > 0 ? 0 : baseSize,
    ),
  };
}

function sameStyle(a: Style, b: Style): boolean {
  return (
    a === b ||
    (a.font === b.font &&
      a.size === b.size &&
      a.color === b.color &&
      a.link === b.link &&
      a.strike === b.strike)
  );
}

/**
 * The widths a table column needs: `min` is its longest word (it never needs less unless words
 * are broken), `max` its widest line without wrapping.
 *
 * @param runs Cell content.
 * @returns Minimum and maximum content widths in points.
 */
export function contentWidths(runs: readonly Run[]): { min: number; max: number } {
  let min = 0;
  let max = 0;
  let line = 0;
  for (const token of tokenize(runs)) {
    if (token.kind === "newline") {
      max = Math.max(max, line);
      line = 0;
    } else if (token.kind === "space") {
      line += measure(" ", token.style);
    } else {
      min = Math.max(min, token.width);
      line += token.width;
    }
  }
  return { min, max: Math.max(max, line) };
}

/**
 * Wrap preformatted text: spaces are kept, lines break only at `\n` or where a line is full.
 *
 * @param text Code block text.
 * @param width Available width.
 * @param style Its (mono) style.
 * @returns The lines.
 */
export function wrapPre(text: string, width: number, style: Style): Line[] {
  const lines: Line[] = [];
  for (const source of text.replace(/\t/gu, "  ").split("\n")) {
    let rest = Array.from(source);
    do {
      let used = 0;
      let fit = 0;
      while (fit < rest.length && used + measure(rest[fit]!, style) <= width)
        used += measure(rest[fit++]!, style);
      if (fit === 0 && rest.length > 0) fit = 1;
      const head = rest.slice(0, fit).join("");
      const headWidth = measure(head, style);
      lines.push({
        segments: head ? [{ text: head, style, width: headWidth }] : [],
        width: headWidth,
        size: style.size,
      });
      rest = rest.slice(fit);
    } while (rest.length > 0);
  }
  return lines;
}
