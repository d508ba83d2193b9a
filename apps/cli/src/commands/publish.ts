import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import {
  PAGE_INDEX,
  pageDataPath,
  pageHtmlPath,
  pageIndexText,
  parseBulletin,
  restoreFiles,
  uniqueIds,
  type DocumentSummary,
  type StoredBulletin,
} from "@atrc/bulletin";
import { ContentError, findContentFolders, readSources, type FolderSources } from "@atrc/bulletin/node";
import { aggregateFiles, checksumFiles, publicBulletins, sha256, type AggregatePart } from "@atrc/export";
import { codeVersion } from "../code-version.js";
import { UsageError, type Command } from "../io.js";
import { contentRoots, printReport } from "../load.js";
import { DEFAULT_SITE_URL, jobsOption, parseOptions, siteUrlOption } from "../options.js";
import { runInPool } from "../pool.js";
import { ENTRY_FILE, ENTRY_VERSION, type PublishEntry, type PublishJob } from "../publish-job.js";
import { writeAtomically, type FileContent } from "../write.js";

const help = `Usage: atrc publish [paths...] --out <dir> [options]

Check every bulletin and make everything there is to publish, in one pass over
the Markdown (worker threads, one per core):

  <dir>/pages/      index.json and <slug>/<lang>.html: what the site builds its pages from
  <dir>/pdf/        the PDF advisories (as \`atrc pdf\` makes them)
  <dir>/exports/    JSON, CSV, STIX 2.1, MISP feed, SHA256SUMS covering the PDFs too
                    (as \`atrc export --checksum pdf=<dir>/pdf\` makes them)

When any bulletin has an error, the report is printed and nothing is written.
Otherwise <dir> is replaced whole, so files of deleted bulletins disappear.
Paths are content roots, bulletin folders or Markdown files (default: content/).

Options:
  -o, --out <dir>       folder to publish into (required)
  --cache <dir>         keep each bulletin's results there, keyed by its Markdown and
                        the code: the next run only redoes the bulletins that changed
                        (entries no run has used for 14 days are removed)
  --site-url <url>      public site URL (default: $ATRC_SITE_URL or ${DEFAULT_SITE_URL})
  --private             allow TLP other than TLP:CLEAR (only TLP:CLEAR is exported)
  --jobs <n>            worker threads (default: one per core)
  -h, --help            show this help

Exit codes: 0 published, 1 errors in the content (nothing written), 2 bad usage.

Examples:
  atrc publish --out public
  atrc publish content --out apps/site/.publish --cache node_modules/.cache/atrc/publish`;

/** One bulletin folder and where its results are. */
interface Item {
  readonly folder: FolderSources;
  readonly dir: string;
  entry?: PublishEntry | undefined;
}

