/**
 * axe-core on every page template, in both languages, in light and dark mode: no serious or critical
 * violation.
 */
import { AxeBuilder } from "@axe-core/playwright";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, type Browser } from "../helpers/browser.ts";
import { serve, type StaticServer } from "../helpers/server.ts";
import { DIST, getBulletins, requireDist } from "../helpers/site.ts";

const TEMPLATES = (slug: string) =>
  [
    ["home", "/es/", "/en/"],
    ["bulletin", `/es/boletines/${slug}/`, `/en/bulletins/${slug}/`],
    ["archive", "/es/archivo/", "/en/archive/"],
    ["tag index", "/es/etiquetas/", "/en/tags/"],
    ["tag", "/es/etiquetas/cadena-de-suministro/", "/en/tags/supply-chain/"],
    ["actor index", "/es/actores/", "/en/actors/"],
    ["actor", "/es/actores/lazarus-group/", "/en/actors/lazarus-group/"],
    ["search", "/es/buscar/?q=SmoothOperator", "/en/search/?q=SmoothOperator"],
    ["subscribe", "/es/suscribirse/", "/en/subscribe/"],
    ["TLP", "/es/tlp/", "/en/tlp/"],
    ["404", "/404.html", "/no-such-page/"],
  ] as const;

let server: StaticServer;
const browsers: Partial<Record<"light" | "dark", Browser>> = {};
let slug = "2023-03-3cx";

beforeAll(async () => {
  requireDist();
  slug = (await getBulletins())[0]?.slug ?? slug;
  server = await serve(DIST);
  [browsers.light, browsers.dark] = await Promise.all([
    launch({ viewport: { width: 1280, height: 900 }, colorScheme: "light" }),
    launch({ viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true, hasTouch: true }),
  ]);
});

afterAll(async () => {
  await Promise.all(Object.values(browsers).map((browser) => browser.close()));
  await server?.close();
});

// Every template in light mode; dark mode (a phone, where most readers meet it) on the pages that
// carry the most colour: home, bulletin (TLP, severity, tables, code) and search results.
const DARK = new Set(["home", "bulletin", "search"]);

describe.each(["light", "dark"] as const)("axe in %s mode", (scheme) => {
  it.each(TEMPLATES(slug).filter(([name]) => scheme === "light" || DARK.has(name)))(
    "finds no serious or critical violation on the %s page (es, en)",
    async (_name, es, en) => {
      const context = browsers[scheme]!.context;
      // Both languages at once: axe is CPU-bound and there are two cores.
      const reports = await Promise.all(
        [es, en].map(async (route) => {
          const page = await context.newPage();
          await page.goto(`${server.url}${route}`);
          if (route.includes("?q=")) await page.locator("#search-results li").first().waitFor();
          const results = await new AxeBuilder({ page }).analyze();
          await page.close();
          return { route, results };
        }),
      );
      for (const { route, results } of reports) {
        const serious = results.violations
          .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
          .map((violation) => ({
            rule: violation.id,
            impact: violation.impact,
            help: violation.help,
            nodes: violation.nodes.map((node) => node.target.join(" ")).slice(0, 5),
          }));
        expect(serious, `${scheme} ${route}`).toEqual([]);
        expect(results.passes.length).toBeGreaterThan(10);
      }
    },
  );
});
