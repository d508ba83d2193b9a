import type { VFile } from "vfile";
import { isMap, isScalar, LineCounter, parseDocument, type Node as YamlNode, type Pair } from "yaml";
import { z } from "zod";
import { report } from "./diagnostics.js";
import { LANGS, SEVERITIES, TLPS, type BulletinMeta, type Lang, type Tlp } from "./model.js";

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as `YYYY-MM-DD`")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "expected a real calendar date");

const listOf = (item: z.ZodString) =>
  z.array(item).refine((list) => new Set(list).size === list.length, "expected no repeated entries");
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "expected some text")
    .max(max, `expected at most ${max} characters`)
    .refine((value) => !/[\r\n]/.test(value), "expected a single line");

/** One schema per field, so each problem is reported at its own key with its own message. */
const fields = {
  id: z.string().regex(/^ATRC-\d{4}-\d{3,}$/, "expected an id like `ATRC-2023-001`"),
  lang: z.enum(LANGS as [Lang, ...Lang[]]),
  title: text(200),
  summary: text(400),
  published: dateSchema,
  modified: dateSchema,
  revision: z.number().int("expected a whole number").min(1, "expected 1 or more"),
  tlp: z
    .string()
    .refine((value) => TLPS.some((tlp) => `TLP:${tlp}` === value), {
      message: `expected one of ${TLPS.map((tlp) => `\`TLP:${tlp}\``).join(", ")}`,
    })
    .transform((value) => value.slice(4) as Tlp),
  severity: z.enum(SEVERITIES as [string, ...string[]]),
  tags: listOf(z.string().trim().min(1)),
  actors: listOf(z.string().trim().min(1)),
  products: listOf(z.string().trim().min(1)),
  malware: listOf(z.string().trim().min(1)),
  attack: listOf(
    z.string().regex(/^T\d{4}(?:\.\d{3})?$/, "expected an ATT&CK technique id like `T1195.002`"),
  ),
  translation: z
    .object({
      source: z.enum(LANGS as [Lang, ...Lang[]]),
      revision: z.number().int().min(1),
    })
    .strict(),
} as const;

type FieldName = keyof typeof fields;

const required: readonly FieldName[] = [
  "id",
  "lang",
  "title",
  "summary",
  "published",
  "modified",
  "revision",
  "tlp",
  "severity",
  "tags",
  "actors",
  "products",
  "attack",
];

const hints: Partial<Record<FieldName, string>> = {
  id: "use `ATRC-<year>-<number>`, the same id in every language of the bulletin",
  tlp: "write the TLP 2.0 label as FIRST spells it, e.g. `tlp: TLP:CLEAR`; labels are never translated",
  published: "write the date as `YYYY-MM-DD`, e.g. `2023-03-30`",
  modified: "write the date as `YYYY-MM-DD`; raise `revision` too when you change a published bulletin",
  severity: "one of `low`, `medium`, `high`, `critical`",
  attack: "use MITRE ATT&CK technique ids such as `T1195.002`",
  translation: "a translation needs `translation: { source: es, revision: <revision of the original> }`",
};

/** Where the front matter sits in the file: the line of its opening `---`. */
export interface FrontmatterSource {
  readonly value: string;
  /** 1-based line of the opening `---`. */
  readonly line: number;
}

/**
 * Parse and validate front matter, reporting every problem on `file`.
 *
 * @param file File to report on.
 * @param source The YAML text and where it starts.
 * @param expectedLang Language the file name implies, if any.
 * @returns The metadata, or `undefined` when any field is missing or invalid.
 * @example
 * const meta = parseFrontmatter(file, { value: "id: ATRC-2023-001\n…", line: 1 }, "es")
 */
export function parseFrontmatter(
  file: VFile,
  source: FrontmatterSource | undefined,
  expectedLang: Lang | undefined,
): BulletinMeta | undefined {
  if (source === undefined || source.value.trim() === "") {
    report(file, "frontmatter-missing", "Unexpected missing front matter, expected a `---` YAML block", {
      note: "start the file with a `---` block holding id, title, dates, TLP and the other fields (see docs/bulletin-format.md)",
    });
    return undefined;
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(source.value, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const placeOf = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: source.line + line, column: col };
  };
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      report(file, "frontmatter-yaml", `Unexpected YAML: ${error.message.split("\n")[0] ?? error.code}`, {
        place: placeOf(error.pos[0]),
        note: "quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `'`, `\"`, `%` or `@`",
      });
    }
    return undefined;
  }
  if (!isMap(document.contents)) {
    report(
      file,
      "frontmatter-yaml",
      "Unexpected front matter, expected a YAML mapping of `field: value` lines",
      {
        place: { line: source.line + 1, column: 1 },
      },
    );
    return undefined;
  }
  const pairs = new Map<string, Pair<unknown, unknown>>();
  for (const pair of document.contents.items) {
    if (isScalar(pair.key)) pairs.set(String(pair.key.value), pair);
  }
  const raw = document.toJS() as Record<string, unknown>;
  const endPlace = { line: source.line, column: 1 };
  const keyPlace = (name: string) => {
    const range = (pairs.get(name)?.key as YamlNode | undefined)?.range;
    return range ? placeOf(range[0]) : endPlace;
  };
  const valuePlace = (name: string) => {
    const range = (pairs.get(name)?.value as YamlNode | undefined)?.range;
    return range ? placeOf(range[0]) : keyPlace(name);
  };

  let ok = true;
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(raw)) {
    if (!(name in fields)) {
      const known = Object.keys(fields);
      const close = known.find((candidate) => editDistance(candidate, name) <= 2);
      report(
        file,
        "frontmatter-unknown-field",
        `Unexpected field \`${name}\`, expected one of the known fields`,
        {
          place: keyPlace(name),
          note: close ? `did you mean \`${close}\`?` : `known fields: ${known.join(", ")}`,
          actual: name,
          expected: known,
        },
      );
    }
  }
  for (const name of Object.keys(fields) as FieldName[]) {
    const value = raw[name];
    if (value === undefined || value === null) {
      if (
        required.includes(name) ||
        (name === "translation" && expectedLang !== undefined && expectedLang !== "es")
      ) {
        report(file, "frontmatter-missing-field", `Unexpected missing \`${name}\`, expected a value`, {
          place: endPlace,
          note: hints[name] ?? `add \`${name}:\` to the front matter (see docs/bulletin-format.md)`,
          expected: [name],
        });
        ok = false;
      }
      continue;
    }
    const result = fields[name].safeParse(value);
    if (result.success) {
      values[name] = result.data;
    } else {
      const issue = result.error.issues[0];
      const shown = typeof value === "string" ? value : JSON.stringify(value);
      const expectation =
        issue?.code === "invalid_type"
          ? `expected ${issue.expected}`
          : issue?.code === "invalid_value"
            ? `expected one of ${issue.values.map((entry) => `\`${String(entry)}\``).join(", ")}`
            : (issue?.message ?? "expected a valid value");
      report(file, "frontmatter-invalid-field", `Unexpected \`${name}\` \`${shown}\`, ${expectation}`, {
        place: valuePlace(name),
        note: hints[name],
        actual: shown,
      });
      ok = false;
    }
  }
  if (!ok) return undefined;

  const meta = values as unknown as BulletinMeta & { malware?: readonly string[] };
  let consistent = true;
  if (meta.modified < meta.published) {
    report(
      file,
      "frontmatter-invalid-field",
      `Unexpected \`modified\` \`${meta.modified}\` before \`published\` \`${meta.published}\`, expected the same day or later`,
      { place: valuePlace("modified"), note: hints.modified },
    );
    consistent = false;
  }
  if (expectedLang !== undefined && meta.lang !== expectedLang) {
    report(
      file,
      "lang-mismatch",
      `Unexpected \`lang\` \`${meta.lang}\` in \`${expectedLang}.md\`, expected \`${expectedLang}\``,
      {
        place: valuePlace("lang"),
        note: `name the file after its language, or set \`lang: ${expectedLang}\``,
      },
    );
    consistent = false;
  }
  if (meta.lang === "es" && meta.translation !== undefined) {
    report(
      file,
      "frontmatter-invalid-field",
      "Unexpected `translation` in the Spanish original, expected it only in translations",
      {
        place: keyPlace("translation"),
        note: "remove `translation:` from es.md; en.md names es.md as its source",
      },
    );
    consistent = false;
  }
  if (!consistent) return undefined;
  return { ...meta, malware: meta.malware ?? [] };
}

/** Levenshtein distance, for "did you mean" hints on short field names. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
