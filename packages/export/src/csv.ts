/**
 * RFC 4180 CSV (FORMATS §6): CRLF records, a header row, UTF-8 without BOM, and formula injection neutralised the way
 * OWASP recommends (a leading `'` on cells starting with `= + - @`, TAB or CR, full-width forms included) by
 * `csv-stringify`'s `escape_formulas`. Machine columns can never start with those characters (`exportIndicators`
 * asserts it), so only the free-text columns are ever changed.
 */
import type { PageBulletin as Bulletin } from "@atrc/bulletin";
import { stringify } from "csv-stringify/sync";
import { indicatorsOf } from "./indicators.js";
import { checkedSiteUrl, type ExportOptions } from "./options.js";

/**
 * The CSV columns, in order.
 *
 * @example
 * CSV_COLUMNS.join(",") // the header row
 */
export const CSV_COLUMNS = [
  "bulletin_id",
  "type",
  "value",
  "value_defanged",
  "benign_host",
  "to_ids",
  "description_es",
  "description_en",
  "tlp",
  "published",
] as const;

/**
 * The indicators of one bulletin as CSV (one row per indicator, sorted by type then value).
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns CSV text with a header row and CRLF line ends.
 * @example
 * toCsv(bulletin, { siteUrl: "https://atrc.example" }).split("\r\n")[0] // "bulletin_id,type,value,…"
 */
export function toCsv(bulletin: Bulletin, options: ExportOptions): string {
  checkedSiteUrl(options);
  return csvPieces([csvRowsOf(bulletin)]).join("");
}

/**
 * The indicators of many bulletins in one CSV, bulletin after bulletin in the given order.
 *
 * @param bulletins The bulletins.
 * @param options Export options.
 * @returns CSV text with one header row.
 * @example
 * csvOf(publicBulletins(bulletins), options) // iocs/all.csv
 */
export function csvOf(bulletins: readonly Bulletin[], options: ExportOptions): string {
  checkedSiteUrl(options);
  return csvPieces(bulletins.map(csvRowsOf)).join("");
}

/**
 * A CSV from the data rows of each bulletin ({@link csvRowsOf}), as pieces to concatenate (or encode one after the
 * other): the header row, then the rows in order. Each cell is quoted and neutralised on its own, so this is exactly
 * what one `stringify` call over all the records gives.
 *
 * @param rows The rows of each bulletin.
 * @returns The pieces of a CSV with one header row.
 * @example
 * csvPieces(published.map(csvRowsOf)).join("") // iocs/all.csv
 */
export function csvPieces(rows: readonly string[]): string[] {
  return [CSV_HEADER, ...rows];
}

/** Options of every `stringify` call: a cell is quoted and neutralised on its own, whatever the other rows hold. */
const CSV_OPTIONS = {
  columns: [...CSV_COLUMNS],
  record_delimiter: "\r\n",
  escape_formulas: true,
  bom: false,
};

/** The header row, with its CRLF. */
const CSV_HEADER = stringify([], { ...CSV_OPTIONS, header: true });

/**
 * The data rows of one bulletin, each ending in CRLF (no header): `iocs/<id>.csv` and `iocs/all.csv` are the header
 * then these rows, so `exportAll` builds them once per bulletin. They do not depend on the site URL.
 *
 * @param bulletin The checked bulletin.
 * @returns The rows as CSV text.
 * @example
 * csvRowsOf(bulletin).split("\r\n").length - 1 // one row per indicator
 */
export function csvRowsOf(bulletin: Bulletin): string {
  const meta = bulletin.original.meta;
  const records = indicatorsOf(bulletin).map((indicator) => [
    bulletin.id,
    indicator.type,
    indicator.value,
    indicator.defanged,
    String(indicator.benignHost),
    String(indicator.misp.toIds),
    indicator.description.es,
    indicator.description.en ?? "",
    `TLP:${meta.tlp}`,
    meta.published,
  ]);
  return stringify(records, { ...CSV_OPTIONS, header: false });
}
