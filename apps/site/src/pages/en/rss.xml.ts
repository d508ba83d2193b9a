import rss from "@astrojs/rss";
import { getT } from "@atrc/i18n";
import type { APIRoute } from "astro";
import { getDocuments } from "../../lib/bulletins.ts";
import { pathTo } from "../../lib/routes.ts";

/** RSS 2.0 feed of the English bulletins. Items carry the summary only, never indicators. */
export const GET: APIRoute = async (context) => {
  const t = getT("en");
  const documents = await getDocuments("en");
  return rss({
    title: t("site:rss.title"),
    description: t("site:rss.description"),
    site: context.site ?? "https://atrc.example",
    customData: "<language>en-GB</language>",
    items: documents.map(({ bulletin, document }) => ({
      title: `${document.meta.id}: ${document.meta.title}`,
      link: pathTo("en", "bulletin", bulletin.slug),
      pubDate: new Date(`${document.meta.published}T00:00:00Z`),
      description: document.meta.summary,
      categories: [...document.meta.tags],
    })),
  });
};
