/**
 * One bulletin in one language to PDF bytes: title page, body, running header and footer with
 * the TLP label, outline, metadata, attachments. Deterministic: no clock, no randomness.
 */
import type { Bulletin, BulletinDocument, Lang, Tlp } from "@atrc/bulletin";
import { REFERENCES_HEADING } from "@atrc/bulletin";
import { formatDate, getT, INTL_LOCALES } from "@atrc/i18n";
import type { TFunction } from "i18next";
import { createHash } from "node:crypto";
import PDFDocument from "pdfkit";
import { BodyRenderer, fontFor } from "./blocks.js";
import { attachFile, collectOutput, useColors, useFonts } from "./document.js";
import { FONT_KEYS, fontBytes, fontMode, loadFonts, sharedLayoutCache, type FontKey } from "./fonts.js";
import { measure, wrap, type Run, type Style } from "./inline.js";
import { drawTable } from "./table.js";
import { drawText } from "./text.js";
import { BAND_HEIGHT, COLOR, LEADING, MARGIN, PAGE, SEVERITY_COLOR, SIZE, TLP_COLOR } from "./theme.js";
import { Writer, type Doc, type StructElement } from "./writer.js";

/** A file embedded in the PDF (the bulletin's CSV and STIX exports). */
export interface PdfAttachment {
  /** File name shown by PDF readers (`atrc-2023-001.csv`). */
  name: string;
  /** Content; strings are stored as UTF-8. */
  data: Uint8Array | string;
  /** Media type (`text/csv`, `application/json`). */
  mimeType: string;
  /** Shown next to the file in readers' attachment panels. */
  description?: string;
}

/** Options of {@link renderPdf}. */
export interface PdfOptions {
  /** Files to embed, in this order (default: none). */
  attachments?: readonly PdfAttachment[];
  /** Base URL of the public site, for the link to the online version (default: `https://atrc.example`). */
  siteUrl?: string;
}

/** A rendered PDF. */
export interface PdfResult {
  /** The PDF file. */
  bytes: Uint8Array;
  /** Content the layout did not plan for, one sentence each with its place (empty for a clean bulletin). */
  warnings: string[];
}

const DEFAULT_SITE_URL = "https://atrc.example";

/**
 * Render one language of a bulletin as a PDF advisory.
 *
 * @param bulletin A checked bulletin (from `parseBulletin` or `loadContent`).
 * @param lang `es` or `en`; the bulletin must have that document.
 * @param options Attachments and site URL.
 * @returns The PDF bytes and the layout warnings.
 * @example
 * const { bytes, warnings } = await renderPdf(bulletin, "es", { attachments: [{ name: "atrc-2023-001.csv", data: csv, mimeType: "text/csv" }] })
 */
