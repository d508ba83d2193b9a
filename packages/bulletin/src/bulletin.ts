import { VFile } from "vfile";
import { hasErrors, report } from "./diagnostics.js";
import type { Bulletin, BulletinDocument, DataTable, Lang } from "./model.js";
import { LANGS } from "./model.js";
import { parseDocument } from "./parse.js";

/** One source file of a bulletin, already read. */
export interface SourceFile {
  /** Path shown in diagnostics, e.g. `content/bulletins/2023-03-3cx/es.md`. */
  readonly path: string;
  /** Markdown text. */
  readonly value: string;
}

/** Options of {@link parseBulletin} and {@link checkBulletins}. */
export interface CheckOptions {
  /** Content goes to the public site and feeds, so only TLP:CLEAR is allowed (default: `true`). */
  readonly public?: boolean | undefined;
}

/** What checking a bulletin gives: the model when nothing is fatal, and the files with their messages. */
export interface BulletinResult {
  /** The bulletin, present only when no file has an error. */
  readonly bulletin: Bulletin | undefined;
  /** One file per language, in `LANGS` order, carrying the diagnostics. */
  readonly files: readonly VFile[];
}

/**
 * Parse and check one bulletin folder: each language on its own, then the translation against its original.
 *
 * @param slug Folder name (`2023-03-3cx`).
 * @param sources The Markdown files by language (`es` is the original).
 * @param options Check options.
 * @returns The model (only when there is no error) and the files with every diagnostic.
 * @example
 * const { bulletin, files } = parseBulletin("2023-03-3cx", { es: { path, value } })
 */
export function parseBulletin(
  slug: string,
  sources: Partial<Record<Lang, SourceFile>>,
  options: CheckOptions = {},
): BulletinResult {
  const files: VFile[] = [];
  const documents: Partial<Record<Lang, BulletinDocument>> = {};
  for (const lang of LANGS) {
    const source = sources[lang];
    if (!source) continue;
    const file = new VFile({ path: source.path, value: source.value });
    files.push(file);
    const document = parseDocument(file, { lang });
    if (!document) continue;
    documents[lang] = document;
    if ((options.public ?? true) && document.meta.tlp !== "CLEAR") {
      report(
        file,
        "tlp-not-public",
        `Unexpected \`TLP:${document.meta.tlp}\` on the public site, expected \`TLP:CLEAR\``,
        {
          place: { line: 2, column: 1 },
          note: "TLP:GREEN and above forbid public channels; publish it through a private build (`--private`) instead",
        },
      );
    }
  }

  const original = documents.es;
  const esFile = files.find((file) => file.path === sources.es?.path);
  const enFile = files.find((file) => file.path === sources.en?.path);
  if (!sources.es && enFile) {
    report(
      enFile,
      "translation-missing",
      "Unexpected translation without its original, expected `es.md` beside it",
      {
        note: "every bulletin is written first in Spanish (`es.md`); `atrc new <slug>` creates both files",
      },
    );
  } else if (!sources.en && esFile) {
    report(
      esFile,
      "translation-missing",
      "Unexpected bulletin without an English translation, expected `en.md` beside it",
      {
        note: "translate the bulletin into `en.md`, with `translation: { source: es, revision: <n> }`",
      },
    );
  }
  if (original && documents.en && enFile) compareTranslation(original, documents.en, enFile);

  if (!original || hasErrors(files)) return { bulletin: undefined, files };
  return { bulletin: { id: original.meta.id, slug, original, documents }, files };
}