/** `atrc publish`: check, pages, PDFs and exports of every bulletin, in one pass. */
export const publishCommand: Command = {
  name: "publish",
  summary: "check every bulletin, then write its pages, PDFs and exports in one pass (cached)",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (values.help) {
      io.stdout(`${help}\n`);
      return 0;
    }
    if (!values.out) throw new UsageError("Missing --out <dir>, expected the folder to publish into");
    const siteUrl = siteUrlOption(values["site-url"]);
    const threads = jobsOption(values.jobs);
    const isPublic = !values.private;
    const outDir = path.resolve(io.cwd, values.out);
    // Without --cache, results live in a scratch folder beside the output (same file system: hard links).
    const scratch = values.cache === undefined ? `${outDir}.cache-${randomUUID()}` : undefined;
    const cacheDir = scratch ?? path.resolve(io.cwd, values.cache!);
    try {
      return await publish();
    } finally {
      if (scratch) await rm(scratch, { recursive: true, force: true });
    }

    async function publish(): Promise<number> {
      let sources: FolderSources[];
      try {
        const folders = await findContentFolders(contentRoots(positionals, io));
        sources = await Promise.all(folders.map((folder) => readSources(folder, io.cwd)));
      } catch (error) {
        if (error instanceof ContentError) throw new UsageError(error.message, 1);
        throw error;
      }

      // Each bulletin's entry is keyed by its Markdown, the options and the code.
      const version = await codeVersion();
      const items: Item[] = sources.map((folder) => {
        const key = createHash("sha256")
          .update(version)
          .update(JSON.stringify({ slug: folder.slug, sources: folder.sources, isPublic, siteUrl }))
          .digest("hex");
        return { folder, dir: path.join(cacheDir, key.slice(0, 2), key) };
      });
      const misses: Item[] = [];
      for (const item of items) {
        if (item.folder.badFiles.length > 0) continue;
        item.entry = await readEntry(item.dir);
        if (!item.entry) misses.push(item);
      }
      await runInPool(
        "publish",
        misses.map((item): PublishJob => ({
          slug: item.folder.slug,
          sources: item.folder.sources,
          public: isPublic,
          siteUrl,
          dir: item.dir,
        })),
        threads,
        (index, entry) => {
          misses[index]!.entry = entry;
        },
      );

      // The check's verdict, exactly as `atrc check` gives it.
      const files: ReturnType<typeof restoreFiles> = [];
      const candidates: {
        id: string;
        original: DocumentSummary;
        item: Item;
        summary: StoredBulletin<DocumentSummary>;
      }[] = [];
      for (const item of items) {
        if (item.folder.badFiles.length > 0) {
          // A file that is not UTF-8: check the other one, render nothing.
          const result = parseBulletin(item.folder.slug, item.folder.sources, { public: isPublic });
          files.push(...result.files, ...item.folder.badFiles);
          continue;
        }
        const entry = item.entry!;
        files.push(...restoreFiles(entry.files));
        const original = entry.summary?.documents[entry.summary.original];
        if (entry.summary && original)
          candidates.push({ id: entry.summary.id, original, item, summary: entry.summary });
      }
      files.sort((a, b) => a.path.localeCompare(b.path));
      const valid = uniqueIds(candidates, files);
      const ok = printReport(files, positionals, io, {
        onError: "Fix the errors above; nothing was published.",
      });
      if (!ok) return 1;

      const output = new Map<string, FileContent>();
      const hashes = new Map<string, string>();
      let warnings = 0;
      let pdfCount = 0;
      output.set(`pages/${PAGE_INDEX}`, pageIndexText(valid.map((candidate) => candidate.summary)));
      for (const { item, summary } of valid) {
        const entry = item.entry!;
        output.set(`pages/${pageDataPath(summary.slug)}`, { from: path.join(item.dir, "page.json") });
        for (const lang of entry.html) {
          output.set(`pages/${pageHtmlPath(summary.slug, lang)}`, {
            from: path.join(item.dir, "html", `${lang}.html`),
          });
        }
        for (const pdf of entry.pdfs) {
          for (const warning of pdf.warnings) {
            io.stderr(`${pdf.source}: warning ${warning}  pdf-layout\n`);
            warnings++;
          }
          output.set(`pdf/${pdf.name}`, { from: path.join(item.dir, "pdf", pdf.name) });
          hashes.set(`pdf/${pdf.name}`, pdf.sha256);
          pdfCount++;
        }
      }
      // The exports: each bulletin's four files from its entry, the archive-wide ones made here.
      const published: AggregatePart[] = await Promise.all(
        publicBulletins(valid).map(async ({ item }) => {
          const exports = item.entry!.exports;
          // Every TLP:CLEAR bulletin without an error has its exports in its entry.
          if (!exports) throw new Error(`No exports in the cache entry ${item.dir}`);
          const [json, csv] = await Promise.all([
            readFile(path.join(item.dir, "parts", "all.json")),
            readFile(path.join(item.dir, "parts", "all.csv")),
          ]);
          for (const [relative, hash] of Object.entries(exports.hashes)) {
            output.set(`exports/${relative}`, { from: path.join(item.dir, "exports", relative) });
            hashes.set(relative, hash);
          }
          return { paths: exports.paths, json, csv, ...exports.part };
        }),
      );
      const aggregates = aggregateFiles(published);
      for (const [relative, bytes] of aggregates.files) {
        output.set(`exports/${relative}`, bytes);
        hashes.set(relative, sha256(bytes));
      }
      for (const [relative, source] of aggregates.copies) {
        output.set(`exports/${relative}`, output.get(`exports/${source}`)!);
        hashes.set(relative, hashes.get(source)!);
      }
      for (const [relative, bytes] of checksumFiles(hashes)) output.set(`exports/${relative}`, bytes);
      await writeAtomically(outDir, output, { replace: true });
      if (!scratch) await pruneCache(cacheDir, new Set(items.map((item) => item.dir)));

      const shown = path.relative(io.cwd, outDir) || ".";
      const fromCache = items.length - misses.length;
      const cached = fromCache === 0 ? "" : ` (${fromCache} of ${items.length} from the cache)`;
      const warned = warnings === 0 ? "" : `, ${warnings} layout ${warnings === 1 ? "warning" : "warnings"}`;
      io.stderr(
        `✔ Published ${valid.length} ${valid.length === 1 ? "bulletin" : "bulletins"}${cached} to ${shown}: ` +
          `${pdfCount} PDFs, ${published.length} exported${warned}.\n`,
      );
      return 0;
    }
  },
};

/** How long an entry no run has used stays in the cache. */
const CACHE_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Keep the cache from growing with every edit: entries this run used are marked as used now, entries no run has
 * used for {@link CACHE_TTL_MS} are removed (another content folder or branch sharing the cache keeps its own).
 *
 * @param cacheDir The cache folder.
 * @param used The entry folders of this run.
 */
async function pruneCache(cacheDir: string, used: ReadonlySet<string>): Promise<void> {
  const now = new Date();
  for (const dir of used) await utimes(path.join(dir, ENTRY_FILE), now, now).catch(() => undefined);
  for (const shard of await readdir(cacheDir).catch(() => [])) {
    const shardDir = path.join(cacheDir, shard);
    for (const name of await readdir(shardDir).catch(() => [])) {
      const dir = path.join(shardDir, name);
      if (used.has(dir)) continue;
      const info = await stat(path.join(dir, ENTRY_FILE)).catch(() => undefined);
      // A half-written entry (a `.tmp-` folder of a stopped run) has no manifest; it goes too once old.
      const touched = info?.mtimeMs ?? (await stat(dir).catch(() => undefined))?.mtimeMs ?? 0;
      if (now.getTime() - touched > CACHE_TTL_MS) await rm(dir, { recursive: true, force: true });
    }
  }
}

/** A cache entry's manifest, or undefined when there is none (or it cannot be read). */
async function readEntry(dir: string): Promise<PublishEntry | undefined> {
  try {
    const entry = JSON.parse(await readFile(path.join(dir, ENTRY_FILE), "utf8")) as PublishEntry;
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
  });
}