export async function renderPdf(
  bulletin: Bulletin,
  lang: Lang,
  options: PdfOptions = {},
): Promise<PdfResult> {
  if (lang !== "es" && lang !== "en") {
    throw new TypeError(`Expected \`lang\` to be \`es\` or \`en\`, not \`${String(lang)}\``);
  }
  const document = bulletin.documents[lang];
  if (!document) {
    throw new TypeError(
      `Expected bulletin \`${bulletin.id}\` to have a \`${lang}\` document, found only ${Object.keys(bulletin.documents).join(", ")}`,
    );
  }
  const t = translations(lang);
  const { meta } = document;
  const created = new Date(`${meta.published}T00:00:00Z`);
  const modified = new Date(`${meta.modified}T00:00:00Z`);
  const author = `${t("brand.name")} — ${t("brand.long")}`;
  const keywords = unique([
    bulletin.id,
    `TLP:${meta.tlp}`,
    ...meta.tags,
    ...meta.actors,
    ...meta.malware,
    ...meta.products,
    ...meta.attack,
  ]);

  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margins: MARGIN,
    autoFirstPage: false,
    bufferPages: true,
    compress: true,
    pdfVersion: "1.7",
    tagged: true,
    // No default font: pdfkit would parse Helvetica's metrics (AFM) for every document, unused.
    font: null as never,
    subset: "PDF/UA" as never,
    lang: INTL_LOCALES[lang],
    displayTitle: true,
    info: {
      Title: meta.title,
      Author: author,
      Subject: meta.summary,
      Keywords: keywords.join(", "),
      Creator: "ATRc Press",
      Producer: "PDFKit",
      CreationDate: created,
      ModDate: modified,
    },
  }) as unknown as Doc;
  const internals = doc as unknown as {
    _id: Uint8Array;
    _addInfo: () => void;
    appendXML(xml: string, newline?: boolean): void;
  };
  // The file identifier (trailer /ID) is a hash of what names this edition, not of the clock.
  internals._id = new Uint8Array(
    createHash("md5").update(`${bulletin.id}|${lang}|${meta.revision}`).digest(),
  );
  // pdfkit writes the XMP packet without escaping (a title with `&` breaks it) and without the
  // language; write it ourselves.
  internals._addInfo = () =>
    internals.appendXML(xmp(document, author, keywords, created, modified, INTL_LOCALES[lang]));

  const output = fontMode.naive ? streamOutput(doc) : collectOutput(doc);
  if (fontMode.naive) for (const key of FONT_KEYS) doc.registerFont(key, fontBytes()[key]);
  else {
    useFonts(doc, loadFonts(), (key) => sharedLayoutCache(key as FontKey));
    useColors(doc);
  }

  const writer = new Writer(doc);
  const root = doc.struct("Document");
  doc.addStructure(root);
  const warnings: string[] = [];
  const body = new BodyRenderer(writer, document, t, warnings, REFERENCES_HEADING);
  const siteUrl = (options.siteUrl ?? DEFAULT_SITE_URL).replace(/\/+$/u, "");
  const attachments = options.attachments ?? [];

  titlePage(writer, body, bulletin, document, t, root, siteUrl, attachments);
  body.render(root);
  writer.closeContent();
  root.end();

  runningParts(writer, document, t);

  for (const attachment of attachments) {
    const data =
      typeof attachment.data === "string" ? new TextEncoder().encode(attachment.data) : attachment.data;
    const options = {
      name: attachment.name,
      type: attachment.mimeType,
      ...(attachment.description ? { description: attachment.description } : {}),
      creationDate: created,
      modifiedDate: modified,
      relationship: "Data",
    };
    if (fontMode.naive) doc.file(data, options);
    else attachFile(doc, data, options);
  }

  doc.end();
  return { bytes: await output.done, warnings };
}

/** pdfkit's own output path (the naive baseline of `npm run bench`). */
function streamOutput(doc: Doc): { done: Promise<Uint8Array> } {
  const chunks: Uint8Array[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on("data", (chunk) => chunks.push(chunk));
    doc.on("end", () => {
      const bytes = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.length;
      }
      resolve(bytes);
    });
    doc.on("error", reject);
  });
  return { done };
}

/**
 * The file name of a bulletin's PDF in one language.
 *
 * @param bulletin The bulletin.
 * @param lang Its language.
 * @returns `<id>-<lang>.pdf`, lower case.
 * @example
 * pdfFileName(bulletin, "es") // "atrc-2023-001-es.pdf"
 */
export function pdfFileName(bulletin: Pick<Bulletin, "id">, lang: Lang): string {
  return `${bulletin.id.toLowerCase()}-${lang}.pdf`;
}

