export { parseBulletin, numbersIn, uniqueIds } from "./bulletin.js";
export type { BulletinResult, CheckOptions, SourceFile } from "./bulletin.js";
export { hasErrors, report, restoreFiles, serializeFiles } from "./diagnostics.js";
export type { FileData, MessageData, Place as DiagnosticPlace, ReportOptions } from "./diagnostics.js";
export { parseFrontmatter } from "./frontmatter.js";
export { toHtml } from "./html.js";
export {
  defangIndicatorTables,
  IOC_HEADING,
  iocColumns,
  REFERENCES_HEADING,
  remarkAtrcIndicators,
  TYPE_LABELS,
} from "./mdast-util-ioc-table.js";
export { LANGS, SEVERITIES, TLPS } from "./model.js";
export type {
  Bulletin,
  BulletinDocument,
  BulletinMeta,
  DataTable,
  Indicator,
  Lang,
  Place,
  Reference,
  Section,
  Severity,
  Tlp,
  TranslationOf,
} from "./model.js";
export { parseDocument } from "./parse.js";
export { getRule, RULES, RULES_URL } from "./rules.js";
export type { Rule, RuleId, RuleSeverity } from "./rules.js";
export {
  PAGE_INDEX,
  PAGE_KEYS,
  pageDataPath,
  pageFiles,
  pageHtmlPath,
  pageIndexText,
  readPageData,
  readPageIndex,
  toPageData,
  toStoredPage,
  toStoredSummary,
  toSummary,
} from "./pages.js";
export type {
  BulletinOf,
  BulletinSummary,
  DocumentSummary,
  PageBulletin,
  PageData,
  PageDocument,
  PageIndex,
  PageOutline,
  StoredBulletin,
} from "./pages.js";
