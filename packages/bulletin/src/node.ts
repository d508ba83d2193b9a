/**
 * Reading content from disk. This is the package's only I/O, kept in its own entry
 * (`@atrc/bulletin/node`) so the model and the checks stay usable without a file system.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { VFile } from "vfile";
import { VFile as File } from "vfile";
import { parseBulletin, type BulletinResult, type CheckOptions, type SourceFile } from "./bulletin.js";
import { report } from "./diagnostics.js";
import type { Bulletin, Lang } from "./model.js";
import { LANGS } from "./model.js";

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
  const folders = [
    ...new Set((await Promise.all(roots.map((root) => findBulletinFolders(root)))).flat()),
  ].sort();
  const results: BulletinResult[] = await Promise.all(
    folders.map(async (folder) => {
      const sources: Partial<Record<Lang, SourceFile>> = {};
      const badFiles: VFile[] = [];
      for (const lang of LANGS) {
        const full = path.join(folder, `${lang}.md`);
        const bytes = await readFile(full).catch((error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return undefined;
          throw new ContentError(
            `Cannot read file: ${path.relative(cwd, full)} (${error.code ?? error.message})`,
          );
        });
        if (!bytes) continue;
        const shown = path.relative(cwd, full) || full;
        let value: string;
        try {
          value = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
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
      const result = parseBulletin(path.basename(folder), sources, options);
      if (badFiles.length === 0) return result;
      return { bulletin: undefined, files: [...result.files, ...badFiles] };
    }),
  );
  const files = results.flatMap((result) => result.files).sort((a, b) => a.path.localeCompare(b.path));
  const bulletins = results.flatMap((result) => (result.bulletin ? [result.bulletin] : []));
  const byId = new Map<string, Bulletin>();
  const valid: Bulletin[] = [];
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
  valid.sort(
    (a, b) => b.original.meta.published.localeCompare(a.original.meta.published) || b.id.localeCompare(a.id),
  );
  return { bulletins: valid, files };
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
