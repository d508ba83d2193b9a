/**
 * The bulletin model: what every renderer (site, PDF, exports) consumes.
 * Renderers never re-parse Markdown; they walk `body` (mdast) or read the typed fields.
 */
import type { IocType } from "@atrc/ioc";
import type { Root } from "mdast";

/** Languages a bulletin is written in. Spanish is the original, English the translation. */
export type Lang = "es" | "en";

/** All languages, original first. */
export const LANGS: readonly Lang[] = ["es", "en"];

/** TLP 2.0 labels (FIRST), without the `TLP:` prefix. Never translated. */
export type Tlp = "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";

/** All TLP 2.0 labels, least to most restrictive. */
export const TLPS: readonly Tlp[] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

/** Severity of a bulletin, lowest to highest. */
export type Severity = "low" | "medium" | "high" | "critical";

/** All severities, lowest first. */
export const SEVERITIES: readonly Severity[] = ["low", "medium", "high", "critical"];

/** How a translation relates to its original. Present only in translations. */
export interface TranslationOf {
  /** Language of the original document. */
  readonly source: Lang;
  /** Revision of the original that this translation follows. */
  readonly revision: number;
}

/** Front matter of one document, validated. Dates are `YYYY-MM-DD` strings (UTC calendar days). */
export interface BulletinMeta {
  /** Bulletin id, `ATRC-YYYY-NNN`, shared by every language of the bulletin. */
  readonly id: string;
  readonly lang: Lang;
  readonly title: string;
  readonly summary: string;
  readonly published: string;
  readonly modified: string;
  /** Starts at 1; raised with every published change. */
  readonly revision: number;
  readonly tlp: Tlp;
  readonly severity: Severity;
  readonly tags: readonly string[];
  /** Threat actors, with aliases as separate entries (`Lazarus Group`, `APT38`). */
  readonly actors: readonly string[];
  /** Affected products. */
  readonly products: readonly string[];
  /** Malware families named in the bulletin (`SmoothOperator`). */
  readonly malware: readonly string[];
  /** MITRE ATT&CK technique ids (`T1195.002`). */
  readonly attack: readonly string[];
  /** Present only in a translation. */
  readonly translation?: TranslationOf | undefined;
}

/** A place in a source file, 1-based, as in unist. */
export interface Place {
  readonly line: number;
  readonly column: number;
}

/** One row of the IOC table, validated and canonical. */
export interface Indicator {
  readonly type: IocType;
  /** Canonical, refanged value: the only form machine exports use. */
  readonly value: string;
  /** House-style defanged form: the only form people see. */
  readonly defanged: string;
  /** `<type>:<value>`, unique within a bulletin. */
  readonly key: string;
  /** Free-text description from the table (may be empty). */
  readonly description: string;
  /** True when the host is a well-known legitimate one (github.com, proton.me, ...). */
  readonly benignHost: boolean;
  /** Where the value cell starts in the source. */
  readonly place: Place;
}

/** A reference: a titled link in the References section. */
export interface Reference {
  readonly title: string;
  readonly url: string;
  readonly place: Place;
}

/** A GFM table in the body (the IOC table included), as plain cell text. */
export interface DataTable {
  /** Text of the nearest heading above the table. */
  readonly heading: string;
  /** Id (slug) of that heading, if any. */
  readonly headingId: string | undefined;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** True for the IOC table. */
  readonly isIndicatorTable: boolean;
  readonly place: Place;
}

/** A heading of the body, for tables of contents and PDF outlines. */
export interface Section {
  /** 2 for `##`, 3 for `###`, ... (the title is the only depth-1 heading and lives in `meta`). */
  readonly depth: number;
  readonly title: string;
  /** Stable slug, identical to the `id` attribute the HTML renderer gives the heading. */
  readonly id: string;
}

/** One language of a bulletin: the parsed, checked Markdown file. */
export interface BulletinDocument {
  /** Path of the source file, as given to the parser (for diagnostics). */
  readonly path: string;
  readonly meta: BulletinMeta;
  /** The body as mdast, front matter removed, IOC cells already rewritten to defanged inline code. */
  readonly body: Root;
  readonly sections: readonly Section[];
  readonly tables: readonly DataTable[];
  readonly indicators: readonly Indicator[];
  readonly references: readonly Reference[];
}

/** A bulletin: its folder and every language it exists in. */
export interface Bulletin {
  /** Bulletin id (`ATRC-2023-001`), from the front matter. */
  readonly id: string;
  /** Folder name under `content/bulletins/` (`2023-03-3cx`); used in URLs and file names. */
  readonly slug: string;
  /** The original (Spanish) document. */
  readonly original: BulletinDocument;
  /** Every language present, the original included. */
  readonly documents: Readonly<Partial<Record<Lang, BulletinDocument>>>;
}
