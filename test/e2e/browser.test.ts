/**
 * What a reader does, in Debian's Chromium: open the home page, open the 3CX bulletin, switch to English
 * and back, search, download the CSV, copy indicators, and read the page without JavaScript.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Bulletin } from "@atrc/bulletin";
import { parse } from "csv-parse/sync";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launch, type Browser } from "../helpers/browser.ts";
import { serve, type StaticServer } from "../helpers/server.ts";
import { DIST, getBulletins, requireDist } from "../helpers/site.ts";

let server: StaticServer;
let browser: Browser;
let bulletin: Bulletin;
const problems: string[] = [];

/** A new page that records console errors, CSP violations and uncaught exceptions. */
async function open(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${page.url()}: ${error.message}`));
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  requireDist();
  const bulletins = await getBulletins();
  bulletin = bulletins.find((item) => item.slug === "2023-03-3cx") ?? bulletins[0]!;
  server = await serve(DIST);
  browser = await launch({ viewport: { width: 1280, height: 900 } });
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a reader with JavaScript", () => {
  it("goes from / to the Spanish home, opens the 3CX bulletin, switches to English and back", async () => {
    const es = bulletin.documents.es!;
    const en = bulletin.documents.en!;
    const page = await open(`${server.url}/`);
    await page.waitForURL(`${server.url}/es/`);
    expect(await page.getAttribute("html", "lang")).toBe("es");

    await page.getByRole("link", { name: es.meta.title }).first().click();
    await page.waitForURL(`${server.url}/es/boletines/${bulletin.slug}/`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(es.meta.title);
    expect(await page.locator(".tlp-banner").first().textContent()).toContain(`TLP:${es.meta.tlp}`);

    await page.locator(".lang-switch").click();
    await page.waitForURL(`${server.url}/en/bulletins/${bulletin.slug}/`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.locator("h1").textContent()).toBe(en.meta.title);

    await page.locator(".lang-switch").click();
    await page.waitForURL(`${server.url}/es/boletines/${bulletin.slug}/`);
    expect(await page.getAttribute("html", "lang")).toBe("es");
    await page.close();
  });

  it("finds the bulletin by searching “SmoothOperator”, in each language", async () => {
    for (const [route, target] of [
      ["/es/buscar/", `/es/boletines/${bulletin.slug}/`],
      ["/en/search/", `/en/bulletins/${bulletin.slug}/`],
    ] as const) {
      const page = await open(`${server.url}${route}`);
      await page.getByRole("searchbox").fill("SmoothOperator");
      await page.getByRole("searchbox").press("Enter");
      const result = page.locator("#search-results a").first();
      await result.waitFor();
      expect(await result.getAttribute("href")).toBe(target);
      expect(await page.locator("#search-results li").count()).toBe(1);
      expect(await page.locator("#search-results mark").first().textContent()).toMatch(/SmoothOperator/u);
      await result.click();
      await page.waitForURL(`${server.url}${target}`);
      await page.close();
    }
  });

  it("searches a bulletin's id, title and tables, but not its indicator table", async () => {
    const en = bulletin.documents.en!;
    const sha1 = en.indicators.find((indicator) => indicator.type === "sha1")!.value;
    const page = await open(`${server.url}/en/search/`);
    const search = async (query: string) => {
      await page.getByRole("searchbox").fill(query);
      await page.getByRole("searchbox").press("Enter");
      await expect.poll(() => page.locator("#search-status").textContent()).toContain(query);
      return page.locator("#search-results a");
    };
    for (const query of [en.meta.id, "Uruguay"]) {
      const results = await search(query);
      expect(await results.count(), query).toBe(1);
      expect(await results.first().getAttribute("href")).toBe(`/en/bulletins/${bulletin.slug}/`);
      expect(await results.first().textContent()).toBe(en.meta.title);
    }
    expect(await (await search(sha1)).count()).toBe(0);
    await page.close();
  });

  it("searches every year's index, each language in its own, newest first", async () => {
    // A copy of the site with two more years: 2019 with a page in each language, 2018 in Spanish only.
    const dir = mkdtempSync(path.join(os.tmpdir(), "atrc-shards-"));
    cpSync(DIST, dir, { recursive: true });
    const pagefind = await import("pagefind");
    const pages = {
      "2019": [
        ["es", "/es/boletines/2019-05-viejo/", "Boletín viejo", "Zyxwquartz y SmoothOperator en 2019."],
        ["en", "/en/bulletins/2019-05-old/", "Old bulletin", "Zyxwquartz and SmoothOperator in 2019."],
      ],
      "2018": [["es", "/es/boletines/2018-01-antiguo/", "Boletín antiguo", "Zyxwquartz en 2018."]],
    } as const;
    // And 2017: 25 English pages that all match one word, more than the page lists.
    const many = Array.from(
      { length: 25 },
      (_, index) =>
        ["en", `/en/bulletins/2017-many-${index}/`, `Many ${index}`, `Plughwizzle number ${index}.`] as const,
    );
    for (const [year, records] of [...Object.entries(pages), ["2017", many] as const]) {
      const { index } = await pagefind.createIndex({});
      for (const [language, url, title, content] of records)
        await index!.addCustomRecord({ url, content, language, meta: { title } });
      await index!.writeFiles({ outputPath: path.join(dir, "pagefind", year) });
    }
    await pagefind.close();
    const shards = path.join(dir, "pagefind/shards.json");
    const list = JSON.parse(readFileSync(shards, "utf8")) as { shards: unknown[] };
    list.shards.push(
      { path: "2019/", languages: ["en", "es"] },
      { path: "2018/", languages: ["es"] },
      { path: "2017/", languages: ["en"] },
    );
    writeFileSync(shards, JSON.stringify(list));
    const copy = await serve(dir);
    try {
      const page = await browser.context.newPage();
      const results = async (lang: string, query: string) => {
        await page.goto(`${copy.url}/${lang === "es" ? "es/buscar" : "en/search"}/?q=${query}`);
        await expect.poll(() => page.locator("#search-status").textContent()).toContain(query);
        return page
          .locator("#search-results a")
          .evaluateAll((links) => links.map((link) => link.getAttribute("href")));
      };
      expect((await results("en", "SmoothOperator")).sort()).toEqual(
        ["/en/bulletins/2019-05-old/", `/en/bulletins/${bulletin.slug}/`].sort(),
      );
      // The 2018 index has no English pages: never searched from the English page.
      expect(await results("en", "Zyxwquartz")).toEqual(["/en/bulletins/2019-05-old/"]);
      expect((await results("es", "Zyxwquartz")).sort()).toEqual([
        "/es/boletines/2018-01-antiguo/",
        "/es/boletines/2019-05-viejo/",
      ]);
      // The best 20 are listed; the count is of them all.
      expect(await results("en", "Plughwizzle")).toHaveLength(20);
      expect(await page.locator("#search-status").textContent()).toBe(
        "25 results for “Plughwizzle” (showing the first 20)",
      );
      await page.close();
    } finally {
      await copy.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("downloads the CSV from the bulletin page, with one row per indicator", async () => {
    const page = await open(`${server.url}/es/boletines/${bulletin.slug}/`);
    const link = page
      .locator(".download", { has: page.locator(".download-format", { hasText: /^CSV$/u }) })
      .locator(".download-link");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const dir = mkdtempSync(path.join(os.tmpdir(), "atrc-download-"));
    try {
      const file = path.join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(download.suggestedFilename()).toMatch(/\.csv$/u);
      const rows = parse<Record<string, string>>(readFileSync(file, "utf8"), { columns: true });
      expect(rows).toHaveLength(22);
      expect(rows).toHaveLength(bulletin.original.indicators.length);
      expect(new Set(rows.map((row) => row.value))).toEqual(
        new Set(bulletin.original.indicators.map((indicator) => indicator.value)),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.close();
  });

  it("copies one defanged indicator, then the whole list", async () => {
    const page = await open(`${server.url}/en/bulletins/${bulletin.slug}/`);
    const indicators = bulletin.documents.en!.indicators;
    const buttons = page.locator("table.ioc-table td[data-ioc] button.copy-button");
    expect(await buttons.count()).toBe(indicators.length);

    await buttons.nth(0).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(indicators[0]!.defanged);
    await expect.poll(() => buttons.nth(0).textContent()).toBe("Copied");
    // The live region is filled a moment later, so screen readers announce it.
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Indicator copied");

    await buttons.nth(6).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(indicators[6]!.defanged);

    await page.getByRole("button", { name: "Copy all indicators" }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(indicators.map((indicator) => indicator.defanged).join("\n"));
    // Everything on the clipboard is defanged.
    expect(await page.evaluate(() => navigator.clipboard.readText())).not.toMatch(/https?:\/\//u);
    await page.close();
  });

  it("raises no console error and no CSP violation on the pages that run scripts", async () => {
    for (const route of ["/es/", `/es/boletines/${bulletin.slug}/`, "/en/search/?q=Lazarus"]) {
      const page = await open(`${server.url}${route}`);
      await page.waitForLoadState("networkidle");
      await page.close();
    }
    expect(problems).toEqual([]);
  });
});

describe("a reader without JavaScript", () => {
  let noJs: Browser;

  beforeAll(async () => {
    noJs = await launch({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await noJs?.close();
  });

  it("reaches Spanish from /, and reads the full IOC table with no dead buttons", async () => {
    const page = await noJs.context.newPage();
    await page.goto(`${server.url}/`);
    await page.waitForURL(`${server.url}/es/`);
    await page.goto(`${server.url}/es/boletines/${bulletin.slug}/`);
    const cells = page.locator("table.ioc-table td[data-ioc] code");
    expect(await cells.allTextContents()).toEqual(
      bulletin.documents.es!.indicators.map((indicator) => indicator.defanged),
    );
    expect(await page.locator("button").count()).toBe(0);
    expect(await page.locator(".download-link").count()).toBe(6);
    await page.close();
  });

  it("explains that search needs JavaScript instead of showing a form that does nothing", async () => {
    const page = await noJs.context.newPage();
    await page.goto(`${server.url}/en/search/`);
    expect(await page.locator("#search-form").isVisible()).toBe(false);
    expect(await page.locator("#search-nojs").isVisible()).toBe(true);
    await page.close();
  });
});
