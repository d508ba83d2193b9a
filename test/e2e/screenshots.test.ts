/**
 * Screenshots of the home and bulletin pages, in Spanish and English, at desktop and phone widths,
 * saved to /tmp/site-shots/ (or $ATRC_SHOTS_DIR) for people to look at. Also checks that no page
 * scrolls sideways on a phone: wide tables scroll inside their own region.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, type Browser } from "../helpers/browser.ts";
import { serve, type StaticServer } from "../helpers/server.ts";
import { DIST, getBulletins, requireDist } from "../helpers/site.ts";

const SHOTS = process.env.ATRC_SHOTS_DIR ?? "/tmp/site-shots";
const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } } as const;

let server: StaticServer;
let slug = "2023-03-3cx";
const browsers: Partial<Record<keyof typeof WIDTHS, Browser>> = {};

beforeAll(async () => {
  requireDist();
  mkdirSync(SHOTS, { recursive: true });
  slug = (await getBulletins())[0]?.slug ?? slug;
  server = await serve(DIST);
  [browsers.desktop, browsers.phone] = await Promise.all([
    launch({ viewport: WIDTHS.desktop }),
    launch({ viewport: WIDTHS.phone, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }),
  ]);
});

afterAll(async () => {
  await Promise.all(Object.values(browsers).map((browser) => browser.close()));
  await server?.close();
});

describe.each(Object.keys(WIDTHS) as (keyof typeof WIDTHS)[])("at %s width", (device) => {
  it.each([
    ["home-es", "/es/"],
    ["home-en", "/en/"],
    ["bulletin-es", `/es/boletines/${slug}/`],
    ["bulletin-en", `/en/bulletins/${slug}/`],
  ])("screenshots %s without sideways scrolling", async (name, route) => {
    const page = await browsers[device]!.context.newPage();
    await page.goto(`${server.url}${route}`);
    await page.waitForLoadState("networkidle");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${route} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${device}.png`), fullPage: true });
    await page.close();
  });
});