function titlePage(
  writer: Writer,
  body: BodyRenderer,
  bulletin: Bulletin,
  document: BulletinDocument,
  t: TFunction,
  root: StructElement,
  siteUrl: string,
  attachments: readonly { name: string }[],
): void {
  const { doc } = writer;
  const { meta } = document;
  writer.newPage();
  writer.artifact(() => {
    doc.rect(0, 0, PAGE.width, BAND_HEIGHT).fill(COLOR.band);
    drawMark(doc, MARGIN.left, (BAND_HEIGHT - 44) / 2, 44);
  });
  // Identity: real text (tagged), so it is read aloud and found by search.
  const identity = writer.struct("P", root);
  const target = { element: identity, links: new Map() };
  const textX = MARGIN.left + 58;
  const nameLine = wrap(
    body.plain(t("brand.name"), { size: 25, color: COLOR.bandText, bold: true }),
    300,
    25,
  )[0]!;
  writer.drawLineAt(nameLine, textX, BAND_HEIGHT / 2 - 30, 300, "left", target, 32);
  const longLine = wrap(body.plain(t("brand.long"), { size: 10.5, color: COLOR.bandMuted }), 300, 10.5)[0]!;
  writer.drawLineAt(longLine, textX, BAND_HEIGHT / 2 + 3, 300, "left", target, 14);
  const taglineLine = wrap(
    body.plain(t("brand.tagline"), { size: 8.5, color: COLOR.bandMuted, italic: true }),
    300,
    8.5,
  )[0]!;
  writer.drawLineAt(taglineLine, textX, BAND_HEIGHT / 2 + 16, 300, "left", target, 12);
  writer.closeContent();
  identity.end();

  writer.y = BAND_HEIGHT + 26;
  const box = { x: writer.left, width: writer.width };
  const kicker = body.plain(`${t("bulletin.id").toLocaleUpperCase()} ${bulletin.id}`, {
    size: 9.5,
    color: COLOR.accent,
    bold: true,
  });
  body.text(kicker, box, writer.struct("P", root), "left", 2);
  doc.outline.addItem(meta.title, { top: writer.y, left: PAGE.width });
  body.text(
    body.plain(meta.title, { size: SIZE.h1, color: COLOR.heading, bold: true }),
    box,
    writer.struct("H1", root),
    "left",
    8,
    LEADING.heading,
  );
  body.text(
    body.plain(meta.summary, { size: 11.5, color: COLOR.text }),
    box,
    writer.struct("P", root),
    "left",
    12,
  );

  const label = (key: string): Run[] => body.plain(t(key), { size: 9.5, color: COLOR.muted, bold: true });
  const value = (text: string, look: Partial<Style> & { bold?: boolean } = {}): Run[] =>
    body.plain(text, { size: look.size ?? 9.5, color: look.color ?? COLOR.text, bold: look.bold });
  const mono = (text: string): Run[] =>
    body.checkGlyphs([{ text, style: { font: "mono", size: 8.8, color: COLOR.code } }], undefined);
  const rows: Run[][][] = [
    [label("bulletin.published"), value(longDate(meta.published, document.meta.lang))],
    [label("bulletin.modified"), value(longDate(meta.modified, document.meta.lang))],
    [label("bulletin.revision"), value(String(meta.revision))],
    [
      label("bulletin.severity"),
      value(t(`severity.${meta.severity}`), { color: SEVERITY_COLOR[meta.severity], bold: true }),
    ],
    [
      label("bulletin.tlp"),
      [...value(`TLP:${meta.tlp}`, { bold: true }), ...value(` — ${t(`tlp.${meta.tlp}`)}`)],
    ],
    [label("bulletin.actors"), value(meta.actors.join(", ") || "—")],
    [label("bulletin.products"), value(meta.products.join(", ") || "—")],
  ];
  if (meta.malware.length > 0) rows.push([label("bulletin.malware"), value(meta.malware.join(", "))]);
  if (meta.attack.length > 0) rows.push([label("bulletin.attack"), mono(meta.attack.join(", "))]);
  // Same page URLs as the site and @atrc/export (`pageUrl`): /es/boletines/<slug>/, /en/bulletins/<slug>/.
  const url = `${siteUrl}/${meta.lang}/${meta.lang === "es" ? "boletines" : "bulletins"}/${bulletin.slug}/`;
  rows.push([
    label("pdf:meta.online"),
    [{ text: url, style: { font: "sans", size: 9.5, color: COLOR.link, link: { url, id: -1 } } }],
  ]);
  if (attachments.length > 0) {
    rows.push([
      label("pdf:meta.attachments"),
      [
        ...mono(attachments.map((attachment) => attachment.name).join(", ")),
        { text: "\n", style: { font: "sans", size: 9.5, color: COLOR.text } },
        ...body.plain(t("pdf:meta.attachments_hint"), { size: 8.5, color: COLOR.muted, italic: true }),
      ],
    ]);
  }
  drawTable(
    writer,
    {
      cells: () => rows,
      header: false,
      rowHeaders: true,
      align: ["left", "left"],
      size: 9.5,
      floor: 9.5,
      zebra: false,
      fractions: [0.3, 0.7],
      where: "The title page table",
      parent: root,
      x: box.x,
      width: box.width,
    },
    body.warnings,
  );
  if (meta.translation) {
    writer.y += 6;
    const note = t("bulletin.translation_of", { lang: t(`lang.${meta.translation.source}`) });
    body.text(
      body.plain(note, { size: SIZE.small, color: COLOR.muted, italic: true }),
      box,
      writer.struct("P", root),
      "left",
      0,
    );
  }
  writer.y += 14;
}

