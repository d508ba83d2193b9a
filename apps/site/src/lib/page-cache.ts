/**
 * Bulletin pages rendered by earlier builds, so that a build after one edit renders the pages of that bulletin
 * only (a thousand-bulletin archive has two thousand bulletin pages; the other pages are few).
 *
 * A bulletin page is a function of its own inputs and of the code: its page data and HTML (`pages/<slug>/`), the
 * checksums of its downloads, the site's code, every package's built code, the lockfile and the site URL. The first
 * three are named by the key `atrc publish` gives the bulletin (`pages/keys.json`: the hash of its sources, options
 * and code). The cache is content-addressed by a hash of exactly those, so an entry can only be reused for a
 * page that would come out byte for byte the same (`test/e2e/output.test.ts` builds the site with and without
 * the cache and compares every file). Only `npm run build` (the publish pipeline) uses it.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
} from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { PAGE_KEYS, type BulletinSummary, type Lang } from "@atrc/bulletin";
import { getBulletins, getDocuments } from "./bulletins.ts";
import { PUBLISH_DIR, REPO_ROOT } from "./content.ts";
import { LANGS, pathTo } from "./routes.ts";

const SITE_ROOT = path.join(REPO_ROOT, "apps/site");

/**
 * Where rendered pages are kept: bulletin pages as `<key>.html`, the other pages as `route-*` files (route-cache.ts).
 * `$ATRC_PAGE_CACHE_DIR` moves it, for tests.
 */
export const PAGE_CACHE_DIR = path.resolve(
  REPO_ROOT,
  process.env.ATRC_PAGE_CACHE_DIR ?? "node_modules/.cache/atrc/site-pages",
);

/** One bulletin page the build does not render, and the cached file it gets instead. */
export interface CachedPage {
  readonly slug: string;
  readonly lang: Lang;
  /** Path of the page under the site root (`/es/boletines/<slug>/`). */
  readonly route: string;
  readonly file: string;
}

/** The plan of a build: the cache key of every bulletin page, and the pages that are already in the cache. */
export interface PagePlan {
  readonly keys: ReadonlyMap<string, string>;
  readonly cached: ReadonlyMap<string, CachedPage>;
}

const planKey = (slug: string, lang: Lang) => `${lang}/${slug}`;

async function hashTree(hash: ReturnType<typeof createHash>, dir: string): Promise<void> {
  if (!existsSync(dir)) return;
  const names = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  for (const name of names) hash.update(path.relative(REPO_ROOT, name)).update(await readFile(name));
}

/** Hash of everything but the content that shapes a page: the site's code, all built packages, the lockfile. */
async function hashCode(): Promise<string> {
  const hash = createHash("sha256");
  hash.update(process.env.ATRC_SITE_URL ?? "").update("\0");
  for (const dir of ["src", "public"]) await hashTree(hash, path.join(SITE_ROOT, dir));
  for (const file of ["astro.config.ts", "package.json"])
    hash.update(await readFile(path.join(SITE_ROOT, file)));
  hash.update(await readFile(path.join(REPO_ROOT, "package-lock.json")));
  const packages = path.join(REPO_ROOT, "packages");
  for (const name of (await readdir(packages)).sort())
    await hashTree(hash, path.join(packages, name, "dist"));
  return hash.digest("hex");
}

const CODE = Symbol.for("atrc.codeVersion");

/**
 * Hash of everything but the content that shapes a page (see {@link hashCode}), computed once per process.
 *
 * @returns Hex SHA-256.
 */
export function codeVersion(): Promise<string> {
  const global = globalThis as typeof globalThis & { [CODE]?: Promise<string> };
  global[CODE] ??= hashCode();
  return global[CODE];
}

/** The plan is made once per build and shared by astro.config.ts and the pages (bundled apart, one process). */
const PLAN = Symbol.for("atrc.pagePlan");
type WithPlan = typeof globalThis & { [PLAN]?: Promise<PagePlan> };

/**
 * Which bulletin pages this build can take from the cache (none outside the publish pipeline).
 *
 * @param bulletins Every bulletin.
 * @returns The plan, computed once per process.
 */
export function getPagePlan(bulletins: readonly BulletinSummary[]): Promise<PagePlan> {
  const global = globalThis as WithPlan;
  global[PLAN] ??= plan(bulletins);
  return global[PLAN];
}

