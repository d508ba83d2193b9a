/**
 * MISP event JSON (FORMATS §3.1) and the static MISP feed over many events (§3.3): `manifest.json`, `hashes.csv` and
 * one `<event-uuid>.json` per event, which a MISP instance can subscribe to as a "MISP Feed" source.
 */
import type { PageBulletin as Bulletin, Severity, Tlp } from "@atrc/bulletin";
import { hash } from "node:crypto";
import { compareUtf16, mispUuid, producerNamespace } from "./ids.js";
import { commentOf, indicatorsOf } from "./indicators.js";
import { checkedSiteUrl, epochSeconds, type ExportOptions } from "./options.js";

/** A MISP tag as feeds carry it. */
export interface MispTag {
  readonly name: string;
  readonly colour: string;
}

/** A MISP attribute, with only the fields PyMISP's `to_feed()` keeps. */
export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly value: string;
  readonly to_ids: boolean;
  readonly comment: string;
  readonly timestamp: string;
  readonly deleted: false;
  readonly disable_correlation: false;
}

/** A MISP event wrapped as `{"Event": …}`, as feeds and manual imports want it. */
export interface MispEvent {
  readonly Event: {
    readonly uuid: string;
    readonly info: string;
    readonly date: string;
    readonly threat_level_id: "1" | "2" | "3" | "4";
    readonly analysis: "0" | "1" | "2";
    readonly published: boolean;
    readonly timestamp: string;
    readonly publish_timestamp: string;
    readonly Orgc: { readonly name: string; readonly uuid: string };
    readonly Tag: readonly MispTag[];
    readonly Attribute: readonly MispAttribute[];
  };
}

/** TLP tags of the MISP `tlp` taxonomy, with its colours. */
const TLP_TAGS: Readonly<Record<Tlp, MispTag>> = {
  CLEAR: { name: "tlp:clear", colour: "#ffffff" },
  GREEN: { name: "tlp:green", colour: "#339900" },
  AMBER: { name: "tlp:amber", colour: "#FFC000" },
  "AMBER+STRICT": { name: "tlp:amber+strict", colour: "#FFC000" },
  RED: { name: "tlp:red", colour: "#CC0033" },
};

/** MISP threat levels: 1 high, 2 medium, 3 low (4 undefined is never used: every bulletin has a severity). */
const THREAT_LEVELS: Readonly<Record<Severity, "1" | "2" | "3">> = {
  critical: "1",
  high: "1",
  medium: "2",
  low: "3",
};

/**
 * The MISP event of a bulletin, as data.
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns `{ Event }`; serialise it with {@link toMisp}.
 * @example
 * toMispEvent(bulletin, { siteUrl: "https://atrc.example" }).Event.Attribute.length // 22 for 3CX
 */
export function toMispEvent(bulletin: Bulletin, options: ExportOptions): MispEvent {
  const ns = producerNamespace(checkedSiteUrl(options));
  const meta = bulletin.original.meta;
  const timestamp = epochSeconds(meta.modified);
  return {
    Event: {
      uuid: mispUuid(ns, `event|${bulletin.id}`),
      info: oneLine(meta.title, 256),
      date: meta.published,
      threat_level_id: THREAT_LEVELS[meta.severity],
      analysis: "2",
      published: true,
      timestamp,
      publish_timestamp: timestamp,
      Orgc: { name: "ATRc", uuid: mispUuid(ns, "org|ATRc") },
      Tag: [TLP_TAGS[meta.tlp]],
      Attribute: indicatorsOf(bulletin).map((indicator) => ({
        uuid: mispUuid(ns, `attribute|${bulletin.id}|${indicator.key}`),
        type: indicator.misp.type,
        category: indicator.misp.category,
        value: indicator.value,
        to_ids: indicator.misp.toIds,
        comment: commentOf(indicator),
        timestamp,
        deleted: false,
        disable_correlation: false,
      })),
    },
  };
}

/**
 * The MISP event of a bulletin as JSON text, for a manual import (2-space indent, LF, final newline).
 *
 * @param bulletin The checked bulletin.
 * @param options Export options.
 * @returns `{"Event": …}` as JSON.
 * @example
 * const misp = toMisp(bulletin, { siteUrl: "https://atrc.example" })
 */
