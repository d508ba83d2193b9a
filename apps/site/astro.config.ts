import path from "node:path";
import { fileURLToPath } from "node:url";
import sitemap from "@astrojs/sitemap";
import { defineConfig } from "astro/config";
import { CONTENT_DIR, getSiteContent, invalidateContent } from "./src/lib/content.ts";
import { getPagePlan, settlePages } from "./src/lib/page-cache.ts";
import { routeCacheUse, startRouteCache } from "./src/lib/route-cache.ts";
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
      // The publish pipeline renders PDFs and exports before the site; its last stage (`atrc publish --site .site
      // --dist dist`) puts them beside the pages, so they stay out of this stage's Turborepo cache entry.
      name: "atrc-publish",
      hooks: {
        "astro:build:start": () => {
          if (process.env.ATRC_PUBLISH_DIR !== undefined) startRouteCache();
        },
        "astro:build:done": ({ dir, logger }) => {
          if (process.env.ATRC_PUBLISH_DIR === undefined) return;
          const routes = routeCacheUse();
          settlePages(pagePlan, fileURLToPath(dir), routes.used);
          logger.info(
            `${pagePlan.cached.size} bulletin page(s) and ${routes.served} other page(s) taken from the cache`,
          );
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
