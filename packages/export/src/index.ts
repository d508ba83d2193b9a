export { CSV_COLUMNS, toCsv } from "./csv.js";
export { DOWNLOADS_INDEX, downloadsIndexText, parseDownloadsIndex } from "./downloads.js";
export type { Download } from "./downloads.js";
export {
  aggregateCopies,
  aggregateFiles,
  aggregatePart,
  bulletinFiles,
  checksumFiles,
  exportAll,
  exportBulletin,
  exportPaths,
  exportTexts,
  PART_FILES,
  partFiles,
  pdfAttachments,
  publicBulletins,
  sha256,
} from "./export.js";
export type {
  AggregatePart,
  Aggregates,
  Attachment,
  Chunks,
  BulletinPaths,
  BulletinTexts,
  ExportAllOptions,
} from "./export.js";
export { producerNamespace, scoId, STIX_SCO_NAMESPACE } from "./ids.js";
export { compareIndicators, exportIndicators, MISP_MAPPING } from "./indicators.js";
export type { ExportIndicator, MispMapping } from "./indicators.js";
export { toJson, toJsonExport } from "./json.js";
export type { JsonBulletin, JsonCollection, JsonExport, JsonIndicator } from "./json.js";
export { EXPORT_FILES } from "./layout.js";
export type { ExportFile } from "./layout.js";
export { mispFeed, mispFeedEntry, mispFeedIndex, toMisp, toMispEvent } from "./misp.js";
export type { MispAttribute, MispEvent, MispFeedEntry, MispTag } from "./misp.js";
export { fileIdOf, pageUrl } from "./options.js";
export type { ExportOptions } from "./options.js";
export { IOC_JSON_SCHEMA, IOC_SCHEMA_ID } from "./schema.js";
export { stixPattern, tlpMarking, toStix, toStixBundle } from "./stix.js";
export type { StixBundle, StixObject } from "./stix.js";