export function toMisp(bulletin: Bulletin, options: ExportOptions): string {
  return `${mispBody(toMispEvent(bulletin, options))}\n`;
}

/**
 * A MISP event as JSON text, without the final newline: `iocs/<id>.misp.json` and the feed's `<uuid>.json` are this
 * and `\n` (`exportAll` encodes the two pieces without concatenating them, see `jsonBody`).
 *
 * @param event The event.
 * @returns `{"Event": …}` as JSON, without the final newline.
 * @example
 * `${mispBody(toMispEvent(bulletin, options))}\n` === toMisp(bulletin, options) // true
 */
export function mispBody(event: MispEvent): string {
  return JSON.stringify({ Event: event.Event }, null, 2);
}

/**
 * The static MISP feed of many events: `manifest.json`, `hashes.csv` and `<uuid>.json` per event (FORMATS §3.3).
 *
 * @param events The events, in any order (the output is sorted by event uuid).
 * @returns File name (relative to the feed folder) to text.
 * @example
 * mispFeed([toMispEvent(bulletin, options)]).get("manifest.json")
 */
export function mispFeed(events: readonly MispEvent[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const event of [...events].sort((a, b) => compareUtf16(a.Event.uuid, b.Event.uuid)))
    files.set(`${event.Event.uuid}.json`, `${mispBody(event)}\n`);
  for (const [name, text] of mispFeedIndex(events.map(mispFeedEntry))) files.set(name, text);
  return files;
}

/** What the feed's index files need of one event: its uuid, its manifest entry and its `hashes.csv` lines. */
export interface MispFeedEntry {
  readonly uuid: string;
  readonly manifest: Readonly<Record<string, unknown>>;
  /** `<md5>,<uuid>\n` per attribute value (each part of a composite `a|b` value), as PyMISP's feed generator writes. */
  readonly hashes: string;
}

/**
 * The feed index data of one event (plain data: it can be cached with the event's file).
 *
 * @param wrapped The event.
 * @returns Its uuid, manifest entry and hash lines.
 */
export function mispFeedEntry(wrapped: MispEvent): MispFeedEntry {
  const event = wrapped.Event;
  let hashes = "";
  for (const attribute of event.Attribute) {
    const parts = attribute.type.includes("|") ? attribute.value.split("|") : [attribute.value];
    for (const part of parts) hashes += `${hash("md5", part, "hex")},${event.uuid}\n`;
  }
  return {
    uuid: event.uuid,
    manifest: {
      Orgc: event.Orgc,
      Tag: event.Tag.map((tag) => ({
        name: tag.name,
        colour: tag.colour,
        local: false,
        relationship_type: "",
      })),
      info: event.info,
      date: event.date,
      analysis: event.analysis,
      threat_level_id: event.threat_level_id,
      timestamp: event.timestamp,
    },
    hashes,
  };
}

/**
 * The feed's `manifest.json` and `hashes.csv` over some events, sorted by event uuid.
 *
 * @param entries What {@link mispFeedEntry} gave for each event, in any order.
 * @returns File name (relative to the feed folder) to text.
 * @throws {TypeError} When two events share a uuid.
 */
export function mispFeedIndex(entries: readonly MispFeedEntry[]): Map<string, string> {
  const sorted = [...entries].sort((a, b) => compareUtf16(a.uuid, b.uuid));
  const manifest: Record<string, unknown> = {};
  let previous: string | undefined;
  for (const entry of sorted) {
    if (entry.uuid === previous)
      throw new TypeError(`Expected one event per uuid, not two \`${entry.uuid}\``);
    previous = entry.uuid;
    manifest[entry.uuid] = entry.manifest;
  }
  return new Map([
    ["manifest.json", `${JSON.stringify(manifest, null, 2)}\n`],
    ["hashes.csv", sorted.map((entry) => entry.hashes).join("")],
  ]);
}

/** MISP wants `info` on one line and at most 256 characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}
