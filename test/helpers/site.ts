/** Where the built site is, and how to walk it. */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Bulletin } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

/** The built site. */
export const DIST = path.join(REPO, "apps/site/dist");

/** The content the site was built from (same default and variable as the site). */
export const CONTENT = path.resolve(REPO, process.env.ATRC_CONTENT_DIR ?? "content");

/**
 * Fail early, with the command to run, when the site has not been built.
 *
 * @returns The dist folder.
 */
export function requireDist(): string {
  if (!existsSync(path.join(DIST, "index.html")) || !existsSync(path.join(DIST, "pagefind"))) {
    throw new Error(
      `No built site in ${DIST}. Run \`npm run build\` (or \`npm run test:e2e\`, which builds first).`,
    );
  }
  return DIST;
}

/**
 * Every file under dist, as paths relative to it with forward slashes, sorted.
 *
 * @param dir Folder to walk (default: dist).
 * @returns Relative paths.
 */
export async function listFiles(dir = DIST): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Text of a dist file. */
export function readDist(relative: string): Promise<string> {
  return readFile(path.join(DIST, relative), "utf8");
}

let bulletins: Promise<readonly Bulletin[]> | undefined;

/** The bulletins of the content folder, parsed by @atrc/bulletin (the same model the site uses). */
export function getBulletins(): Promise<readonly Bulletin[]> {
  bulletins ??= loadContent([CONTENT], { cwd: REPO }).then((result) => result.bulletins);
  return bulletins;
}

/** The public path of an HTML file (`es/index.html` → `/es/`). */
export function pagePath(relative: string): string {
  return `/${relative.replace(/(^|\/)index\.html$/u, "$1")}`;
}
