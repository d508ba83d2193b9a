/**
 * Reading content from disk. This is the package's only I/O, kept in its own entry
 * (`@atrc/bulletin/node`) so the model and the checks stay usable without a file system.
 */
import { readFileSync } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { VFile } from "vfile";
import { VFile as File } from "vfile";
import type { BulletinResult, CheckOptions, SourceFile } from "./bulletin.js";
import { report } from "./diagnostics.js";
import type { Bulletin, Lang } from "./model.js";
import { LANGS } from "./model.js";

// Also here for code that only finds and reads content files, so that it need not load the parser (the main entry).
export { LANGS };

/** What loading a content folder gives. */
export interface ContentResult {
  /** Bulletins without errors, newest first (by published date, then id). */
  readonly bulletins: readonly Bulletin[];
  /** Every file read, with its diagnostics, in path order. */
  readonly files: readonly VFile[];
}

/** A user mistake about paths or encodings: shown as one line, never as a stack trace. */
export class ContentError extends Error {
  override name = "ContentError" as const;
}

/**
 * Find bulletin folders: `root` itself when it holds `es.md`/`en.md`, else its `bulletins/`
 * sub-folder or its own sub-folders that do.
 *
 * @param root A content root, a `bulletins` folder, one bulletin folder, or a Markdown file.
 * @returns Absolute bulletin folder paths, sorted.
 * @example
 * await findBulletinFolders("content") // ["/…/content/bulletins/2023-03-3cx"]
 */
export async function findBulletinFolders(root: string): Promise<string[]> {
  let info;
  try {
    info = await stat(root);
  } catch {
    throw new ContentError(`No such file or folder: ${root}`);
  }
  if (info.isFile()) return [path.resolve(path.dirname(root))];
  const isBulletin = async (dir: string) => {
    const names = await readdir(dir).catch(() => {
      throw new ContentError(`Cannot read folder: ${dir}`);
    });
    return names.some((name) => LANGS.some((lang) => name === `${lang}.md`));
  };
  if (await isBulletin(root)) return [path.resolve(root)];
  const base = (await stat(path.join(root, "bulletins")).catch(() => undefined))?.isDirectory()
    ? path.join(root, "bulletins")
    : root;
  const entries = await readdir(base, { withFileTypes: true }).catch(() => {
    throw new ContentError(`Cannot read folder: ${base}`);
  });
  const folders: string[] = [];
  for (const entry of entries) {
    if (
      entry.isDirectory() &&
      !entry.name.startsWith(".") &&
      (await isBulletin(path.join(base, entry.name)))
    ) {
      folders.push(path.resolve(base, entry.name));
    }
  }
  return folders.sort();
}

/**
 * Every bulletin folder under some roots, once each, sorted.
 *
 * @param roots Content roots, bulletin folders or Markdown files (see {@link findBulletinFolders}).
 * @returns Absolute folder paths.
 * @throws {ContentError} When a root does not exist or cannot be read.
 */
export async function findContentFolders(roots: readonly string[]): Promise<string[]> {
  return [...new Set((await Promise.all(roots.map((root) => findBulletinFolders(root)))).flat())].sort();
}

/**
 * Read, parse and check bulletins from disk.
 *
 * @param roots Content roots, bulletin folders or Markdown files (see {@link findBulletinFolders}).
 * @param options Check options, plus `cwd` for the paths shown in diagnostics (default: `process.cwd()`).
 * @returns The bulletins without errors and every file with its diagnostics.
 * @example
 * const { bulletins, files } = await loadContent(["content"])
 */
export async function loadContent(
  roots: readonly string[],
  options: CheckOptions & { cwd?: string | undefined } = {},
): Promise<ContentResult> {
  const cwd = options.cwd ?? process.cwd();
  // The parser loads only when content is parsed: finding and reading files stays light.
  const { parseBulletin, uniqueIds } = await import("./bulletin.js");
  const folders = await findContentFolders(roots);
  const results: BulletinResult[] = folders.map((folder) => {
    const { slug, sources, badFiles } = readSources(folder, cwd);
    const result = parseBulletin(slug, sources, options);
    if (badFiles.length === 0) return result;
    return { bulletin: undefined, files: [...result.files, ...badFiles] };
  });
  const files = results.flatMap((result) => result.files).sort((a, b) => a.path.localeCompare(b.path));
  const bulletins = uniqueIds(
    results.flatMap((result) => (result.bulletin ? [result.bulletin] : [])),
    files,
  );
  return { bulletins, files };
}

/** The Markdown files of one bulletin folder, read and decoded. */
export interface FolderSources {
  /** Folder name (`2023-03-3cx`). */
  readonly slug: string;
  /** Each language's text (byte-order mark removed), with the path diagnostics show. */
  readonly sources: Partial<Record<Lang, SourceFile>>;
  /** Files that are not UTF-8, each with its `encoding-invalid` error. */
  readonly badFiles: readonly VFile[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Read the `es.md`/`en.md` of one bulletin folder.
 *
 * @param folder Absolute folder path.
 * @param cwd Paths in diagnostics are relative to it.
 * @returns The sources and the files that could not be decoded.
 * @throws {ContentError} When a file exists but cannot be read.
 */
export function readSources(folder: string, cwd: string): FolderSources {
  const sources: Partial<Record<Lang, SourceFile>> = {};
  const badFiles: VFile[] = [];
  for (const lang of LANGS) {
    const full = path.join(folder, `${lang}.md`);
    // Read synchronously: an archive has thousands of small files, and a promise round trip per file costs more
    // than the read.
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT")
        throw new ContentError(`Cannot read file: ${path.relative(cwd, full)} (${code ?? String(error)})`);
    }
    if (!bytes) continue;
    const shown = path.relative(cwd, full) || full;
    let value: string;
    try {
      value = utf8.decode(bytes);
    } catch {
      const file = new File({ path: shown });
      const offset = firstInvalidUtf8(bytes);
      report(
        file,
        "encoding-invalid",
        `Unexpected bytes that are not UTF-8 at byte ${offset}, expected a UTF-8 text file`,
        {
          note: "re-save the file as UTF-8 (most editors: File › Save with encoding › UTF-8)",
        },
      );
      badFiles.push(file);
      continue;
    }
    sources[lang] = { path: shown, value: value.replace(/^\uFEFF/u, "") };
  }
  return { slug: path.basename(folder), sources, badFiles };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let end = 1; end <= bytes.length; end++) {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
    } catch {
      return end - 1;
    }
  }
  return 0;
}
