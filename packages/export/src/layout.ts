/** The published file layout: one description per kind of file, for docs, the site and the CLI. */

/** One kind of file in the export layout. */
export interface ExportFile {
  /** Path relative to the site root; `{id}` is the lower-cased bulletin id, `{uuid}` a MISP event uuid, `{file}` any other path. */
  readonly path: string;
  /** `bulletin`: one per public bulletin; `site`: one for the whole site. */
  readonly scope: "bulletin" | "site";
  /** What the file is, in a few words. */
  readonly format: string;
  /** Media type to serve it with. */
  readonly mediaType: string;
  /** One sentence for the docs. */
  readonly description: string;
}

/**
 * Every kind of file {@link exportAll} writes, in documentation order. The same relative paths are used by
 * `atrc export --out <dir>` and by the site.
 *
 * @example
 * EXPORT_FILES.map((file) => file.path) // ["iocs/{id}.json", "iocs/{id}.csv", …]
 */
export const EXPORT_FILES: readonly ExportFile[] = Object.freeze([
  {
    path: "iocs/{id}.json",
    scope: "bulletin",
    format: "ATRc IOC JSON v1",
    mediaType: "application/json",
    description:
      "Bulletin metadata and its indicators, refanged, with defanged forms, descriptions (es, en) and STIX/MISP ids.",
  },
  {
    path: "iocs/{id}.csv",
    scope: "bulletin",
    format: "CSV (RFC 4180)",
    mediaType: "text/csv; charset=utf-8; header=present",
    description:
      "One row per indicator; UTF-8 without BOM, CRLF, free-text cells protected against formula injection.",
  },
  {
    path: "iocs/{id}.stix.json",
    scope: "bulletin",
    format: "STIX 2.1 bundle",
    mediaType: "application/stix+json;version=2.1",
    description:
      "Identity, TLP 2.0 marking, report, one indicator and observable per IOC, malware, actor and ATT&CK techniques.",
  },
  {
    path: "iocs/{id}.misp.json",
    scope: "bulletin",
    format: "MISP event JSON",
    mediaType: "application/json",
    description: 'The bulletin as one MISP event (`{"Event": …}`) for a manual import.',
  },
  {
    path: "iocs/all.json",
    scope: "site",
    format: "ATRc IOC JSON v1",
    mediaType: "application/json",
    description: "Every public bulletin with its indicators, newest first.",
  },
  {
    path: "iocs/all.csv",
    scope: "site",
    format: "CSV (RFC 4180)",
    mediaType: "text/csv; charset=utf-8; header=present",
    description: "Every indicator of every public bulletin, newest bulletin first.",
  },
  {
    path: "feeds/misp/manifest.json",
    scope: "site",
    format: "MISP feed manifest",
    mediaType: "application/json",
    description:
      "Index of the MISP feed: one entry per event uuid. Subscribe a MISP instance to `feeds/misp/`.",
  },
  {
    path: "feeds/misp/hashes.csv",
    scope: "site",
    format: "MISP feed hashes (CSV, no header)",
    mediaType: "text/csv; charset=utf-8; header=absent",
    description: "`md5(value),event_uuid` per attribute, for MISP's fast correlation.",
  },
  {
    path: "feeds/misp/{uuid}.json",
    scope: "bulletin",
    format: "MISP event JSON",
    mediaType: "application/json",
    description: "One MISP event per public bulletin (same bytes as `iocs/{id}.misp.json`).",
  },
  {
    path: "feeds/index.txt",
    scope: "site",
    format: "Text, one path per line",
    mediaType: "text/plain; charset=utf-8",
    description: "Every per-bulletin export file, relative to the site root, sorted (CSAF-style index).",
  },
  {
    path: "feeds/changes.csv",
    scope: "site",
    format: "CSV (no header)",
    mediaType: "text/csv; charset=utf-8; header=absent",
    description: '`"path","timestamp"` per per-bulletin export file, newest change first (CSAF-style).',
  },
  {
    path: "schema/atrc-iocs-v1.json",
    scope: "site",
    format: "JSON Schema (draft 2020-12)",
    mediaType: "application/schema+json",
    description: "The schema of `iocs/{id}.json` and `iocs/all.json`.",
  },
  {
    path: "SHA256SUMS",
    scope: "site",
    format: "sha256sum output",
    mediaType: "text/plain; charset=utf-8",
    description:
      "`<sha256>  <path>` for every file above, sorted by path; check with `sha256sum -c SHA256SUMS`.",
  },
  {
    path: "{file}.sha256",
    scope: "site",
    format: "sha256sum output, one line",
    mediaType: "text/plain; charset=utf-8",
    description: "`<sha256>  <basename>` beside every file above except `SHA256SUMS`.",
  },
] satisfies ExportFile[]);
