/**
 * Fonts: Source Sans 3 for text and Source Code Pro for indicators (Adobe, SIL OFL 1.1), read from
 * their npm packages and parsed once per process with fontkit. pdfkit accepts the parsed font
 * object in `registerFont`, which saves re-parsing the TTF for every document (TOOLCHAIN G12).
 */
import { create, type Font } from "fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The faces a bulletin uses. */
export type FontKey = "sans" | "sansBold" | "sansItalic" | "sansBoldItalic" | "mono" | "monoBold";

/** Every face, in registration order. */
export const FONT_KEYS: readonly FontKey[] = [
  "sans",
  "sansBold",
  "sansItalic",
  "sansBoldItalic",
  "mono",
  "monoBold",
];

// TTF rather than OTF: fontkit's TrueType subsetter is the better-tested path in pdfkit, and
// WOFF2 does not load at all (TOOLCHAIN §4).
const FILES: Readonly<Record<FontKey, string>> = {
  sans: "source-sans/TTF/SourceSans3-Regular.ttf",
  sansBold: "source-sans/TTF/SourceSans3-Semibold.ttf",
  sansItalic: "source-sans/TTF/SourceSans3-It.ttf",
  sansBoldItalic: "source-sans/TTF/SourceSans3-SemiboldIt.ttf",
  mono: "source-code-pro/TTF/SourceCodePro-Regular.ttf",
  monoBold: "source-code-pro/TTF/SourceCodePro-Semibold.ttf",
};

let cache: Readonly<Record<FontKey, Font>> | undefined;
let bytes: Readonly<Record<FontKey, Uint8Array>> | undefined;

/**
 * Benchmark switch, not part of the public API: `naive` makes every document register the font
 * files as bytes, so pdfkit parses them again per document (the baseline `npm run bench` shows).
 */
export const fontMode: { naive: boolean } = { naive: false };

/**
 * The raw font files, read once (for the naive baseline only).
 *
 * @returns One file's bytes per face.
 */
export function fontBytes(): Readonly<Record<FontKey, Uint8Array>> {
  if (!bytes) {
    const require = createRequire(import.meta.url);
    bytes = Object.fromEntries(
      FONT_KEYS.map((key) => [key, readFileSync(require.resolve(FILES[key]))]),
    ) as unknown as Record<FontKey, Uint8Array>;
  }
  return bytes;
}

/**
 * The parsed fonts, loaded on first use and kept for the life of the process.
 *
 * @returns One fontkit font per face.
 */
export function loadFonts(): Readonly<Record<FontKey, Font>> {
  if (!cache) {
    const require = createRequire(import.meta.url);
    const entries = FONT_KEYS.map((key) => [key, create(readFileSync(require.resolve(FILES[key])))] as const);
    cache = Object.fromEntries(entries) as Record<FontKey, Font>;
  }
  return cache;
}

const widths = new Map<string, number>();

/**
 * Width of `text` in `key` at 1 pt, cached across documents (the cache is bounded).
 *
 * @param key Face.
 * @param text Text without line breaks.
 * @returns Width in points for a 1 pt size.
 */
export function unitWidth(key: FontKey, text: string): number {
  const id = `${key}\u0000${text}`;
  let width = widths.get(id);
  if (width === undefined) {
    const font = loadFonts()[key];
    width = font.layout(text).advanceWidth / font.unitsPerEm;
    if (widths.size > 100_000) widths.clear();
    widths.set(id, width);
  }
  return width;
}

const layoutCaches = new Map<FontKey, Record<string, unknown>>();

/**
 * A layout cache for pdfkit's embedded font, shared by every document of the process. pdfkit
 * starts each document with an empty cache and shapes every word again; shaping (GSUB/GPOS) is
 * most of the cost of a PDF, and the cached runs are only read, never changed.
 *
 * @param key Face.
 * @returns The cache object to install as the font's `layoutCache`.
 */
export function sharedLayoutCache(key: FontKey): Record<string, unknown> {
  let cache = layoutCaches.get(key);
  if (!cache || Object.keys(cache).length > 50_000) {
    cache = Object.create(null) as Record<string, unknown>;
    layoutCaches.set(key, cache);
  }
  return cache;
}
