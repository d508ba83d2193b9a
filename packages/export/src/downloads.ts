/**
 * The downloads index: every published file's size and SHA-256 in one small JSON file, written by `atrc publish`
 * beside the pages' data. The site shows them next to each download without opening the downloads.
 */
import { compareUtf16 } from "./ids.js";

/** File name of the index (in the pages folder of `atrc publish`). */
export const DOWNLOADS_INDEX = "downloads.json";

/** One published file. */
export interface Download {
  /** Size in bytes. */
  readonly size: number;
  /** Lower-case hex SHA-256. */
  readonly sha256: string;
}

/**
 * The index of some downloads, in path order (deterministic).
 *
 * @param downloads Path under the site root (`pdf/atrc-2023-001-es.pdf`, `iocs/all.csv`) to its size and checksum.
 * @returns JSON text: `{ "<path>": { "size": n, "sha256": "…" } }` and a final newline.
 * @example
 * downloadsIndexText(new Map([["iocs/all.csv", { size: 120, sha256: "ab…" }]]))
 */
export function downloadsIndexText(downloads: ReadonlyMap<string, Download>): string {
  const paths = [...downloads.keys()].sort(compareUtf16);
  const entries = paths.map((path) => {
    const { size, sha256 } = downloads.get(path)!;
    return `${JSON.stringify(path)}:{"size":${size},"sha256":${JSON.stringify(sha256)}}`;
  });
  return `{${entries.join(",\n")}}\n`;
}

/**
 * Read a downloads index.
 *
 * @param text What {@link downloadsIndexText} wrote.
 * @returns Path to size and checksum, in path order.
 */
export function parseDownloadsIndex(text: string): Map<string, Download> {
  const parsed = JSON.parse(text) as Record<string, Download>;
  const downloads = new Map<string, Download>();
  for (const [path, { size, sha256 }] of Object.entries(parsed)) {
    if (!Number.isSafeInteger(size) || !/^[0-9a-f]{64}$/u.test(sha256))
      throw new TypeError(`Unexpected entry \`${path}\` in the downloads index`);
    downloads.set(path, { size, sha256 });
  }
  return downloads;
}
