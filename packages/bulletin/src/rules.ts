/**
 * The rule catalogue: every diagnostic the checker can produce. Rule ids are permanent
 * (renaming one breaks analysts' muscle memory and any tooling that filters on it).
 */

/** Severity of a rule: an error stops publishing, a warning does not. */
export type RuleSeverity = "error" | "warning";

/** One rule of the catalogue. */
export interface Rule {
  readonly id: RuleId;
  readonly severity: RuleSeverity;
  /** What the rule guards against, one sentence (used in `docs/rules.md` and `atrc check --help`). */
  readonly description: string;
}

/** Base URL of the rule documentation; each rule has an anchor named after its id. */
export const RULES_URL = "https://github.com/atrc-press/atrc-press/blob/main/docs/rules.md";

const catalogue = {
  "frontmatter-missing": { severity: "error", description: "The front matter block is missing or empty." },
  "frontmatter-yaml": { severity: "error", description: "The front matter is not valid YAML." },
  "frontmatter-missing-field": {
    severity: "error",
    description: "A required front matter field is missing.",
  },
  "frontmatter-invalid-field": {
    severity: "error",
    description: "A front matter field has the wrong type, format or value.",
  },
  "frontmatter-unknown-field": {
    severity: "warning",
    description: "A front matter field is not part of the format (often a typo).",
  },
  "lang-mismatch": {
    severity: "error",
    description: "The `lang` field does not match the file name (`es.md`, `en.md`).",
  },
  "tlp-not-public": {
    severity: "error",
    description: "Only TLP:CLEAR content may be published on the public site and feeds.",
  },
  "ioc-section-missing": {
    severity: "warning",
    description: "The bulletin has no indicators-of-compromise section.",
  },
  "ioc-table-missing": {
    severity: "error",
    description: "The indicators section has no table, or the table has no indicator column.",
  },
  "ioc-invalid": { severity: "error", description: "An indicator is not a valid value of its type." },
  "ioc-type-unknown": {
    severity: "error",
    description: "The type cell names a type the checker does not know.",
  },
  "ioc-type-mismatch": {
    severity: "error",
    description: "The type cell disagrees with the type of the value.",
  },
  "ioc-live": {
    severity: "error",
    description: "An indicator is written live (fanged); sources hold defanged values only.",
  },
  "ioc-duplicate": { severity: "error", description: "The same indicator appears twice in the table." },
  "ioc-benign-domain": {
    severity: "warning",
    description: "A well-known legitimate host is published as a domain indicator on its own.",
  },
  "link-outside-references": {
    severity: "warning",
    description: "A link outside the References section; sources belong in References.",
  },
  "reference-invalid": {
    severity: "error",
    description: "A References item is not a single http(s) link with a title.",
  },
  "translation-missing": {
    severity: "warning",
    description: "A bulletin has only one of its two languages.",
  },
  "translation-drift": {
    severity: "error",
    description:
      "The translation disagrees with its original (indicators, references, table numbers, TLP, dates, id).",
  },
  "translation-outdated": {
    severity: "warning",
    description: "The translation follows an older revision of the original.",
  },
  "id-duplicate": { severity: "error", description: "Two bulletins share the same id." },
  "encoding-invalid": { severity: "error", description: "The file is not valid UTF-8." },
} as const satisfies Record<string, Omit<Rule, "id">>;

/** Every rule id. */
export type RuleId = keyof typeof catalogue;

/** The whole catalogue, sorted by id. */
export const RULES: readonly Rule[] = Object.entries(catalogue)
  .map(([id, rule]) => ({ id: id as RuleId, ...rule }))
  .sort((a, b) => a.id.localeCompare(b.id));

/**
 * Look up a rule.
 *
 * @param id Rule id.
 * @returns The rule.
 * @example
 * getRule("ioc-invalid").severity // "error"
 */
export function getRule(id: RuleId): Rule {
  return { id, ...catalogue[id] };
}
