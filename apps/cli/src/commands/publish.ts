import { createHash, randomUUID } from "node:crypto";
import {
  closeSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { DocumentSummary, Lang, StoredBulletin } from "@atrc/bulletin";
import { findContentFolders, LANGS, readSources, type FolderSources } from "@atrc/bulletin/node";
import type { Chunks, Download } from "@atrc/export";
import { codeVersion } from "../code-version.js";
import { UsageError, type Command } from "../io.js";
import { asUsageError, contentRoots, printReport } from "../load.js";
import { DEFAULT_SITE_URL, jobsOption, parseOptions, siteUrlOption, showHelp } from "../options.js";
import { Pool, runInPool } from "../pool.js";
import { ENTRY_FILE, ENTRY_VERSION } from "../entry.js";
import {
  foldersUnchanged,
  foldersWithin,
  readFolderRecord,
  removeFolderRecord,
  stampFolders,
  writeFolderRecord,
} from "../folder-stamps.js";
import type { PublishEntry, PublishJob } from "../publish-job.js";
import {
  removeOtherShards,
  SHARDS_FILE,
  searchPageHtml,
  searchShard,
  shardsIndexText,
  startSearch,
  type SearchPage,
  type SearchSession,
} from "../search.js";
import { syncLinks, toRelative, type FileId, type LinkSource } from "../sync.js";
import { replaceFile } from "../write.js";

const help = `Usage: atrc publish [paths...] --out <dir> [options]

Check every bulletin and make everything there is to publish, in one pass over
the Markdown (worker processes, one per core):

  <dir>/pages/      index.json, <slug>/<lang>.html and downloads.json (size and
                    SHA-256 of every download): what the site builds its pages from
  <dir>/pdf/        the PDF advisories (as \`atrc pdf\` makes them)
  <dir>/exports/    JSON, CSV, STIX 2.1, MISP feed, SHA256SUMS covering the PDFs too
                    (as \`atrc export --checksum pdf=<dir>/pdf\` makes them)
  <dir>/search/     with --search: the site's search index (Pagefind) of the
                    bulletin pages, served at /pagefind/: one index per year of
                    publication (pagefind/<year>/, listed in pagefind/shards.json),
                    so an edit re-indexes only its bulletin's year

When any bulletin has an error, the report is printed and nothing is written.
Otherwise <dir> ends up holding exactly these files (files of deleted bulletins
disappear); only what changed is written, and a run that finds nothing changed
stops early (<dir>/manifest.json records what <dir> holds; <dir>/run-key is
its key: equal keys, equal content, code, options and cache).
Paths are content roots, bulletin folders or Markdown files (default: content/).

Options:
  -o, --out <dir>       folder to publish into (required)
  --cache <dir>         keep each bulletin's results there, keyed by its Markdown and
                        the code: the next run only redoes the bulletins that changed
                        (entries no run has used for 14 days are removed)
  --site-url <url>      public site URL (default: $ATRC_SITE_URL or ${DEFAULT_SITE_URL})
  --private             allow TLP other than TLP:CLEAR (only TLP:CLEAR is exported)
  --jobs <n>            worker processes (default: one per core)
  --search              also index the bulletin pages for the site's search (their id,
                        title, summary and text, not the indicator tables)
  --site <dir> --dist <dir>
                        also make <dist> the complete static site: the site built at
                        <dir> (from <out>/pages) and every download at its place
                        (pdf/…, iocs/…, feeds/…, SHA256SUMS, pagefind/…), linking only what changed;
                        repeat --site for a site built in parts (pages, search index):
                        a file may come from one part only. <out>/site-record.json
                        records the folders of <out>, <dir> and <dist> as the run left
                        them: while none changed, the next run does not look at each file
                        (<out>/dist-record.json: the files of <dist>, looked at again
                        only when one of its folders changed)
  -h, --help            show this help

Exit codes: 0 published, 1 errors in the content (nothing written), 2 bad usage.

Examples:
  atrc publish --out public
  atrc publish content --out apps/site/.publish --cache node_modules/.cache/atrc/publish --search
  atrc publish content --out apps/site/.publish --cache node_modules/.cache/atrc/publish --search \\
    --site apps/site/.site --dist apps/site/dist`;

/** One bulletin folder and where its results are. */
interface Item {
  /** The folder (absolute path). */
  readonly path: string;
  readonly slug: string;
  /**
   * Hash of how the file system describes its Markdown files (see {@link folderStat}), with the code, options and
   * working folder: any write to a file changes its change time, so an equal hash means a file need not be read.
   */
  readonly sig: string;
  /** Its cache entry's key (hash of its Markdown, the options and the code). */
  readonly key: string;
  readonly dir: string;
  /** Its Markdown, when it was read (not read when the folder is as the previous run saw it). */
  sources?: FolderSources | undefined;
  entry?: PublishEntry | undefined;
}

/** What the search pages of one bulletin are made of: its entry folder, summary, languages with a body, and bodies. */
interface SearchBulletin {
  readonly dir: string;
  readonly summary: StoredBulletin<DocumentSummary>;
  readonly langs: readonly Lang[];
  readonly body: (lang: Lang) => string;
}

/**
 * With at most `earlyLimit` bulletins to render, the search index starts before they are rendered (see slowPath).
 * Exported for tests, which compare both ways.
 */
export const searchTuning = { earlyLimit: 8 };

/** `atrc publish`: check, pages, PDFs and exports of every bulletin, in one pass. */
export const publishCommand: Command = {
  name: "publish",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (showHelp(values, help, io)) return 0;
    if (!values.out) throw new UsageError("Missing --out <dir>, expected the folder to publish into");
    const siteUrl = siteUrlOption(values["site-url"]);
    const threads = jobsOption(values.jobs);
    const isPublic = !values.private;
    const search = values.search === true;
    const outDir = path.resolve(io.cwd, values.out);
    // Without --cache, results live in a scratch folder beside the output (same file system: hard links).
    const scratch = values.cache === undefined ? `${outDir}.cache-${randomUUID()}` : undefined;
    const cacheDir = scratch ?? path.resolve(io.cwd, values.cache!);
    if ((values.site === undefined) !== (values.dist === undefined))
      throw new UsageError("Expected --site <dir> and --dist <dir> together");
    const site =
      values.site === undefined || values.dist === undefined
        ? undefined
        : {
            parts: values.site.map((part) => path.resolve(io.cwd, part)),
            to: path.resolve(io.cwd, values.dist),
          };
    // The record of `--dist`'s folders (see SITE_RECORD_FILE), and of its files (see DIST_RECORD_FILE).
    const siteRecord = path.join(outDir, SITE_RECORD_FILE);
    const distRecord = path.join(outDir, DIST_RECORD_FILE);
    // Both folders end up holding exactly what is published: nothing else may live in them.
    const inside = (child: string, parent: string) => {
      const relative = path.relative(parent, child);
      return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
    };
    const roots = contentRoots(positionals, io);
    const owned: [string, string][] = [["--out", outDir]];
    if (site) owned.push(["--dist", site.to]);
    for (const [option, dir] of owned) {
      const others = [...roots, cacheDir, ...(site?.parts ?? [])];
      if (option === "--dist") others.push(outDir);
      const clash = others.find((other) => inside(other, dir) || inside(dir, other));
      if (clash !== undefined)
        throw new UsageError(
          `Unexpected ${option} ${path.relative(io.cwd, dir) || "."}: it would hold or be inside ${path.relative(io.cwd, clash) || "."}, expected a folder of its own (anything else in it is removed)`,
        );
    }
    try {
      return await publish();
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }

    /** The closing line of a run. */
    function done(summary: RunSummary, fromCache: number, count: number): void {
      const shown = path.relative(io.cwd, outDir) || ".";
      const total = summary.bulletins;
      const cached = fromCache === 0 ? "" : ` (${fromCache} of ${count} from the cache)`;
      const warned =
        summary.warnings === 0
          ? ""
          : `, ${summary.warnings} layout ${summary.warnings === 1 ? "warning" : "warnings"}`;
      io.stderr(
        `✔ Published ${total} ${total === 1 ? "bulletin" : "bulletins"}${cached} to ${shown}: ` +
          `${summary.pdfs} PDFs, ${summary.exported} exported${warned}.\n`,
      );
    }

    /** Whether the output is what `manifest` says, and made for the same terminal. */
    function unchanged(manifest: Manifest | undefined): manifest is Manifest {
      return (
        manifest !== undefined &&
        manifest.color === io.color &&
        (outputRecorded(manifest) || inPlace(outDir, manifest.files))
      );
    }

    /**
     * A run that finds the output up to date.
     *
     * @param manifest The output's manifest.
     * @param count Bulletins.
     * @param siteInPlace Whether `--dist` is known to be up to date too (see {@link siteRecorded}).
     */
    function reuse(manifest: Manifest, count: number, siteInPlace = false): number {
      writeRunKey(outDir, manifest.key);
      io.stderr(manifest.report);
      if (!siteInPlace) updateSite(manifest);
      done(manifest.summary, count, count);
      return 0;
    }

    /** The key of a record of `--dist` made from `manifest`'s output (and the same folders). */
    function siteKey(manifest: Manifest): string {
      return hashOf([manifest.key, outDir, site?.parts, site?.to]);
    }

    /**
     * Whether the output, the site's folders and `--dist` are as the last run that brought `--dist` up to date for
     * this output left them: then every file of all of them is still in place (see folder-stamps.ts), without a
     * look at each.
     */
    function siteRecorded(manifest: Manifest): boolean {
      if (!site || manifest.color !== io.color) return false;
      const record = readFolderRecord(siteRecord);
      return record?.key === siteKey(manifest) && foldersUnchanged(record);
    }

    /**
     * Bring `--dist` up to date with the output and the site, and record its folders as they then are, and its files
     * apart (see DIST_RECORD_FILE).
     */
    function updateSite(manifest: Manifest): void {
      if (!site) return;
      const held = distHeld(site.to);
      removeFolderRecord(siteRecord);
      removeFolderRecord(distRecord);
      const { folders, ids } = syncSite(site.parts, site.to, outDir, manifest.files, held);
      const stamps = folders && stampFolders(folders);
      if (!stamps) return;
      writeFolderRecord(siteRecord, siteKey(manifest), stamps, outputKey(manifest));
      const files = [...ids].map(([relative, { dev, ino }]) => [relative, dev, ino] as const);
      writeFolderRecord(distRecord, site.to, foldersWithin(stamps, site.to), "", files);
    }

    /**
     * The files `--dist` holds, when its folders are as the run that last brought it up to date left them (then it
     * holds the files that run recorded, whatever the output and the site hold now): `--dist` need not be listed and
     * each of its files looked at.
     */
    function distHeld(to: string): Map<string, FileId> | undefined {
      const record = readFolderRecord(distRecord);
      if (record?.key !== to || !record.files || !foldersUnchanged(record)) return undefined;
      return new Map(record.files.map(([relative, dev, ino]) => [relative, { dev, ino }]));
    }

    /**
     * Without `--dist` (the content stage), record the output's folders alone (see {@link outputRecorded}): the run
     * with `--dist` that follows then knows the output is in place without looking at each of its files. The record
     * vouches for no `--dist` (its key is no site's).
     */
    function recordOutput(manifest: Manifest): void {
      const folders = new Set<string>();
      for (const [relative] of manifest.files) addFolders(folders, outDir, relative);
      const stamps = stampFolders(folders);
      if (stamps) writeFolderRecord(siteRecord, "", stamps, outputKey(manifest));
    }

    /** The key of the output's part of a record: the output held `manifest`'s files. */
    function outputKey(manifest: Manifest): string {
      return hashOf([manifest.key, outDir]);
    }

    /**
     * Whether the output holds exactly `manifest`'s files, its folders being as the last run that recorded them left
     * them (see updateSite): a run after an edit then need not look at each file of the output to update it (with or
     * without `--dist`).
     */
    function outputRecorded(manifest: Manifest): boolean {
      const record = readFolderRecord(siteRecord);
      if (record?.part !== outputKey(manifest)) return false;
      return foldersUnchanged({ ...record, folders: foldersWithin(record.folders, outDir) });
    }

    async function publish(): Promise<number> {
      // Bulletins to render need a worker, which takes the better part of a second to load the parsers, renderers
      // and fonts: the critical path of an edit. Without `--dist` this is the content stage, which Turborepo runs
      // only when the content (or the code) changed, so one worker starts loading now, while this thread finds what
      // changed; it is stopped unused when nothing did. With `--dist` (the last stage, where nothing changed in the
      // usual case) it starts once something is known to have changed.
      const pool = threads > 1 ? new Pool() : undefined;
      if (!site) pool?.grow(1);
      try {
        return await publishWith(pool);
      } finally {
        await pool?.close();
      }
    }

    async function publishWith(pool: Pool | undefined): Promise<number> {
      const folders = await findContentFolders(roots).catch(asUsageError);
      const version = codeVersion();
      const options = JSON.stringify({ isPublic, siteUrl });

      // How the file system describes each folder's Markdown files, with the code and options (and the working
      // folder: the paths in diagnostics are relative to it). Nothing changed since the run that made the output
      // (the same descriptions, every output file still in place): say what that run said, and only bring the site
      // up to date.
      const context = `${version}\n${options}\n${search}\n${io.cwd}`;
      const sigs = folders.map((folder) =>
        createHash("sha256").update(context).update(folderStat(folder)).digest("base64url"),
      );
      const stamp = createHash("sha256").update(sigs.join("\n")).digest("hex");
      const previous = await readManifest(outDir);
      if (previous?.stamp === stamp) {
        if (siteRecorded(previous)) return reuse(previous, folders.length, true);
        if (unchanged(previous)) return reuse(previous, folders.length);
      }

      // Something changed, so bulletins will probably be rendered: one worker loads its code (if it has not started
      // yet) while this thread reads the content (more start when there are more jobs).
      pool?.grow(1);
      // Pagefind starts too (its process and an empty index), ready when the pages are.
      const searching = search ? startSearch() : undefined;
      try {
        return await slowPath(folders, sigs, version, options, stamp, previous, pool, searching);
      } finally {
        await searching?.close();
      }
    }

    async function slowPath(
      folders: readonly string[],
      sigs: readonly string[],
      version: string,
      options: string,
      stamp: string,
      previous: Manifest | undefined,
      pool: Pool | undefined,
      searching: SearchSession | undefined,
    ): Promise<number> {
      const read = (folder: string) => {
        try {
          return readSources(folder, io.cwd);
        } catch (error) {
          return asUsageError(error);
        }
      };
      // Each bulletin's entry is keyed by its Markdown, the options and the code. A folder described as the previous
      // run saw it keeps that run's key, and its Markdown is not read.
      const items: Item[] = folders.map((folder, index) => {
        const sig = sigs[index]!;
        const [knownSig, knownKey] = previous?.sources[folder] ?? [];
        const sources = knownSig === sig && knownKey !== undefined ? undefined : read(folder);
        const key = sources ? entryKey(sources, version, options) : knownKey!;
        const dir = path.join(cacheDir, key.slice(0, 2), key);
        return { path: folder, slug: path.basename(folder), sig, key, dir, sources };
      });
      const hasBadFiles = (item: Item) => (item.sources?.badFiles.length ?? 0) > 0;

      // The same Markdown (files touched but not changed): the same output.
      const runKey = hashOf({ search, entries: items.map((item) => item.dir) });
      if (previous?.key === runKey && !items.some(hasBadFiles) && unchanged(previous)) {
        writeManifest(outDir, { ...previous, stamp, sources: sourcesRecord(items) });
        return reuse(previous, items.length);
      }
      // Looked at while the workers render (the output is not touched before `OutputUpdate.start`).
      const inPlaceAsRecorded = previous !== undefined && outputRecorded(previous);

      // The bulletins that changed start rendering first, while this thread reads the other entries; an entry no
      // longer in the cache is rendered next (one batch at a time: the pool runs one at a time).
      const misses: Item[] = [];
      const render = async (batch: Item[]) => {
        if (batch.length === 0) return;
        misses.push(...batch);
        await runInPool(
          "publish",
          batch.map((item): PublishJob => ({
            slug: item.slug,
            sources: (item.sources ??= read(item.path)).sources,
            public: isPublic,
            siteUrl,
            dir: item.dir,
          })),
          threads,
          (index, entry) => {
            batch[index]!.entry = entry;
          },
          pool,
        );
      };
      const missing = (item: Item) => !hasBadFiles(item) && (item.entry = readEntry(item.dir)) === undefined;
      const first = render(items.filter((item) => item.sources !== undefined && missing(item)));
      const rest = items.filter((item) => item.sources === undefined && missing(item));
      const rendering = first.then(() => render(rest));
      // Awaited below, once this thread has done its share; a failure meanwhile is not an unhandled one.
      rendering.catch(() => undefined);

      // The parsers and exporters load only now: a run that finds nothing changed does without them.
      const {
        PAGE_INDEX,
        PAGE_KEYS,
        pageDataPath,
        pageHtmlPath,
        pageIndexText,
        parseBulletin,
        restoreFiles,
        toHtml,
        toStoredSummary,
        uniqueIds,
      } = await import("@atrc/bulletin");
      const {
        aggregateCopies,
        aggregateFiles,
        checksumFiles,
        DOWNLOADS_INDEX,
        downloadsIndexText,
        PART_FILES,
        pageUrl,
        partFiles,
        publicBulletins,
      } = await import("@atrc/export");
      // What `iocs/all.*` are made of (tens of megabytes): on a first run, read while the workers render; after
      // that, only if the previous run's files do not serve again (see `known` below).
      const parts = new Map<string, { json: Buffer; csv: Buffer }>();
      const readParts = (dir: string) => {
        let read = parts.get(dir);
        if (!read) {
          read = {
            json: readFileSync(path.join(dir, "parts", "all.json")),
            csv: readFileSync(path.join(dir, "parts", "all.csv")),
          };
          parts.set(dir, read);
        }
        return read;
      };
      if (misses.length > 0 && !previous) {
        for (const item of items) if (item.entry?.exports) readParts(item.dir);
      }

      // The search pages: one per bulletin and language, in slug order, each named by its bulletin's entry, and
      // grouped by shard (the year of publication: one index each, see search.ts), shards in order.
      const toSearchShards = (list: readonly SearchBulletin[]): Map<string, SearchPage[]> => {
        const shards = new Map<string, SearchPage[]>();
        const sorted = [...list].sort((a, b) =>
          a.summary.slug < b.summary.slug ? -1 : a.summary.slug > b.summary.slug ? 1 : 0,
        );
        for (const { dir, summary, langs, body } of sorted) {
          const shard = searchShard(summary.documents[summary.original]!.meta.published);
          for (const lang of LANGS) {
            const document = summary.documents[lang];
            if (!document || !langs.includes(lang)) continue;
            const { id, title, summary: text } = document.meta;
            let pages = shards.get(shard);
            if (!pages) shards.set(shard, (pages = []));
            pages.push({
              url: pageUrl("", summary, lang),
              shard,
              lang,
              key: `${path.basename(dir)} ${lang}`,
              html: () => searchPageHtml({ lang, id, title, summary: text, body: body(lang) }),
            });
          }
        }
        return new Map([...shards].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      };
      // (Each page's key names its bulletin's cache entry, whose key already covers the code.)
      const searchKeyOf = (pages: readonly SearchPage[]) =>
        createHash("sha256")
          .update(pages.map((page) => `\n${page.url} ${page.key}`).join(""))
          .digest("hex");
      const blobs = new BlobStore(cacheDir);
      // The previous run's index of a shard, when it indexed the same pages and its files are still in the blob store.
      const reusableShard = (shard: string, key: string) => blobs.taken(previous?.search?.[shard], key);
      // A bulletin whose cache entry is known: its summary, and the bodies the entry holds.
      const fromEntry = (item: Item, summary: StoredBulletin<DocumentSummary>): SearchBulletin => ({
        dir: item.dir,
        summary,
        langs: item.entry!.html,
        body: (lang) => readFileSync(path.join(item.dir, "html", `${lang}.html`), "utf8"),
      });
      const searchPagesDir = path.join(cacheDir, SEARCH, "pages");
      const indexShard = (session: SearchSession, shard: string, pages: readonly SearchPage[]) =>
        session.index(pages, path.join(searchPagesDir, shard));

      // After an edit or two, the index need not wait for the workers: this thread parses the few changed bulletins
      // itself (with the functions the workers run, so the pages are the same), and Pagefind, in its own process,
      // indexes the shards they are in while they render. Checked again once they are done (below); an archive's first
      // run waits instead.
      const early = new Map<string, { key: string; files: Promise<Map<string, Buffer>> }>();
      const changed = items.filter((item) => item.entry === undefined);
      if (
        searching &&
        changed.length > 0 &&
        changed.length <= searchTuning.earlyLimit &&
        !items.some(hasBadFiles)
      ) {
        const list: SearchBulletin[] = [];
        for (const item of items) {
          const { entry } = item;
          if (entry) {
            if (entry.summary) list.push(fromEntry(item, entry.summary));
            continue;
          }
          const { bulletin } = parseBulletin(item.slug, (item.sources ??= read(item.path)).sources, {
            public: isPublic,
          });
          if (!bulletin) continue;
          list.push({
            dir: item.dir,
            summary: toStoredSummary(bulletin),
            langs: LANGS.filter((lang) => bulletin.documents[lang] !== undefined),
            body: (lang) => toHtml(bulletin.documents[lang]!),
          });
        }
        for (const [shard, pages] of toSearchShards(list)) {
          const key = searchKeyOf(pages);
          if (reusableShard(shard, key)) continue;
          const files = indexShard(searching, shard, pages);
          files.catch(() => undefined);
          early.set(shard, { key, files });
        }
      }
      // The cache is pruned while the workers render (after an edit, this thread has nothing else to do until they are
      // done): its entries this run does not use are removed once old, and those it uses marked now and then; so are
      // the blobs the previous run's output did not link. This run makes its own only after the workers, and of the
      // earlier ones it can only take again what that output links.
      if (!scratch) {
        pruneEntries(cacheDir, new Set(items.map((item) => item.dir)));
        if (previous) blobs.prune(previous.files.map(([, from]) => from));
      }
      await rendering;
      // The workers' memory goes back before Pagefind takes its own.
      await pool?.close();

      // The check's verdict, exactly as `atrc check` gives it (and kept, for a run that finds nothing changed).
      let printed = "";
      const report = (text: string) => {
        printed += text;
        io.stderr(text);
      };
      const checked: ReturnType<typeof restoreFiles> = [];
      const candidates: {
        id: string;
        original: DocumentSummary;
        item: Item;
        summary: StoredBulletin<DocumentSummary>;
      }[] = [];
      for (const item of items) {
        if (item.sources && hasBadFiles(item)) {
          // A file that is not UTF-8: check the other one, render nothing.
          const result = parseBulletin(item.slug, item.sources.sources, { public: isPublic });
          checked.push(...result.files, ...item.sources.badFiles);
          continue;
        }
        const entry = item.entry!;
        checked.push(...restoreFiles(entry.files));
        const original = entry.summary?.documents[entry.summary.original];
        if (entry.summary && original)
          candidates.push({ id: entry.summary.id, original, item, summary: entry.summary });
      }
      checked.sort((a, b) => a.path.localeCompare(b.path));
      const valid = uniqueIds(candidates, checked);
      const ok = printReport(
        checked,
        positionals,
        { ...io, stderr: report },
        {
          onError: "Fix the errors above; nothing was published.",
        },
      );
      if (!ok) return 1;

      // Every file of the output is a file of the cache: the bulletins' from their entries, the archive-wide ones
      // (made here) from the cache's blob store. The output is then brought up to date by hard links.
      const files = new Map<string, string>();
      const made = new Map<string, MadeFile>();
      const downloads = new Map<string, Download>();
      let warnings = 0;
      let pdfCount = 0;
      made.set(`pages/${PAGE_INDEX}`, madeFile(pageIndexText(valid.map((candidate) => candidate.summary))));
      // An entry's key names everything made from it: the site keys its rendered pages with it.
      const keys = Object.fromEntries(
        valid
          .map(({ item, summary }) => [summary.slug, path.basename(item.dir)] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      made.set(`pages/${PAGE_KEYS}`, madeFile(`${JSON.stringify(keys, null, 1)}\n`));
      // The search index, made by Pagefind in its own process while this thread makes the archive-wide files (unless
      // it was started before the workers finished, above, from the very same pages).
      // Each shard's index: the previous run's when its pages are the same, else made now (or earlier, above).
      const searchShards = search
        ? toSearchShards(valid.map(({ item, summary }) => fromEntry(item, summary)))
        : new Map<string, SearchPage[]>();
      const shardIndexes = new Map<
        string,
        { key: string; known?: Record<string, Download>; indexing?: Promise<Map<string, Buffer>> }
      >();
      for (const [shard, pages] of searchShards) {
        const key = searchKeyOf(pages);
        const known = reusableShard(shard, key);
        const started = early.get(shard);
        if (known) shardIndexes.set(shard, { key, known });
        else if (started?.key === key) shardIndexes.set(shard, { key, indexing: started.files });
        else {
          // (Not expected after an early start: the pages are made by the same functions from the same entries.)
          await started?.files.catch(() => undefined);
          const indexing = indexShard(searching!, shard, pages);
          // Awaited below, once this thread has done its share; a failure meanwhile is not an unhandled one.
          indexing.catch(() => undefined);
          shardIndexes.set(shard, { key, indexing });
        }
      }
      for (const { item, summary } of valid) {
        const entry = item.entry!;
        files.set(`pages/${pageDataPath(summary.slug)}`, path.join(item.dir, "page.json"));
        for (const lang of entry.html) {
          files.set(`pages/${pageHtmlPath(summary.slug, lang)}`, path.join(item.dir, "html", `${lang}.html`));
        }
        for (const pdf of entry.pdfs) {
          for (const warning of pdf.warnings) {
            report(`${pdf.source}: warning ${warning}  pdf-layout\n`);
            warnings++;
          }
          files.set(`pdf/${pdf.name}`, path.join(item.dir, "pdf", pdf.name));
          downloads.set(`pdf/${pdf.name}`, { size: pdf.size, sha256: pdf.sha256 });
          pdfCount++;
        }
      }
      // The exports: each bulletin's four files from its entry, the archive-wide ones made here.
      const exported = publicBulletins(valid).map(({ item }) => {
        const exports = item.entry!.exports;
        // Every TLP:CLEAR bulletin without an error has its exports in its entry.
        if (!exports) throw new Error(`No exports in the cache entry ${item.dir}`);
        for (const [relative, download] of Object.entries(exports.files)) {
          files.set(`exports/${relative}`, path.join(item.dir, "exports", relative));
          downloads.set(relative, download);
        }
        return { item, exports };
      });
      // `iocs/all.json` and `iocs/all.csv` are made of the bulletins' parts alone: when those are the previous run's
      // (the same SHA-256s in the same order, and the same code) and its two files are still in the blob store, the
      // parts are not read and the files not made again. An edit of a bulletin's text leaves them alone.
      const partsKey = createHash("sha256").update(version);
      for (const { exports } of exported)
        partsKey.update(`\n${exports.part.sha256.json} ${exports.part.sha256.csv}`);
      const madeFromParts = partsKey.digest("hex");
      const taken = blobs.taken(previous?.parts, madeFromParts);
      const known =
        taken && Object.values(PART_FILES).every((relative) => relative in taken) ? taken : undefined;
      const addExport = (relative: string, file: MadeFile) => {
        made.set(`exports/${relative}`, file);
        downloads.set(relative, { size: file.size, sha256: file.sha256 });
      };
      // What the manifest keeps of archive-wide files made of the same inputs (see `BlobStore.taken`).
      const recordOf = (key: string, relatives: readonly string[]): PartFiles => ({
        key,
        files: Object.fromEntries(relatives.map((relative) => [relative, downloads.get(relative)!])),
      });
      // (A known file is in the blob store already: its content is not needed.)
      if (known)
        for (const [relative, file] of Object.entries(known)) addExport(relative, { chunks: [], ...file });
      else
        for (const [relative, chunks] of partFiles(exported.map(({ item }) => readParts(item.dir))))
          addExport(relative, madeFile(chunks));
      // The other archive-wide files (the MISP feed's index, the schema, the list of changes) are made of each
      // bulletin's paths, date and feed entry: when those are the previous run's (the same SHA-256s, each made by
      // the worker, and the same code) and its files are still in the blob store, they are not made again either.
      // An edit of a bulletin's text changes none of them.
      const aggregateParts = exported.map(({ exports: { paths, part } }) => ({
        paths,
        timestamp: part.timestamp,
        feed: part.feed,
      }));
      const aggregatesKey = createHash("sha256").update(version);
      for (const { exports } of exported) aggregatesKey.update(`\n${exports.part.sha256.aggregate}`);
      const madeFromAggregates = aggregatesKey.digest("hex");
      const knownAggregates = blobs.taken(previous?.aggregates, madeFromAggregates);
      let aggregated: [string, MadeFile][];
      let copies: ReadonlyMap<string, string>;
      if (knownAggregates) {
        aggregated = Object.entries(knownAggregates).map(([relative, file]) => [
          relative,
          { chunks: [], ...file },
        ]);
        copies = aggregateCopies(aggregateParts);
      } else {
        const aggregates = aggregateFiles(aggregateParts);
        aggregated = [...aggregates.files].map(([relative, bytes]) => [relative, madeFile(bytes)]);
        copies = aggregates.copies;
      }
      for (const [relative, file] of aggregated) addExport(relative, file);
      for (const [relative, source] of copies) {
        files.set(`exports/${relative}`, files.get(`exports/${source}`)!);
        downloads.set(relative, downloads.get(source)!);
      }
      // SHA256SUMS and the sidecars cover every download made so far (exports and PDFs).
      const hashes = new Map([...downloads].map(([relative, { sha256 }]) => [relative, sha256]));
      for (const [relative, bytes] of checksumFiles(hashes)) addExport(relative, madeFile(bytes));
      made.set(`pages/${DOWNLOADS_INDEX}`, madeFile(downloadsIndexText(downloads)));
      // The search index is not a download: it is not in SHA256SUMS or downloads.json.
      const searchRecord: Record<string, PartFiles> = {};
      const searchMade = new Map<string, MadeFile>();
      if (search)
        searchMade.set(`${SEARCH}/pagefind/${SHARDS_FILE}`, madeFile(shardsIndexText(searchShards)));
      const addSearch = (shard: string, name: string, file: MadeFile) => {
        searchMade.set(`${SEARCH}/pagefind/${shard}/${name}`, file);
        const record = (searchRecord[shard] ??= { key: shardIndexes.get(shard)!.key, files: {} });
        record.files[name] = { size: file.size, sha256: file.sha256 };
      };
      // While Pagefind may still be indexing, on the core it leaves free: the files made so far go to the blob store,
      // and the output is brought up to date but for the search index.
      for (const [relative, blob] of blobs.store(made)) files.set(relative, blob);
      const update = await OutputUpdate.start(outDir, previous, inPlaceAsRecorded);
      update.link(files, "", search ? [SEARCH] : []);
      for (const [shard, { known, indexing }] of shardIndexes) {
        if (known)
          for (const [name, file] of Object.entries(known)) addSearch(shard, name, { chunks: [], ...file });
        else for (const [name, bytes] of await indexing!) addSearch(shard, name, madeFile(bytes));
      }
      if (search) removeOtherShards(searchPagesDir, new Set(searchShards.keys()));
      const searchLinks = blobs.store(searchMade);
      if (search) update.link(searchLinks, SEARCH);
      for (const [relative, blob] of searchLinks) files.set(relative, blob);

      const summary: RunSummary = {
        bulletins: valid.length,
        pdfs: pdfCount,
        exported: exported.length,
        warnings,
      };
      const manifest = update.finish(files, {
        key: runKey,
        stamp,
        sources: sourcesRecord(items),
        parts: recordOf(madeFromParts, Object.values(PART_FILES)),
        aggregates: recordOf(
          madeFromAggregates,
          aggregated.map(([relative]) => relative),
        ),
        ...(search ? { search: searchRecord } : {}),
        color: io.color,
        report: printed,
        summary,
      });
      if (site) updateSite(manifest);
      else recordOutput(manifest);

      done(summary, items.length - misses.length, items.length);
      return 0;
    }
  },
};

/** How long an entry no run has used stays in the cache. */
const CACHE_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** A used entry's modification time is brought up to date once it is older than this. */
const TOUCH_AFTER_MS = 24 * 60 * 60 * 1000;

/** The cache folder of files made by the main thread (archive-wide exports, checksums, indexes): `<sha256>`. */
const BLOBS = "blobs";

/** The output's and the cache's folder of the search index (Pagefind's page files, in the cache). */
const SEARCH = "search";

/**
 * The output's folders that `--dist` serves, and whether under their own name: `pdf/…` stays `pdf/…`, the exports
 * and the search index (`pagefind/…`) are served from the root. `pages/` is what the site is built from.
 */
const SERVED_FOLDERS: ReadonlyMap<string, boolean> = new Map([
  ["pdf", true],
  ["exports", false],
  [SEARCH, false],
]);

/**
 * Keep the cache from growing with every edit: entries this run used are marked as used (at most once a day),
 * entries no run has used for {@link CACHE_TTL_MS} are removed (another content folder or branch sharing the cache
 * keeps its own).
 *
 * @param cacheDir The cache folder.
 * @param used The entry folders of this run.
 */
function pruneEntries(cacheDir: string, used: ReadonlySet<string>): void {
  // Synchronous calls throughout: a few hundred folders and a stat per unused entry, where promise round trips
  // would cost more than the calls.
  const now = new Date();
  // A used entry is marked once a day, not by every run: a write to the metadata of a thousand files costs more
  // than reading it.
  for (const dir of used) {
    const file = path.join(dir, ENTRY_FILE);
    const info = statSync(file, { throwIfNoEntry: false });
    // (Gone since this run read it: nothing to keep.)
    if (info && now.getTime() - info.mtimeMs > TOUCH_AFTER_MS) utimesSync(file, now, now);
  }
  for (const shard of listDir(cacheDir)) {
    // Pagefind's page files (see search.ts), rewritten page by page by every run that indexes, and the blobs
    // (see BlobStore).
    if (shard === SEARCH || shard === BLOBS) continue;
    const shardDir = path.join(cacheDir, shard);
    for (const name of listDir(shardDir)) {
      const dir = path.join(shardDir, name);
      if (used.has(dir)) continue;
      // A half-written entry (a `.tmp-` folder of a stopped run) has no manifest; it goes too once old.
      const info =
        statSync(path.join(dir, ENTRY_FILE), { throwIfNoEntry: false }) ??
        statSync(dir, { throwIfNoEntry: false });
      if (now.getTime() - (info?.mtimeMs ?? 0) > CACHE_TTL_MS) rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** A folder's names, none when it is not there. */
function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** A file made by the main thread (archive-wide exports, checksums, indexes), hashed once. */
interface MadeFile {
  readonly chunks: Chunks;
  readonly size: number;
  readonly sha256: string;
}

/** SHA-256 (hex) of a value's JSON. */
function hashOf(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/**
 * A made file's chunks, size and SHA-256 (the big aggregates are hashed chunk by chunk, never copied into one
 * buffer).
 */
function madeFile(content: string | Uint8Array | Chunks): MadeFile {
  const chunks =
    typeof content === "string"
      ? [Buffer.from(content)]
      : content instanceof Uint8Array
        ? [content]
        : content;
  const hash = createHash("sha256");
  let size = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    size += chunk.byteLength;
  }
  return { chunks, size, sha256: hash.digest("hex") };
}

/**
 * The cache's blob store (`blobs/<sha256>`): the files this thread makes (archive-wide exports, checksums, indexes, the
 * search index), each named by its SHA-256. It is listed once per run, and the list kept as blobs are added and
 * removed: it holds thousands of files (9,139 at N = 1,000, mostly the search index's; listed in ≈ 13 ms), and a look
 * for each one a run might take again cost more (storing after an edit: 61 → 39 ms).
 */
class BlobStore {
  private readonly dir: string;
  private names: Set<string> | undefined;

  /** @param cacheDir The cache folder. */
  constructor(cacheDir: string) {
    this.dir = path.join(cacheDir, BLOBS);
  }

  /**
   * Whether the store holds a file.
   *
   * @param sha256 The file's SHA-256 (hex).
   * @returns Whether it is there.
   */
  has(sha256: string): boolean {
    return this.listed().has(sha256);
  }

  /**
   * The files an earlier run recorded (archive-wide files, a search shard's index), when they were made of the same
   * inputs and every one is still in the store: this run takes them as they are.
   *
   * @param record The earlier run's record.
   * @param key What this run's files would be made of.
   * @returns The files by name, or undefined.
   */
  taken(record: PartFiles | undefined, key: string): Readonly<Record<string, Download>> | undefined {
    if (record?.key !== key) return undefined;
    return Object.values(record.files).every((file) => this.has(file.sha256)) ? record.files : undefined;
  }

  /** The names in the store, listed on first use. */
  private listed(): Set<string> {
    this.names ??= new Set(listDir(this.dir));
    return this.names;
  }

  /**
   * Put files made by this run into the store (written aside and renamed, and only when not there yet: after one
   * edit, most archive-wide files are the same as before). A file without chunks is one the caller found there.
   * Synchronous: thousands of small files, and nothing else to do meanwhile.
   *
   * @param made Output-relative path to file.
   * @returns Output-relative path to blob file.
   */
  store(made: ReadonlyMap<string, MadeFile>): Map<string, string> {
    mkdirSync(this.dir, { recursive: true });
    const blobs = new Map<string, string>();
    for (const [relative, file] of made) {
      const blob = path.join(this.dir, file.sha256);
      blobs.set(relative, blob);
      if (this.has(file.sha256)) continue;
      const aside = `${blob}.tmp-${process.pid}`;
      const fd = openSync(aside, "w");
      try {
        for (const chunk of file.chunks) {
          for (let offset = 0; offset < chunk.byteLength;) offset += writeSync(fd, chunk, offset);
        }
      } finally {
        closeSync(fd);
      }
      renameSync(aside, blob);
      this.listed().add(file.sha256);
    }
    return blobs;
  }

  /**
   * Remove every blob an output does not link. Archive-wide files are remade from the entries in a fraction of a
   * second, and a large archive's weigh tens of megabytes (an output linked to others keeps its own links). Nothing is
   * removed when the output links none of this store's blobs (it was made with another cache).
   *
   * @param linked Every file the output links (its cache files).
   */
  prune(linked: Iterable<string>): void {
    const prefix = `${this.dir}${path.sep}`;
    const keep = new Set<string>();
    for (const file of linked) if (file.startsWith(prefix)) keep.add(file.slice(prefix.length));
    if (keep.size === 0) return;
    const names = this.listed();
    for (const name of names) {
      if (keep.has(name)) continue;
      rmSync(path.join(this.dir, name), { force: true });
      names.delete(name);
    }
  }
}

/** What a run published (for the closing line). */
interface RunSummary {
  readonly bulletins: number;
  readonly pdfs: number;
  readonly exported: number;
  readonly warnings: number;
}

/** A run's `iocs/all.json` and `iocs/all.csv` (see `PART_FILES`): a hash of the parts they were made of, and each. */
interface PartFiles {
  readonly key: string;
  readonly files: Record<string, Download>;
}

/** `<out>/manifest.json`: what the output holds, so that a run that finds nothing changed can stop early. */
interface Manifest {
  readonly version: typeof MANIFEST_VERSION;
  /** Hash of the cache entries of the run (each keyed by its Markdown, the options and the code). */
  readonly key: string;
  /** Hash of every folder's description (see {@link Item.sig}): equal, the Markdown files need not be read again. */
  readonly stamp: string;
  /**
   * Each bulletin folder (absolute path): a hash of how the file system described its Markdown files, with the code
   * and options, and its entry's key. A folder still described the same is not read again.
   */
  readonly sources: Readonly<Record<string, readonly [string, string]>>;
  /** The archive-wide files made of the bulletins' parts alone, and what they were made of. */
  readonly parts: PartFiles;
  /** The other archive-wide files but the checksums (see `aggregateFiles`), and what they were made of. */
  readonly aggregates?: PartFiles | undefined;
  /**
   * With `--search`: each shard's index, its files (under `search/pagefind/<shard>/`) and a hash of the pages indexed.
   */
  readonly search?: Readonly<Record<string, PartFiles>> | undefined;
  readonly color: boolean;
  /** What the run printed before its closing line (the check's report, layout warnings). */
  readonly report: string;
  readonly summary: RunSummary;
  /** Every file of the output (relative path), the cache file it is a link to, and its device and inode numbers. */
  readonly files: readonly (readonly [string, string, number, number])[];
}

const MANIFEST_FILE = "manifest.json";
const MANIFEST_VERSION = 6;

async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path.join(outDir, MANIFEST_FILE), "utf8")) as Manifest;
    return manifest.version === MANIFEST_VERSION ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function writeManifest(outDir: string, manifest: Manifest): void {
  replaceFile(path.join(outDir, MANIFEST_FILE), JSON.stringify(manifest));
  writeRunKey(outDir, manifest.key);
}

/**
 * `<out>/run-key`: the manifest's key alone (a hash of the bulletins' cache entries: the same content, code, options
 * and cache folder give the same key). A build tool that caches this file rather than the output (the site's
 * Turborepo stage does) can tell whether the output is the one for the content it has seen: the key it restored is
 * the manifest's.
 */
const RUN_KEY_FILE = "run-key";

/**
 * `<out>/site-record.json`, with `--dist`: the folders of the output, of the site and of `--dist` as the run that
 * last brought `--dist` up to date left them (see folder-stamps.ts). A run without `--dist` that changed the output
 * records the output's folders alone there (see `recordOutput`).
 */
const SITE_RECORD_FILE = "site-record.json";

/**
 * `<out>/dist-record.json`, with `--dist`: the folders of `--dist` and every file in them (device and inode), as the
 * run that last brought `--dist` up to date left them. A run after an edit (whose content stage changed the output,
 * so the site record no longer holds) then updates `--dist` without listing it and looking at each of its files while
 * none of its own folders changed. Nothing but such a run writes into `--dist`.
 */
const DIST_RECORD_FILE = "dist-record.json";

/** Write `<out>/run-key` unless it already says `key`. */
function writeRunKey(outDir: string, key: string): void {
  const file = path.join(outDir, RUN_KEY_FILE);
  let current: string | undefined;
  try {
    current = readFileSync(file, "utf8");
  } catch {
    current = undefined;
  }
  if (current !== `${key}\n`) replaceFile(file, `${key}\n`);
}

/**
 * How the file system describes a bulletin folder's Markdown files: path, device, inode, size, and modification
 * and change times in nanoseconds (any write changes the change time), or that a file is missing.
 */
function folderStat(folder: string): string {
  let described = "";
  for (const lang of LANGS) {
    const file = path.join(folder, `${lang}.md`);
    const info = statSync(file, { bigint: true, throwIfNoEntry: false });
    described += info
      ? `\n${file}\0${info.dev}\0${info.ino}\0${info.size}\0${info.mtimeNs}\0${info.ctimeNs}`
      : `\n${file}\0-`;
  }
  return described;
}

/**
 * The key of a bulletin's cache entry: its Markdown (each text with its path and length first, so no two sets of
 * sources hash alike), the options and the code.
 */
function entryKey(folder: FolderSources, version: string, options: string): string {
  const hash = createHash("sha256").update(version).update(options).update(folder.slug);
  for (const lang of LANGS) {
    const source = folder.sources[lang];
    if (!source) continue;
    hash
      .update(`\n${lang} ${source.path.length}:${source.path} ${source.value.length}:`)
      .update(source.value);
  }
  return hash.digest("hex");
}

/** What the next run needs to know each folder without reading it (see {@link Manifest}). */
function sourcesRecord(items: readonly Item[]): Manifest["sources"] {
  return Object.fromEntries(items.map((item) => [item.path, [item.sig, item.key] as const]));
}

/**
 * Whether every file of the output is still the very file it was linked from (same device and inode). Tens of
 * thousands of `stat` calls on files the system has just seen: synchronous calls cost a fraction of promise round
 * trips.
 */
function inPlace(outDir: string, files: Manifest["files"]): boolean {
  for (const [relative, , dev, ino] of files) {
    const info = lstatSync(path.join(outDir, relative), { throwIfNoEntry: false });
    if (info?.ino !== ino || info.dev !== dev) return false;
  }
  return true;
}

/**
 * Bringing the output up to date: link what changed, remove what is gone, then write the manifest. The manifest goes
 * first, so a stopped run leaves an output the next run does not trust. Done in parts (the output but for the
 * search index while Pagefind works, then the index), each part's folder ending up with exactly its files.
 */
class OutputUpdate {
  /**
   * What the previous run recorded of each cache file it linked (cache files are never changed in place, but may be
   * removed and made again: `syncLinks` looks again when the output is not that file).
   */
  private readonly known: Map<string, { from: string; dev: number; ino: number }>;
  private readonly ids = new Map<string, FileId>();
  private readonly outDir: string;
  /** Whether the output holds exactly the files of `known` (see `outputRecorded`): then no file is looked at. */
  private readonly inPlace: boolean;

  private constructor(outDir: string, previous: Manifest | undefined, inPlace: boolean) {
    this.outDir = outDir;
    this.known = new Map(previous?.files.map(([relative, from, dev, ino]) => [relative, { from, dev, ino }]));
    this.inPlace = inPlace;
  }

  /**
   * Start: remove the manifest (and the record of `--dist`, made from this output).
   *
   * @param outDir The output folder.
   * @param previous The previous run's manifest.
   * @param inPlace Whether the output is known to hold exactly the previous run's files (see `outputRecorded`).
   * @returns The update.
   */
  static async start(outDir: string, previous: Manifest | undefined, inPlace = false): Promise<OutputUpdate> {
    await rm(path.join(outDir, MANIFEST_FILE), { force: true });
    removeFolderRecord(path.join(outDir, SITE_RECORD_FILE));
    return new OutputUpdate(outDir, previous, inPlace);
  }

  /**
   * Make one folder of the output hold exactly `files` (output-relative path → cache file) under it.
   *
   * @param files The files, all under `folder` unless it is the whole output.
   * @param folder The folder (`""`: the whole output).
   * @param others Top-level folders of the output updated apart (left alone here).
   */
  link(files: ReadonlyMap<string, string>, folder: string, others: readonly string[] = []): void {
    const prefix = folder === "" ? "" : `${folder}/`;
    const inFolder = (relative: string) =>
      prefix === "" ? !others.includes(relative.split("/", 1)[0]!) : relative.startsWith(prefix);
    const sources = new Map<string, LinkSource>();
    for (const [relative, from] of files) {
      if (!inFolder(relative)) continue;
      const before = this.known.get(relative);
      sources.set(relative.slice(prefix.length), { from, id: before?.from === from ? before : undefined });
    }
    let held: Map<string, FileId> | undefined;
    if (this.inPlace) {
      held = new Map();
      for (const [relative, id] of this.known)
        if (inFolder(relative)) held.set(relative.slice(prefix.length), id);
    }
    const { ids } = syncLinks(path.join(this.outDir, folder), sources, {
      keep: folder === "" ? [MANIFEST_FILE, RUN_KEY_FILE, SITE_RECORD_FILE, DIST_RECORD_FILE, ...others] : [],
      held,
    });
    for (const [relative, id] of ids) this.ids.set(`${prefix}${relative}`, id);
  }

  /**
   * Write the manifest of the output, every file of it having been linked.
   *
   * @param files Every file of the output.
   * @param state The rest of the manifest.
   * @returns The manifest.
   */
  finish(files: ReadonlyMap<string, string>, state: Omit<Manifest, "version" | "files">): Manifest {
    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      ...state,
      files: [...files].map(([relative, from]) => {
        const id = this.ids.get(relative);
        if (!id) throw new Error(`${relative} was not linked into the output`);
        return [relative, from, id.dev, id.ino] as const;
      }),
    };
    writeManifest(this.outDir, manifest);
    return manifest;
  }
}

/**
 * Make `dist` the complete static site: every file of the built site and every download (PDFs, exports) at its
 * place, linked only when it is not already the very same file, and nothing else.
 *
 * @param parts The built site, in one or more folders (e.g. its pages, its search index) that share no file.
 * @param dist The folder to serve.
 * @param outDir The output, with `files` in place.
 * @param files The output's files (see {@link Manifest}).
 * @param held Every file `dist` is known to hold (see `distHeld`): `dist` is then not listed, nor its files looked at.
 * @returns Every folder whose entries the result depends on (of the site, of the output but its root, of the files
 *   the site's links point to, and of `dist`), or undefined when that is not all (a link to a link, a file at the
 *   output's root); and every file of `dist`, as it now is.
 */
function syncSite(
  parts: readonly string[],
  dist: string,
  outDir: string,
  files: Manifest["files"],
  held: ReadonlyMap<string, FileId> | undefined,
): { readonly folders: Set<string> | undefined; readonly ids: ReadonlyMap<string, FileId> } {
  const wanted = new Map<string, LinkSource>();
  const origin = new Map<string, string>();
  const folders = new Set<string>();
  let complete = true;
  const add = (relative: string, source: LinkSource, from: string) => {
    const other = origin.get(relative);
    if (other !== undefined) throw new Error(`\`${relative}\` is both ${other} and ${from}`);
    origin.set(relative, from);
    wanted.set(relative, source);
  };
  for (const part of parts) {
    const root = path.resolve(part);
    folders.add(root);
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      const full = `${entry.parentPath}${path.sep}${entry.name}`;
      if (entry.isDirectory()) {
        folders.add(full);
        continue;
      }
      // A symbolic link (the site's cached pages) stands for the file it points to: dist gets that file.
      let source: LinkSource = { from: full };
      if (entry.isSymbolicLink()) {
        const linked = linkedFile(full);
        complete &&= linked.direct;
        folders.add(path.dirname(linked.from));
        source = linked;
      }
      add(toRelative(root, full), source, `a file of the site in ${part}`);
    }
  }
  for (const [relative, , dev, ino] of files) {
    complete &&= relative.includes("/");
    addFolders(folders, outDir, relative);
    const [folder = ""] = relative.split("/", 1);
    const served = SERVED_FOLDERS.get(folder);
    if (served === undefined) continue;
    const at = served ? relative : relative.slice(folder.length + 1);
    add(at, { from: path.join(outDir, relative), id: { dev, ino } }, "a download");
  }
  const { ids } = syncLinks(dist, wanted, { held });
  folders.add(path.resolve(dist));
  for (const relative of wanted.keys()) addFolders(folders, path.resolve(dist), relative);
  return { folders: complete ? folders : undefined, ids };
}

/**
 * Add the folders of a relative path (`a/b/c.html`: `<root>/a/b`, `<root>/a`) to a set.
 *
 * @param into The set.
 * @param root Absolute folder (not added).
 * @param relative Path in it, with `/`.
 */
function addFolders(into: Set<string>, root: string, relative: string): void {
  // (`root` is absolute and resolved, `relative` one of the output's or the site's paths: joined as `path.join`
  // would, for a fraction of its cost over tens of thousands of files.)
  const prefix = `${root}${root.endsWith(path.sep) ? "" : path.sep}`;
  for (let at = relative.lastIndexOf("/"); at > 0; at = relative.lastIndexOf("/", at - 1)) {
    const part = relative.slice(0, at);
    const folder = prefix + (path.sep === "/" ? part : part.split("/").join(path.sep));
    // Its own folders were added with it.
    if (into.has(folder)) return;
    into.add(folder);
  }
}

/**
 * The file a symbolic link in a site part points to.
 *
 * @param link The link.
 * @returns The target's real path and its device and inode numbers (already known: no second `stat`), and whether
 *   the link points to it directly (not through another link).
 * @throws {UsageError} When the target is gone or is not a file.
 */
function linkedFile(link: string): LinkSource & { readonly direct: boolean } {
  const target = statSync(link, { throwIfNoEntry: false });
  if (!target?.isFile())
    throw new UsageError(
      `Unexpected link ${link}: it points to ${target ? "a folder" : "a file that is gone"} (${readlinkSync(link)}), expected a file`,
      1,
    );
  // Where the link points (one `readlink`), unless that is itself a link: then the real path, hop by hop.
  const pointed = path.resolve(path.dirname(link), readlinkSync(link));
  const direct = lstatSync(pointed, { throwIfNoEntry: false });
  const isDirect = direct?.ino === target.ino && direct.dev === target.dev;
  return {
    from: isDirect ? pointed : realpathSync(link),
    id: { dev: target.dev, ino: target.ino },
    direct: isDirect,
  };
}

/** A cache entry's manifest, or undefined when there is none (or it cannot be read). */
function readEntry(dir: string): PublishEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(path.join(dir, ENTRY_FILE), "utf8")) as PublishEntry;
    return entry.version === ENTRY_VERSION ? entry : undefined;
  } catch {
    return undefined;
  }
}

function parse(argv: readonly string[]) {
  return parseOptions(argv, {
    out: { type: "string", short: "o" },
    cache: { type: "string" },
    "site-url": { type: "string" },
    private: { type: "boolean" },
    jobs: { type: "string" },
    site: { type: "string", multiple: true },
    dist: { type: "string" },
    search: { type: "boolean" },
  });
}