async function plan(bulletins: readonly BulletinSummary[]): Promise<PagePlan> {
  const keys = new Map<string, string>();
  const cached = new Map<string, CachedPage>();
  if (PUBLISH_DIR === undefined) return { keys, cached };
  const code = await codeVersion();
  // `atrc publish` keys each bulletin by what makes its page data, HTML and downloads: nothing to read or hash here.
  const sourceKeys = JSON.parse(await readFile(path.join(PUBLISH_DIR, "pages", PAGE_KEYS), "utf8")) as Record<
    string,
    string
  >;
  const found = new Map<string, { key: string; page?: CachedPage }>();
  for (const bulletin of bulletins) {
    const sourceKey = sourceKeys[bulletin.slug];
    if (sourceKey === undefined) throw new Error(`No key for ${bulletin.slug} in ${PAGE_KEYS}`);
    for (const lang of LANGS) {
      if (!bulletin.documents[lang]) continue;
      const key = createHash("sha256")
        .update(code)
        .update(`${lang}\0${bulletin.slug}\0${sourceKey}`)
        .digest("hex");
      const file = path.join(PAGE_CACHE_DIR, `${key}.html`);
      const route = pathTo(lang, "bulletin", bulletin.slug);
      found.set(planKey(bulletin.slug, lang), {
        key,
        ...(existsSync(file) ? { page: { slug: bulletin.slug, lang, route, file } } : {}),
      });
    }
  }
  for (const bulletin of bulletins) {
    for (const lang of LANGS) {
      const item = found.get(planKey(bulletin.slug, lang));
      if (!item) continue;
      keys.set(planKey(bulletin.slug, lang), item.key);
      if (item.page) cached.set(planKey(bulletin.slug, lang), item.page);
    }
  }
  return { keys, cached };
}

/**
 * Whether a bulletin page comes from the cache instead of being rendered.
 *
 * @param plan The build's plan.
 * @param slug Bulletin slug.
 * @param lang Language.
 * @returns True when the build skips the page.
 */
export function isCached(plan: PagePlan, slug: string, lang: Lang): boolean {
  return plan.cached.has(planKey(slug, lang));
}

/**
 * The folder beside the site's output that holds every bulletin page, taken from the cache or rendered and then
 * moved into it: `<outDir>-cached`, one symbolic link per page (`es/boletines/<slug>/index.html` → the cached file).
 * The last stage serves it with the output (`atrc publish --site <outDir> --site <outDir>-cached`).
 *
 * It is kept apart so that it can be brought up to date link by link: Astro starts from an empty output folder,
 * and making two thousand folders and links there again after every edit took 0.2 to 2 s on these machines.
 *
 * @param outDir The site's output folder.
 * @returns The folder of the cached pages.
 */
export function cachedPagesDir(outDir: string): string {
  return `${path.resolve(outDir)}-cached`;
}

/**
 * After the build: move the bulletin pages just rendered into the cache, and make the cached-pages folder hold a
 * link to each bulletin page (and nothing else).
 *
 * @param plan The build's plan.
 * @param outDir The site's output folder.
 * @param keep Other files of the cache this build used (the route cache's), kept from pruning.
 */