/** Report every way a translation disagrees with its original. */
function compareTranslation(original: BulletinDocument, translation: BulletinDocument, file: VFile): void {
  const a = original.meta;
  const b = translation.meta;
  const lines = String(file.value).split("\n");
  /** The line of a front matter field in the translation, so drift points at what to edit. */
  const fieldPlace = (name: string) => {
    const index = lines.findIndex((line) => line.startsWith(`${name}:`));
    return { line: index === -1 ? 1 : index + 1, column: 1 };
  };
  const iocTable = translation.tables.find((table) => table.isIndicatorTable);
  const tablePlace = iocTable?.place ?? { line: 1, column: 1 };
  const referencesPlace = translation.references[0]?.place ?? { line: 1, column: 1 };
  for (const field of ["id", "tlp", "published", "modified", "severity"] as const) {
    if (a[field] !== b[field]) {
      report(
        file,
        "translation-drift",
        `Unexpected \`${field}\` \`${b[field]}\`, expected \`${a[field]}\` as in the original`,
        {
          place: fieldPlace(field),
          note: "id, TLP, severity and dates are shared by every language; change them in both files",
        },
      );
    }
  }
  for (const field of ["attack", "actors", "malware"] as const) {
    if (a[field].join("\n") !== b[field].join("\n")) {
      report(
        file,
        "translation-drift",
        `Unexpected \`${field}\` [${b[field].join(", ")}], expected [${a[field].join(", ")}] as in the original`,
        {
          place: fieldPlace(field),
          note: "names and technique ids are not translated; keep the same list in both files",
        },
      );
    }
  }
  if (b.translation && b.translation.revision !== a.revision) {
    report(
      file,
      "translation-outdated",
      `Unexpected translation of revision ${b.translation.revision}, expected revision ${a.revision} of the original`,
      {
        place: fieldPlace("translation"),
        note: "bring the translation up to date, then set `translation.revision` to the original's revision",
      },
    );
  }

  const originalKeys = new Map(original.indicators.map((indicator) => [indicator.key, indicator]));
  const translatedKeys = new Map(translation.indicators.map((indicator) => [indicator.key, indicator]));
  for (const [key, indicator] of translatedKeys) {
    if (!originalKeys.has(key)) {
      report(
        file,
        "translation-drift",
        `Unexpected indicator \`${indicator.defanged}\`, expected only the original's indicators`,
        {
          place: indicator.place,
          note: "the indicator set is shared: add it to es.md too, or remove it here",
        },
      );
    }
  }
  for (const [key, indicator] of originalKeys) {
    if (!translatedKeys.has(key)) {
      report(
        file,
        "translation-drift",
        `Unexpected missing indicator \`${indicator.defanged}\`, expected every indicator of the original`,
        {
          place: tablePlace,
          note: `es.md lists it at line ${indicator.place.line}; add the same row here`,
        },
      );
    }
  }

  const originalUrls = new Set(original.references.map((reference) => reference.url));
  const translatedUrls = new Set(translation.references.map((reference) => reference.url));
  for (const reference of translation.references) {
    if (!originalUrls.has(reference.url)) {
      report(
        file,
        "translation-drift",
        `Unexpected reference \`${reference.url}\`, expected only the original's references`,
        {
          place: reference.place,
          note: "both languages cite the same sources",
        },
      );
    }
  }
  for (const reference of original.references) {
    if (!translatedUrls.has(reference.url)) {
      report(
        file,
        "translation-drift",
        `Unexpected missing reference \`${reference.url}\`, expected every reference of the original`,
        {
          place: referencesPlace,
          note: `es.md cites it at line ${reference.place.line}; add it to the References section here`,
        },
      );
    }
  }

  const dataA = original.tables.filter((table) => !table.isIndicatorTable);
  const dataB = translation.tables.filter((table) => !table.isIndicatorTable);
  if (dataA.length !== dataB.length) {
    report(
      file,
      "translation-drift",
      `Unexpected ${dataB.length} data tables, expected ${dataA.length} as in the original`,
      {
        place: { line: 1, column: 1 },
        note: "translate every table of the original, and add none",
      },
    );
  }
  for (let index = 0; index < Math.min(dataA.length, dataB.length); index++) {
    compareTableNumbers(dataA[index]!, dataB[index]!, file);
  }
}

function compareTableNumbers(a: DataTable, b: DataTable, file: VFile): void {
  if (a.rows.length !== b.rows.length) {
    report(
      file,
      "translation-drift",
      `Unexpected ${b.rows.length} rows in table “${b.heading}”, expected ${a.rows.length} as in the original`,
      {
        place: b.place,
        note: "keep every row of the original table, in the same order",
      },
    );
    return;
  }
  for (let row = 0; row < a.rows.length; row++) {
    const numbersA = a.rows[row]!.flatMap((cell) => numbersIn(cell, "es"));
    const numbersB = b.rows[row]!.flatMap((cell) => numbersIn(cell, "en"));
    if (numbersA.join(" ") !== numbersB.join(" ")) {
      report(
        file,
        "translation-drift",
        `Unexpected numbers ${numbersB.join(", ") || "(none)"} in row ${row + 1} of table “${b.heading}”, expected ${numbersA.join(", ") || "(none)"}`,
        {
          place: { line: b.place.line + row + 2, column: 1 },
          note: "numbers are written per locale (`4.385` in es, `4,385` in en) but must be the same",
        },
      );
    }
  }
}

/**
 * The numbers in a cell, read per locale: in Spanish `.` groups thousands and `,` is the decimal
 * separator; in English the reverse.
 */
export function numbersIn(text: string, lang: Lang): number[] {
  const group = lang === "es" ? "." : ",";
  const decimal = lang === "es" ? "," : ".";
  const numbers: number[] = [];
  for (const match of text.matchAll(/\d[\d.,\u00a0\u202f]*\d|\d/gu)) {
    const token = match[0].replace(/[\u00a0\u202f]/gu, "");
    const normalised = token.split(group).join("").replace(decimal, ".");
    const value = Number(normalised);
    if (!Number.isNaN(value)) numbers.push(value);
  }
  return numbers;
}

/**
 * Bulletins with an id of their own, newest first (by published date, then id). A bulletin that reuses an
 * earlier one's id gets an `id-duplicate` error on its original file and is left out.
 *
 * @param bulletins Bulletins without errors, in folder order (the first to use an id keeps it).
 * @param files The checked files, to report on.
 * @returns The bulletins to publish.
 * @example
 * const bulletins = uniqueIds(parsed, files)
 */
export function uniqueIds<
  B extends Pick<Bulletin, "id"> & { readonly original: Pick<BulletinDocument, "path" | "meta"> },
>(bulletins: readonly B[], files: readonly VFile[]): B[] {
  const byId = new Map<string, B>();
  const valid: B[] = [];
  for (const bulletin of bulletins) {
    const earlier = byId.get(bulletin.id);
    if (earlier) {
      const file = files.find((candidate) => candidate.path === bulletin.original.path);
      if (file) {
        report(
          file,
          "id-duplicate",
          `Unexpected id \`${bulletin.id}\`, already used by \`${earlier.original.path}\``,
          {
            place: { line: 2, column: 1 },
            note: "every bulletin needs its own id; `atrc new` picks the next free one",
          },
        );
      }
      continue;
    }
    byId.set(bulletin.id, bulletin);
    valid.push(bulletin);
  }
  return valid.sort(
    (a, b) => b.original.meta.published.localeCompare(a.original.meta.published) || b.id.localeCompare(a.id),
  );
}