/** Header and footer of every page, drawn once the page count is known. */
function runningParts(writer: Writer, document: BulletinDocument, t: TFunction): void {
  const { doc } = writer;
  const { meta } = document;
  const { count } = doc.bufferedPageRange();
  for (let index = 0; index < count; index++) {
    doc.switchToPage(index);
    writer.pageIndex = index;
    writer.artifact(() => {
      for (const decoration of writer.decorations[index] ?? []) decoration(doc);
      const headerTop = index === 0 ? (BAND_HEIGHT - 20) / 2 : 26;
      const tlpWidth = drawTlp(doc, meta.tlp, writer.right, headerTop);
      if (index > 0) {
        const style: Style = { font: "sans", size: 8.5, color: COLOR.muted };
        const room = writer.width - tlpWidth - 18;
        doc.font("sans").fontSize(8.5).fillColor(COLOR.muted);
        drawText(doc, fit(meta.title, style, room), writer.left, headerTop + 14);
        doc
          .save()
          .lineWidth(0.5)
          .strokeColor(COLOR.rule)
          .moveTo(writer.left, 54)
          .lineTo(writer.right, 54)
          .stroke()
          .restore();
      }
      const footerTop = PAGE.height - 46;
      doc
        .save()
        .lineWidth(0.5)
        .strokeColor(COLOR.rule)
        .moveTo(writer.left, footerTop - 8)
        .lineTo(writer.right, footerTop - 8)
        .stroke()
        .restore();
      drawTlp(doc, meta.tlp, writer.right, footerTop);
      const footer = `${meta.id} · ${t("bulletin.revision")} ${meta.revision} · ${t("page.of", { page: index + 1, total: count })}`;
      doc.font("sans").fontSize(8.5).fillColor(COLOR.muted);
      drawText(doc, footer, writer.left, footerTop + 13);
    }, "Pagination");
  }
}

/** The TLP label, white-on-black style in FIRST's colour, right-aligned at `right`. Returns its width. */
function drawTlp(doc: Doc, tlp: Tlp, right: number, top: number): number {
  const label = `TLP:${tlp}`;
  const style: Style = { font: fontFor(true, false, false), size: SIZE.tlp, color: TLP_COLOR[tlp] };
  const width = measure(label, style) + 14;
  doc.rect(right - width, top, width, 20).fill("#000000");
  doc.font(style.font).fontSize(style.size).fillColor(style.color);
  drawText(doc, label, right - width + 7, top + 14.2);
  return width;
}

