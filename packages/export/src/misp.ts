/**
 * MISP event JSON (FORMATS §3.1) and the static MISP feed over many events (§3.3): `manifest.json`, `hashes.csv` and
 * one `<event-uuid>.json` per event, which a MISP instance can subscribe to as a "MISP Feed" source.
 */
import type { Bulletin, Severity, Tlp } from "@atrc/bulletin";
import { createHash } from "node:crypto";
import { compareUtf16, mispUuid, producerNamespace } from "./ids.js";
import { commentOf, exportIndicators } from "./indicators.js";
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
      Attribute: exportIndicators(bulletin).map((indicator) => ({
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
  return json(toMispEvent(bulletin, options));
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
  const sorted = [...events].sort((a, b) => compareUtf16(a.Event.uuid, b.Event.uuid));
  const manifest: Record<string, unknown> = {};
  const hashes: string[] = [];
  const files = new Map<string, string>();
  for (const { Event: event } of sorted) {
    if (files.has(`${event.uuid}.json`))
      throw new TypeError(`Expected one event per uuid, not two \`${event.uuid}\``);
    files.set(`${event.uuid}.json`, json({ Event: event }));
    manifest[event.uuid] = {
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
    };
    // One line per attribute value (each part of a composite `a|b` value), as PyMISP's feed generator writes it.
    for (const attribute of event.Attribute) {
      const parts = attribute.type.includes("|") ? attribute.value.split("|") : [attribute.value];
      for (const part of parts)
        hashes.push(`${createHash("md5").update(part, "utf8").digest("hex")},${event.uuid}\n`);
    }
  }
  files.set("manifest.json", json(manifest));
  files.set("hashes.csv", hashes.join(""));
  return files;
}

/** MISP wants `info` on one line and at most 256 characters. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/gu, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
