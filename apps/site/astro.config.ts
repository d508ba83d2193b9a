import { copyFile, link, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sitemap from "@astrojs/sitemap";
import { defineConfig } from "astro/config";
import { CONTENT_DIR, getSiteContent, invalidateContent } from "./src/lib/content.ts";
import { eachLimit } from "./src/lib/each.ts";
import { getPagePlan, settlePages } from "./src/lib/page-cache.ts";
import { LANGS, translatePath, type TagSets } from "./src/lib/routes.ts";

const site = process.env.ATRC_SITE_URL ?? "https://atrc.example";

// The sitemap only sees URLs, and our paths are translated, so it gets the tag lists to pair pages.
// Errors are not reported here: the pages read the same content, report them and fail the build.
const { bulletins } = await getSiteContent().catch(() => ({ bulletins: [] }));
const tagSets: TagSets[] = bulletins.map((bulletin) => ({
  es: bulletin.documents.es?.meta.tags,
  en: bulletin.documents.en?.meta.tags,
}));
// Bulletin pages an earlier build rendered from the same inputs (publish pipeline only; see page-cache.ts).
const pagePlan = await getPagePlan(bulletins);

/**
 * Put every file under `from` at the same place under `to`, as hard links when both are on one file system
 * (a thousand bulletins publish close to a gigabyte of PDFs and indicator files), as copies otherwise.
 */
async function linkTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const folders = new Set<string>();
  const files: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const source = path.join(entry.parentPath, entry.name);
    files.push(source);
    folders.add(path.dirname(path.join(to, path.relative(from, source))));
  }
  for (const folder of [...folders].sort()) await mkdir(folder, { recursive: true });
  await eachLimit(files, async (source) => {
    const target = path.join(to, path.relative(from, source));
    await link(source, target).catch(() => copyFile(source, target));
  });
}

const HREFLANG = { es: "es-ES", en: "en-GB" } as const;

export default defineConfig({
  site,
  output: "static",
  trailingSlash: "ignore",
  // Rendering a page waits on the file system (its data, its HTML file): a few pages in flight keep the CPU busy.
  build: { format: "directory", inlineStylesheets: "never", concurrency: 4 },
  i18n: {
    locales: [...LANGS],
    defaultLocale: "es",
    // `/` is our own static page (meta refresh + links), so Astro must not add its own redirect.
    routing: { prefixDefaultLocale: true, redirectToDefaultLocale: false },
  },
  integrations: [
    {
      // The publish pipeline renders PDFs and exports before the site (turbo stages with their own caches);
      // they are copied into dist as they are, so the site and the downloads come out of one folder.
      name: "atrc-publish",
      hooks: {
        "astro:build:done": async ({ dir }) => {
          const publishDir = process.env.ATRC_PUBLISH_DIR;
          if (publishDir === undefined) return;
          const out = fileURLToPath(dir);
          await settlePages(pagePlan, out);
          await linkTree(path.join(publishDir, "exports"), out);
          await linkTree(path.join(publishDir, "pdf"), path.join(out, "pdf"));
        },
      },
    },
    sitemap({
      // The bulletin pages taken from the cache were not rendered, so the sitemap is told about them.
      customPages: [...pagePlan.cached.values()].map((page) => new URL(page.route, site).href),
      filter: (page) => {
        const { pathname } = new URL(page);
        return pathname !== "/" && !pathname.startsWith("/404");
      },
      serialize(item) {
        const { pathname } = new URL(item.url);
        const lang = pathname.split("/")[1];
        if (lang !== "es" && lang !== "en") return item;
        const other = translatePath(pathname, tagSets);
        const links = [{ lang: HREFLANG[lang], url: item.url }];
        if (other)
          links.push({ lang: HREFLANG[lang === "es" ? "en" : "es"], url: new URL(other, site).href });
        return { ...item, links: links.sort((a, b) => a.lang.localeCompare(b.lang)) };
      },
    }),
  ],
  // Nothing may be inlined: the CSP allows scripts and styles from files only.
  vite: {
    build: { assetsInlineLimit: 0 },
    plugins: [
      {
        // Live preview: a saved Markdown file makes the pages read the content again and the browser reload.
        name: "atrc-content",
        configureServer(server) {
          server.watcher.add(CONTENT_DIR);
          server.watcher.on("all", (_event, file) => {
            if (!file.startsWith(`${CONTENT_DIR}${path.sep}`)) return;
            invalidateContent();
            server.ws.send({ type: "full-reload", path: "*" });
          });
        },
      },
    ],
  },
});
