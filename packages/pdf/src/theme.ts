/** Page geometry, colours and sizes: the house look of an ATRc advisory. */
import type { Severity, Tlp } from "@atrc/bulletin";

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;

/** Margins of the text block; the header and footer live outside it. */
export const MARGIN = { left: 56, right: 56, top: 78, bottom: 70 } as const;

/** Height of the identity band on the first page. */
export const BAND_HEIGHT = 96;

export const COLOR = {
  text: "#1b1f24",
  muted: "#56606c",
  heading: "#0b2540",
  accent: "#0a58a8",
  link: "#0a58a8",
  code: "#24292f",
  rule: "#c7cfd9",
  zebra: "#f1f4f8",
  codeBg: "#f3f4f6",
  tableHead: "#0b2540",
  band: "#0b2540",
  bandText: "#ffffff",
  bandMuted: "#b9c7d8",
  quote: "#2d3a48",
  warningBg: "#fff8e6",
  warningRule: "#d69e2e",
} as const;

/** FIRST TLP 2.0 colours: the label is drawn in this colour on black. */
export const TLP_COLOR: Readonly<Record<Tlp, string>> = {
  RED: "#FF2B2B",
  "AMBER+STRICT": "#FFC000",
  AMBER: "#FFC000",
  GREEN: "#33FF00",
  CLEAR: "#FFFFFF",
};

export const SEVERITY_COLOR: Readonly<Record<Severity, string>> = {
  low: "#2f7d4f",
  medium: "#946200",
  high: "#c2410c",
  critical: "#b00020",
};

export const SIZE = {
  body: 10.5,
  small: 9,
  h1: 21,
  h2: 14.5,
  h3: 12.5,
  h4: 11,
  table: 9,
  /** Smallest table text before columns wrap harder instead (with a warning below `table`). */
  tableFloor: 6.5,
  code: 8.5,
  /** Inline code and indicators are set a little smaller than the text around them. */
  monoRatio: 0.9,
  tlp: 12,
} as const;

/** Line height as a multiple of the font size. */
export const LEADING = { body: 1.38, table: 1.25, heading: 1.18 } as const;
