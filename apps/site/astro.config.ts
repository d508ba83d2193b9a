import { cp } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sitemap from "@astrojs/sitemap";
import { loadContent } from "@atrc/bulletin/node";
import { defineConfig } from "astro/config";
import { LANGS, translatePath, type TagSets } from "./src/lib/routes.ts";

const site = process.env.ATRC_SITE_URL ?? "https://atrc.example";
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const contentDir = path.resolve(repoRoot, process.env.ATRC_CONTENT_DIR ?? "content");

// The sitemap only sees URLs, and our paths are translated, so it gets the tag lists to pair pages.
// Errors are not reported here: the content loader reports them and fails the build.
const tagSets: TagSets[] = (
  await loadContent([contentDir], { cwd: repoRoot }).catch(() => ({ bulletins: [] }))
).bulletins.map((bulletin) => ({
  es: bulletin.documents.es?.meta.tags,
  en: bulletin.documents.en?.meta.tags,
}));
const HREFLANG = { es: "es-ES", en: "en-GB" } as const;

export default defineConfig({
  site,
  output: "static",
  trailingSlash: "ignore",
  build: { format: "directory", inlineStylesheets: "never" },
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
          await cp(path.join(publishDir, "exports"), out, { recursive: true });
          await cp(path.join(publishDir, "pdf"), path.join(out, "pdf"), { recursive: true });
        },
      },
    },
    sitemap({
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
  vite: { build: { assetsInlineLimit: 0 } },
});