/** The ATRc mark: a rounded square with a signal radiating from a point (an early warning). */
function drawMark(doc: Doc, x: number, y: number, size: number): void {
  const s = size / 44;
  doc.roundedRect(x, y, size, size, 8 * s).fill(COLOR.accent);
  doc
    .save()
    .lineWidth(3.2 * s)
    .strokeColor("#ffffff");
  for (const radius of [10, 18, 26]) {
    doc.moveTo(x + 11 * s, y + (33 - radius) * s);
    doc.bezierCurveTo(
      x + (11 + radius * 0.55) * s,
      y + (33 - radius) * s,
      x + (11 + radius) * s,
      y + (33 - radius * 0.55) * s,
      x + (11 + radius) * s,
      y + 33 * s,
    );
    doc.stroke();
  }
  doc.restore();
  doc.circle(x + 11 * s, y + 33 * s, 3.6 * s).fill("#FFC000");
}

/** Shorten text with an ellipsis to fit `width` (only for the running title, a repeat of the real one). */
function fit(text: string, style: Style, width: number): string {
  if (measure(text, style) <= width) return text;
  let chars = Array.from(text);
  while (chars.length > 1 && measure(`${chars.join("").trimEnd()}…`, style) > width)
    chars = chars.slice(0, -1);
  return `${chars.join("").trimEnd()}…`;
}

const translated = new Map<Lang, TFunction>();

/**
 * `getT(lang)` with its results remembered for the process. i18next resolves, interpolates and
 * plural-selects on every call, and a bulletin asks for the same few strings (labels, "Página X de
 * Y") in every document; the resources are bundled, so a key and its options always give the
 * same string.
 */
function translations(lang: Lang): TFunction {
  let memo = translated.get(lang);
  if (!memo) {
    const t = getT(lang);
    const results = new Map<string, string>();
    memo = ((key: string, options?: Record<string, unknown>) => {
      const id = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
      let result = results.get(id);
      if (result === undefined) {
        result = String(options === undefined ? t(key) : t(key, options));
        if (results.size > 10_000) results.clear();
        results.set(id, result);
      }
      return result;
    }) as unknown as TFunction;
    translated.set(lang, memo);
  }
  return memo;
}

const dates = new Map<string, string>();

/** `formatDate` remembered (it builds an `Intl.DateTimeFormat` per call). */
function longDate(date: string, lang: Lang): string {
  const id = `${date}|${lang}`;
  let result = dates.get(id);
  if (result === undefined) {
    result = formatDate(date, lang);
    if (dates.size > 10_000) dates.clear();
    dates.set(id, result);
  }
  return result;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value.trim() !== ""))];
}

function escapeXml(text: string): string {
  return text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;").replace(/"/gu, "&quot;");
}

function xmp(
  document: BulletinDocument,
  author: string,
  keywords: readonly string[],
  created: Date,
  modified: Date,
  language: string,
): string {
  const iso = (date: Date) => `${date.toISOString().split(".")[0]}Z`;
  const { meta } = document;
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${iso(created)}</xmp:CreateDate>
            <xmp:ModifyDate>${iso(modified)}</xmp:ModifyDate>
            <xmp:CreatorTool>ATRc Press</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            <dc:format>application/pdf</dc:format>
            <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.title)}</rdf:li></rdf:Alt></dc:title>
            <dc:creator><rdf:Seq><rdf:li>${escapeXml(author)}</rdf:li></rdf:Seq></dc:creator>
            <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(meta.summary)}</rdf:li></rdf:Alt></dc:description>
            <dc:language><rdf:Bag><rdf:li>${escapeXml(language)}</rdf:li></rdf:Bag></dc:language>
            <dc:identifier>${escapeXml(meta.id)}</dc:identifier>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>PDFKit</pdf:Producer>
            <pdf:Keywords>${escapeXml(keywords.join(", "))}</pdf:Keywords>
        </rdf:Description>
        `;
}