export function settlePages(plan: PagePlan, outDir: string, keep: ReadonlySet<string> = new Set()): void {
  // Synchronous calls throughout: thousands of links and stats on files just seen cost a fraction of promise round
  // trips, and the build has nothing else to do meanwhile.
  mkdirSync(PAGE_CACHE_DIR, { recursive: true });
  // The bulletin pages just rendered go into the cache for the next build, and out of the output: they are served
  // from the cache like the others (so the next build, which takes them from the cache, finds their links made).
  const linked: { route: string; file: string }[] = [...plan.cached.values()];
  for (const [id, key] of plan.keys) {
    if (plan.cached.has(id)) continue;
    const [lang, slug] = id.split("/") as [Lang, string];
    const route = pathTo(lang, "bulletin", slug);
    const rendered = path.join(outDir, route, "index.html");
    const file = path.join(PAGE_CACHE_DIR, `${key}.html`);
    let moved = true;
    try {
      renameSync(rendered, file);
    } catch {
      moved = false;
    }
    if (moved) {
      linked.push({ route, file });
      // Its folder too, now empty (fewer folders for the next build to delete).
      try {
        rmdirSync(path.dirname(rendered));
      } catch {
        // Not empty after all: left to the next build.
      }
      continue;
    }
    // Another file system: copied (aside, then renamed: a stopped build never leaves half a page in the cache), and
    // the page stays in the output.
    const staging = `${file}.tmp-${process.pid}`;
    copyFileSync(rendered, staging);
    renameSync(staging, file);
  }
  // Symbolic links (relative, so the repository may move): Turborepo keeps the stage's output with the links
  // themselves, not two thousand pages' bytes, and the last stage links the files they point to into dist. Only
  // the links that are not already there are made (after one edit: that bulletin's).
  const linksDir = cachedPagesDir(outDir);
  // Links are made in a folder of their own and renamed into place: one a stopped build leaves there is removed
  // with the folder by the next build (below), where one left beside a page would be served with it.
  const staging = path.join(linksDir, `.tmp-${process.pid}`);
  let stagingMade = false;
  const wanted = new Set<string>();
  for (const page of linked) {
    const target = path.join(linksDir, page.route, "index.html");
    wanted.add(target);
    const link = path.relative(path.dirname(target), page.file);
    let current: string | undefined;
    try {
      current = readlinkSync(target);
    } catch {
      current = undefined;
    }
    if (current === link) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    // Made aside and renamed over the old one.
    if (!stagingMade) {
      rmSync(staging, { recursive: true, force: true });
      mkdirSync(staging, { recursive: true });
      stagingMade = true;
    }
    const aside = path.join(staging, "index.html");
    try {
      symlinkSync(link, aside);
    } catch {
      copyFileSync(page.file, aside);
    }
    renameSync(aside, target);
  }
  // (The staging folder goes too: it holds no page.)
  removeOthers(linksDir, wanted);
  prune(plan, keep);
}

/**
 * Remove from `dir` every file and folder that holds no page of `wanted` (full paths of `<route>/index.html`
 * files). A page's own folder is not read: it holds its `index.html` only (anything else there would be another
 * build's, which the last stage removes; see scripts/build-dist.sh), so two thousand pages cost a few `readdir`s.
 */
function removeOthers(dir: string, wanted: ReadonlySet<string>): void {
  const pageDirs = new Set([...wanted].map((file) => path.dirname(file)));
  const needed = new Set<string>();
  for (const pageDir of pageDirs) {
    for (let folder = path.dirname(pageDir); folder.length > dir.length; folder = path.dirname(folder))
      needed.add(folder);
  }
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && pageDirs.has(full)) continue;
      if (entry.isDirectory() && needed.has(full)) walk(full);
      else rmSync(full, { recursive: true, force: true });
    }
  };
  walk(dir);
}

/**
 * `getStaticPaths` of the bulletin pages of one language: every bulletin with that language, but the pages an
 * earlier build rendered from the very same inputs (they are linked in after the build instead).
 *
 * @param lang Language.
 * @returns The paths to render.
 */
export async function bulletinPaths(lang: Lang): Promise<{ params: { slug: string } }[]> {
  const plan = await getPagePlan(await getBulletins());
  return (await getDocuments(lang))
    .filter(({ bulletin }) => !isCached(plan, bulletin.slug, lang))
    .map(({ bulletin }) => ({ params: { slug: bulletin.slug } }));
}

/** How long a cached page no build has used stays. */
const CACHE_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** A used file's modification time is brought up to date once it is older than this (not by every build). */
const TOUCH_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Mark this build's files as used; remove the files no build has used for {@link CACHE_TTL_MS}.
 *
 * @param plan The build's plan (its pages).
 * @param keep Other files this build used.
 */
function prune(plan: PagePlan, keep: ReadonlySet<string>): void {
  const now = new Date();
  const used = new Set([...[...plan.keys.values()].map((key) => `${key}.html`), ...keep]);
  // One stat per file; a write only for a used file not marked for a day and for a stale one (writes to thousands
  // of files' metadata after every edit were slower than reading it).
  for (const name of readdirSync(PAGE_CACHE_DIR)) {
    const file = path.join(PAGE_CACHE_DIR, name);
    const info = statSync(file, { throwIfNoEntry: false });
    if (!info) continue;
    const age = now.getTime() - info.mtimeMs;
    if (used.has(name)) {
      if (age > TOUCH_AFTER_MS) utimesSync(file, now, now);
    } else if (age > CACHE_TTL_MS) rmSync(file, { force: true });
  }
}
