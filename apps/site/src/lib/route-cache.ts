/**
 * The other pages of the site (home, archive, tags, actors, TLP, search, subscribe, feeds, 404) as earlier builds
 * rendered them, so that a build after an edit that leaves them alone does not render them again. The bulletin
 * pages have a cache of their own (page-cache.ts); this one serves the publish pipeline only.
 *
 * What a page shows depends on the code, its URL, the bulletins' summaries (`pages/index.json`: every list is made
 * of them) and, for the pages that ask for it, the downloads' sizes and checksums (`pages/downloads.json`). While a
 * page renders, the data it reads is noted (page-reads.ts); the cache entry is keyed by the hash of exactly
 * those inputs, so an entry can only serve a page that would come out byte for byte the same. A page that reads a
 * bulletin's own data (its page data or HTML) is not kept here.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PAGE_INDEX } from "@atrc/bulletin";
import { DOWNLOADS_INDEX } from "@atrc/export";
import { PUBLISH_DIR } from "./content.ts";
import { codeVersion, PAGE_CACHE_DIR } from "./page-cache.ts";
import { recordReads, type PageInput } from "./page-reads.ts";

/** What a cached page's record holds: the inputs it read, its status and headers. */
interface RouteRecord {
  readonly reads: readonly PageInput[];
  readonly status: number;
  readonly headers: readonly [string, string][];
}

/** Shared by every bundle of the build (astro.config.ts and the pages are bundled apart, in one process). */
const STATE = Symbol.for("atrc.routeCache");
interface RouteCacheState {
  /** Whether a build started ({@link startRouteCache}): the dev server renders every request. */
  active: boolean;
  /** Cache files this build used (kept by the prune in page-cache.ts). */
  readonly used: Set<string>;
  /** Pages served from the cache. */
  served: number;
  hashes?: Promise<{ code: string; summaries: string; downloads: string }>;
}

function state(): RouteCacheState {
  const global = globalThis as typeof globalThis & { [STATE]?: RouteCacheState };
  global[STATE] ??= { active: false, used: new Set(), served: 0 };
  return global[STATE];
}

const sha256 = (data: string | Uint8Array) => createHash("sha256").update(data).digest("hex");

function inputHashes(dir: string): NonNullable<RouteCacheState["hashes"]> {
  const current = state();
  current.hashes ??= codeVersion().then((code) => ({
    code,
    summaries: sha256(readFileSync(path.join(dir, "pages", PAGE_INDEX))),
    downloads: sha256(readFileSync(path.join(dir, "pages", DOWNLOADS_INDEX))),
  }));
  return current.hashes;
}

/** File name of a route's record (the inputs its page read, its status and headers). */
const recordName = (hashes: Awaited<ReturnType<typeof inputHashes>>, route: string) =>
  `route-${sha256(`${hashes.code}\0${route}`)}.json`;

/** File name of a route's page made from the inputs it reads. */
const bodyName = (
  hashes: Awaited<ReturnType<typeof inputHashes>>,
  route: string,
  inputs: readonly PageInput[],
) =>
  `route-${sha256(
    `${hashes.code}\0${route}\0${hashes.summaries}${inputs.includes("downloads") ? `\0${hashes.downloads}` : ""}`,
  )}.body`;

function readRecord(file: string): RouteRecord | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RouteRecord;
  } catch {
    return undefined;
  }
}

/** Written aside and renamed: a stopped build never leaves half a file in the cache. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  const staging = `${file}.tmp-${process.pid}`;
  writeFileSync(staging, data);
  renameSync(staging, file);
}

/**
 * Serve a page from the cache when an earlier build rendered it from the same inputs; otherwise render it (noting
 * what it reads) and keep it. Outside the publish pipeline's build (no publish folder, or the dev server), just
 * render.
 *
 * @param route The page's path (`/es/archivo/`).
 * @param render Renders the page (Astro's `next`).
 * @returns The page.
 */
export async function cachedRoute(route: string, render: () => Promise<Response>): Promise<Response> {
  if (PUBLISH_DIR === undefined || !state().active) return render();
  const hashes = await inputHashes(PUBLISH_DIR);
  const { used } = state();
  const recordFile = recordName(hashes, route);
  const known = readRecord(path.join(PAGE_CACHE_DIR, recordFile));
  if (known) {
    const body = bodyName(hashes, route, known.reads);
    try {
      const bytes = readFileSync(path.join(PAGE_CACHE_DIR, body));
      used.add(recordFile).add(body);
      state().served++;
      return new Response(bytes, { status: known.status, headers: [...known.headers] });
    } catch {
      // Not rendered from these inputs yet.
    }
  }
  const { response, read } = await recordReads(render);
  if (read.has("bulletin") || !response.ok) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  const record: RouteRecord = {
    reads: [...read].sort(),
    status: response.status,
    headers: [...response.headers],
  };
  const body = bodyName(hashes, route, record.reads);
  mkdirSync(PAGE_CACHE_DIR, { recursive: true });
  // The body first: a record names the inputs, and the body is found by their hash.
  writeAtomically(path.join(PAGE_CACHE_DIR, body), bytes);
  writeAtomically(path.join(PAGE_CACHE_DIR, recordFile), JSON.stringify(record));
  used.add(recordFile).add(body);
  return new Response(bytes, { status: record.status, headers: [...record.headers] });
}

/** Serve and keep pages from now on: called when a build starts (the dev server never calls it). */
export function startRouteCache(): void {
  state().active = true;
}

/**
 * What the route cache did in this build.
 *
 * @returns The cache files it used (to keep) and how many pages it served.
 */
export function routeCacheUse(): { used: ReadonlySet<string>; served: number } {
  const { used, served } = state();
  return { used, served };
}
