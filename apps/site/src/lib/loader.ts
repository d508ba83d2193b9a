/**
 * The content-collection loader: reads `content/` with `@atrc/bulletin` (the same parser and checks as
 * `atrc check`), fails the build with the same compiler-style report when there is an error, and stores
 * one entry per document (`<slug>/<lang>`) with its rendered HTML.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { hasErrors, toHtml, type Bulletin, type BulletinDocument, type Lang } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { formatReport } from "@atrc/report";
import type { Loader } from "astro/loaders";

/** A checked document as pages see it: everything but the mdast body. */
export type PageDocument = Omit<BulletinDocument, "body">;

/** A bulletin as pages see it. */
export interface PageBulletin extends Omit<Bulletin, "original" | "documents"> {
  readonly original: PageDocument;
  readonly documents: Readonly<Partial<Record<Lang, PageDocument>>>;
}

/** What the loader stores for each document (`data` of a `bulletins` entry). */
export interface BulletinEntryData extends Record<string, unknown> {
  /** Folder name, used in URLs (`2023-03-3cx`). */
  readonly slug: string;
  /** Bulletin id (`ATRC-2023-001`). */
  readonly id: string;
  readonly lang: Lang;
  /** True for the original document (the one without `translation`). */
  readonly original: boolean;
  /**
   * The checked document: meta, sections, tables, indicators, references. Not the mdast body: pages show
   * `rendered.html`, and the PDFs are made by the publish pipeline, so the data store (which Astro serialises and
   * digests entry by entry) stays small.
   */
  readonly document: PageDocument;
}

/** Options of {@link atrcLoader}. */
export interface AtrcLoaderOptions {
  /** Content folder (default: `$ATRC_CONTENT_DIR`, else `content/` at the repository root). */
  readonly contentDir?: string | undefined;
}

/**
 * An Astro object loader over `@atrc/bulletin`.
 *
 * @param options Where the content lives.
 * @returns The loader for `defineCollection({ loader })`.
 * @example
 * export const collections = { bulletins: defineCollection({ loader: atrcLoader() }) }
 */
export function atrcLoader(options: AtrcLoaderOptions = {}): Loader {
  return {
    name: "atrc-bulletins",
    async load({ store, logger, config, watcher }) {
      // The site lives in apps/site: the repository root is two levels up. Diagnostics are printed
      // relative to it, exactly as `atrc check` run from the root prints them.
      const repoRoot = path.resolve(fileURLToPath(config.root), "../..");
      const contentDir = path.resolve(
        repoRoot,
        options.contentDir ?? process.env.ATRC_CONTENT_DIR ?? path.join(repoRoot, "content"),
      );
      const { bulletins, files } = await loadContent([contentDir], { cwd: repoRoot });
      if (hasErrors(files)) {
        const text = formatReport(files, { onError: "The site was not built." });
        logger.error(`\n${text}`);
        throw new Error(
          `Content in ${path.relative(repoRoot, contentDir) || contentDir} has errors (see above).`,
        );
      }
      const warnings = formatReport(files);
      if (warnings) logger.warn(`\n${warnings}`);

      store.clear();
      for (const bulletin of bulletins) {
        for (const [lang, document] of Object.entries(bulletin.documents) as [Lang, BulletinDocument][]) {
          const data: BulletinEntryData = {
            slug: bulletin.slug,
            id: bulletin.id,
            lang,
            original: document === bulletin.original,
            document: withoutBody(document),
          };
          store.set({
            id: `${bulletin.slug}/${lang}`,
            data,
            filePath: path.relative(fileURLToPath(config.root), path.resolve(repoRoot, document.path)),
            rendered: {
              html: toHtml(document),
              metadata: {
                headings: document.sections.map((section) => ({
                  depth: section.depth,
                  slug: section.id,
                  text: section.title,
                })),
              },
            },
          });
        }
      }
      logger.info(
        `Loaded ${bulletins.length} ${bulletins.length === 1 ? "bulletin" : "bulletins"} from ${contentDir}`,
      );
      watcher?.add(contentDir);
    },
  };
}

function withoutBody(document: BulletinDocument): PageDocument {
  const { body: _body, ...rest } = document;
  return rest;
}
