/**
 * Checks of the built site that need no browser: every route exists, every page is valid HTML with
 * the CSP and no inline script, languages are wired both ways, downloads match what the pages say,
 * feeds and sitemap are sound, and a content error fails the build with `atrc check`'s diagnostics.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { hasErrors } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { exportPaths } from "@atrc/export";
import { formatReport } from "@atrc/report";
import { parse } from "csv-parse/sync";
import { HtmlValidate, type ConfigData } from "html-validate";
import { beforeAll, describe, expect, it } from "vitest";
import { DIST, REPO, getBulletins, listFiles, pagePath, readDist, requireDist } from "../helpers/site.ts";

const HTML_VALIDATE: ConfigData = {
  extends: ["html-validate:recommended"],
  // No rule is relaxed: the recommended preset passes as is.
};

let files: string[] = [];
let pages: { file: string; path: string; html: string }[] = [];

beforeAll(async () => {
  requireDist();
  files = await listFiles();
  pages = await Promise.all(
    files
      .filter((file) => file.endsWith(".html"))
      .map(async (file) => ({ file, path: pagePath(file), html: await readDist(file) })),
  );
});

const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`, "u").exec(tag)?.[1];

describe("routes", () => {
  it("builds every page of both languages, the root page and the 404", async () => {
    const bulletins = await getBulletins();
    const expected = [
      "/",
      "/404.html",
      "/es/",
      "/en/",
      "/es/archivo/",
      "/en/archive/",
      "/es/etiquetas/",
      "/en/tags/",
      "/es/actores/",
      "/en/actors/",
      "/es/buscar/",
      "/en/search/",
      "/es/suscribirse/",
      "/en/subscribe/",
      "/es/tlp/",
      "/en/tlp/",
      "/es/actores/lazarus-group/",
      "/en/actors/lazarus-group/",
      "/es/etiquetas/cadena-de-suministro/",
      "/en/tags/supply-chain/",
      ...bulletins.flatMap((bulletin) => [
        `/es/boletines/${bulletin.slug}/`,
        `/en/bulletins/${bulletin.slug}/`,
      ]),
    ];
    const built = new Set(pages.map((page) => page.path));
    for (const route of expected) expect(built, route).toContain(route);
  });

  it("publishes feeds, sitemap, search index and every download", () => {
    for (const file of [
      "es/rss.xml",
      "en/rss.xml",
      "sitemap-index.xml",
      "sitemap-0.xml",
      "pagefind/shards.json",
      "pagefind/2023/pagefind.js",
      "iocs/all.json",
      "iocs/all.csv",
      "feeds/misp/manifest.json",
      "feeds/misp/hashes.csv",
      "SHA256SUMS",
      "schema/atrc-iocs-v1.json",
    ]) {
      expect(files, file).toContain(file);
    }
    expect(files.filter((file) => /^pdf\/.+\.pdf$/u.test(file))).toHaveLength(2);
  });

  it("leads / to Spanish without JavaScript", () => {
    const root = pages.find((page) => page.path === "/")!.html;
    expect(root).toMatch(/<meta http-equiv="refresh" content="0; url=\/es\/">/u);
    expect(root).toContain('href="/es/"');
    expect(root).toContain('href="/en/"');
    expect(root).toMatch(/<html lang="es"/u);
  });
});

describe("every page", () => {
  it("is valid HTML (html-validate:recommended)", async () => {
    const validator = new HtmlValidate(HTML_VALIDATE);
    const failures: string[] = [];
    for (const page of pages) {
      const report = await validator.validateString(page.html, page.file);
      for (const result of report.results) {
        for (const message of result.messages) {
          failures.push(
            `${page.file}:${message.line}:${message.column} ${message.message} (${message.ruleId})`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("has the CSP meta first in <head> and no inline script, style element or style attribute", () => {
    for (const page of pages) {
      expect(page.html, page.file).toMatch(
        /^<!DOCTYPE html><html[^>]*><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self';[^"]*object-src 'none'; base-uri 'self'; form-action 'self'">/u,
      );
      for (const [tag] of page.html.matchAll(/<script\b[^>]*>/gu)) {
        const isData = attr(tag, "type") === "application/ld+json";
        const isFile = attr(tag, "src")?.startsWith("/") === true;
        expect(isData || isFile, `${page.file}: ${tag}`).toBe(true);
      }
      expect(page.html, page.file).not.toMatch(/<style\b|\sstyle="/u);
      expect(page.html, page.file).not.toMatch(/\son[a-z]+="/u);
    }
  });

  it("declares its language, and links the same page in the other language both ways", () => {
    const byPath = new Map(pages.map((page) => [page.path, page]));
    for (const page of pages) {
      const lang = /^<!DOCTYPE html><html lang="(es|en)"/u.exec(page.html)?.[1];
      const prefix = page.path.split("/")[1];
      if (prefix !== "es" && prefix !== "en") continue;
      expect(lang, page.file).toBe(prefix);
      for (const [tag] of page.html.matchAll(/<link rel="alternate" hreflang="(?:es|en)"[^>]*>/gu)) {
        const href = new URL(attr(tag, "href") ?? "").pathname;
        const target = byPath.get(href);
        expect(target, `${page.file} → ${href}`).toBeDefined();
        // Reciprocal: the alternate page points back here.
        expect(target!.html, `${href} ← ${page.path}`).toContain(`href="https://atrc.example${page.path}"`);
      }
    }
  });

  it("switches language to the same bulletin", async () => {
    for (const bulletin of await getBulletins()) {
      const es = pages.find((page) => page.path === `/es/boletines/${bulletin.slug}/`)!.html;
      const en = pages.find((page) => page.path === `/en/bulletins/${bulletin.slug}/`)!.html;
      expect(es).toMatch(
        new RegExp(`class="lang-switch" href="/en/bulletins/${bulletin.slug}/" hreflang="en"`, "u"),
      );
      expect(en).toMatch(
        new RegExp(`class="lang-switch" href="/es/boletines/${bulletin.slug}/" hreflang="es"`, "u"),
      );
    }
  });

  it("has Open Graph tags, a canonical URL and a description", () => {
    for (const page of pages.filter((item) => item.path !== "/")) {
      for (const property of ["og:title", "og:description", "og:type", "og:url", "og:locale"]) {
        expect(page.html, `${page.file} ${property}`).toContain(`<meta property="${property}" content="`);
      }
      expect(page.html, page.file).toMatch(/<link rel="canonical" href="https:\/\/atrc\.example\//u);
    }
  });
});

describe("bulletin pages", () => {
  it("format dates and numbers per locale", async () => {
    const [bulletin] = await getBulletins();
    const es = await readDist(`es/boletines/${bulletin!.slug}/index.html`);
    const en = await readDist(`en/bulletins/${bulletin!.slug}/index.html`);
    expect(es).toContain("30 de marzo de 2023");
    expect(en).toContain("30 March 2023");
    expect(es).toContain("242.519");
    expect(en).toContain("242,519");
  });

  it("show TLP banners top and bottom, the metadata, the IOC table and JSON-LD", async () => {
    for (const bulletin of await getBulletins()) {
      for (const [lang, route] of [
        ["es", `es/boletines/${bulletin.slug}/index.html`],
        ["en", `en/bulletins/${bulletin.slug}/index.html`],
      ] as const) {
        const html = await readDist(route);
        const document = bulletin.documents[lang]!;
        expect(html.match(/class="tlp-banner tlp-(?:top|bottom)"/gu)).toHaveLength(2);
        expect(html).toContain(`TLP:${document.meta.tlp}</a>`);
        expect(html).toContain(document.meta.id);
        const cells = [...html.matchAll(/<td data-ioc=""><code>([^<]*)<\/code><\/td>/gu)].map(
          (match) => match[1],
        );
        expect(cells).toEqual(document.indicators.map((indicator) => indicator.defanged));
        const ld = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/u.exec(html)?.[1];
        const data = JSON.parse(ld ?? "{}") as Record<string, unknown>;
        expect(data).toMatchObject({
          "@type": "Report",
          headline: document.meta.title,
          datePublished: document.meta.published,
          dateModified: document.meta.modified,
          inLanguage: lang,
        });
      }
    }
  });

  it("list every download with the size and SHA-256 of the published bytes", async () => {
    for (const bulletin of await getBulletins()) {
      const html = await readDist(`es/boletines/${bulletin.slug}/index.html`);
      const items = [...html.matchAll(/<li class="download">([\s\S]*?)<\/li>/gu)].map((match) => match[1]!);
      const formats = items.map((item) => /class="download-format">([^<]*)</u.exec(item)?.[1]);
      expect(formats).toEqual(["PDF", "PDF", "CSV", "JSON", "STIX 2.1", "MISP"]);
      for (const item of items) {
        const href = /class="download-link" href="([^"]*)"/u.exec(item)?.[1] ?? "";
        const sha = /<code>([0-9a-f]{64})<\/code>/u.exec(item)?.[1];
        const bytes = readFileSync(path.join(DIST, href));
        expect(createHash("sha256").update(bytes).digest("hex"), href).toBe(sha);
        const size =
          /class="download-size">(.*?)<\/span>\s*<span class="download-hash">/su.exec(item)?.[1] ?? "";
        expect(size.replace(/<[^>]*>/gu, "")).toMatch(/\d[\d,.]* (?:B|kB|MB)$/u);
      }
    }
  });

  it("publish a CSV that parses to one row per indicator", async () => {
    for (const bulletin of await getBulletins()) {
      const file = exportPaths(bulletin).csv;
      const rows = parse<Record<string, string>>(await readDist(file), { columns: true });
      expect(rows).toHaveLength(bulletin.original.indicators.length);
    }
  });
});

describe("feeds and sitemap", () => {
  it("publish one RSS feed per language with the summaries and links to the bulletins", async () => {
    for (const bulletin of await getBulletins()) {
      for (const [lang, link] of [
        ["es", `https://atrc.example/es/boletines/${bulletin.slug}/`],
        ["en", `https://atrc.example/en/bulletins/${bulletin.slug}/`],
      ] as const) {
        const xml = await readDist(`${lang}/rss.xml`);
        expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><rss version="2.0">/u);
        expect(xml).toContain(`<link>${link}</link>`);
        expect(xml).toContain(`<language>${lang === "es" ? "es-ES" : "en-GB"}</language>`);
        expect(xml).toContain(
          bulletin.documents[lang]!.meta.summary.replace(/'/gu, "&apos;").replace(/"/gu, "&quot;"),
        );
      }
    }
  });

  it("pairs translated pages in the sitemap and leaves out the 404 and the root redirect", async () => {
    const xml = await readDist("sitemap-0.xml");
    expect(xml).not.toContain("404");
    expect(xml).not.toContain("<loc>https://atrc.example/</loc>");
    expect(xml).toContain(
      '<loc>https://atrc.example/es/etiquetas/cadena-de-suministro/</loc><xhtml:link rel="alternate" hreflang="en-GB" href="https://atrc.example/en/tags/supply-chain/"/>',
    );
    const pagesInSitemap = [...xml.matchAll(/<loc>([^<]*)<\/loc>/gu)].map(
      (match) => new URL(match[1]!).pathname,
    );
    for (const route of pagesInSitemap)
      expect(existsSync(path.join(DIST, route, "index.html")), route).toBe(true);
  });
});

describe("the content loader", () => {
  it("fails the build with the same diagnostics as `atrc check`", async () => {
    const fixture = path.join(REPO, "test/fixtures/bulletins/ioc-live");
    const { files: checked } = await loadContent([fixture], { cwd: REPO });
    expect(hasErrors(checked)).toBe(true);
    const expected = formatReport(checked, { onError: "The site was not built." });
    const out = mkdtempSync(path.join(os.tmpdir(), "atrc-site-fail-"));
    try {
      const result = spawnSync("npx", ["astro", "build", "--force", "--outDir", out], {
        cwd: path.join(REPO, "apps/site"),
        env: {
          ...process.env,
          ATRC_CONTENT_DIR: fixture,
          ASTRO_TELEMETRY_DISABLED: "1",
          NO_COLOR: "1",
          FORCE_COLOR: "0",
        },
        encoding: "utf8",
        timeout: 90_000,
      });
      expect(result.status).not.toBe(0);
      const output = `${result.stdout}${result.stderr}`;
      for (const line of expected.trimEnd().split("\n")) expect(output).toContain(line);
      expect(existsSync(path.join(out, "index.html"))).toBe(false);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the page caches", () => {
  it("builds byte for byte the same site whether bulletin pages are rendered or taken from the cache", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "atrc-page-cache-"));
    const build = (outDir: string) => {
      const result = spawnSync("npx", ["astro", "build", "--force", "--outDir", outDir], {
        cwd: path.join(REPO, "apps/site"),
        env: {
          ...process.env,
          ATRC_PUBLISH_DIR: ".publish",
          ATRC_PAGE_CACHE_DIR: path.join(work, "cache"),
          ASTRO_TELEMETRY_DISABLED: "1",
          NO_COLOR: "1",
        },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      return `${result.stdout}${result.stderr}`;
    };
    // The site a build leaves: its output folder and, beside it, `<out>-cached` (every bulletin page, a symbolic
    // link into the page cache), which the last stage serves with it. Path → bytes (through the links).
    const site = (name: string) => {
      const pages = new Map<string, Buffer>();
      for (const dir of [name, `${name}-cached`]) {
        const root = path.join(work, dir);
        if (!existsSync(root)) continue;
        for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
          if (!entry.isFile() && !entry.isSymbolicLink()) continue;
          const relative = path.relative(root, path.join(entry.parentPath, entry.name));
          expect(pages.has(relative), `${relative} in both folders`).toBe(false);
          pages.set(relative, readFileSync(path.join(root, relative)));
        }
      }
      return pages;
    };
    const bulletinLinks = (name: string) =>
      readdirSync(path.join(work, `${name}-cached`), { recursive: true, withFileTypes: true })
        .filter((entry) => !entry.isDirectory())
        .map((entry) => {
          expect(entry.isSymbolicLink(), entry.name).toBe(true);
          return path.relative(path.join(work, `${name}-cached`), path.join(entry.parentPath, entry.name));
        })
        .sort();
    try {
      const rendered = build(path.join(work, "rendered"));
      const first = site("rendered");
      // A page no build has used for weeks is removed from the cache.
      const stale = path.join(work, "cache", `${"0".repeat(64)}.html`);
      writeFileSync(stale, "<p>stale</p>");
      const monthAgo = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
      utimesSync(stale, monthAgo, monthAgo);
      // The folder of cached pages ends up holding the bulletin pages only: a page of no bulletin is removed.
      const gone = path.join(work, "cached-cached/es/boletines/retirado/index.html");
      mkdirSync(path.dirname(gone), { recursive: true });
      writeFileSync(gone, "<p>a bulletin deleted since</p>");
      // So is a link a stopped build left in its staging folder.
      const leftover = path.join(work, "cached-cached/.tmp-99999/index.html");
      mkdirSync(path.dirname(leftover), { recursive: true });
      symlinkSync("../../cache/a-page.html", leftover);
      const cached = build(path.join(work, "cached"));
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(path.dirname(gone))).toBe(false);
      expect(existsSync(path.dirname(leftover))).toBe(false);
      // Both builds serve every bulletin page from the cache (the first moved the pages it rendered there).
      const links = bulletinLinks("rendered");
      const bulletins = readdirSync(path.join(work, "rendered-cached", "es", "boletines")).length;
      expect(bulletins).toBeGreaterThan(0);
      expect(links).toHaveLength(2 * bulletins);
      expect(bulletinLinks("cached")).toEqual(links);
      // Every bulletin page of the second build came from the cache: only the other pages were rendered.
      const count = (log: string) => Number(/(\d+) page\(s\) built/u.exec(log)?.[1]);
      expect(count(rendered) - count(cached)).toBe(2 * bulletins);
      const second = site("cached");
      expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
      for (const [name, bytes] of first) expect(bytes.equals(second.get(name)!), name).toBe(true);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 240_000);

  it("brings .publish up to date before building the site when it was made for other content", () => {
    // Turborepo restores only .publish/run-key when it takes the content stage from its cache: here the key of
    // another content, as after a switch of branch.
    const publish = path.join(REPO, "apps/site/.publish");
    const manifestKey = () =>
      (JSON.parse(readFileSync(path.join(publish, "manifest.json"), "utf8")) as { key: string }).key;
    const key = manifestKey();
    writeFileSync(path.join(publish, "run-key"), `${"0".repeat(64)}\n`);
    const siteBuild = () =>
      spawnSync("npm", ["run", "site:build", "--workspace", "@atrc/site"], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: "1", ASTRO_TELEMETRY_DISABLED: "1" },
        encoding: "utf8",
        timeout: 120_000,
      });
    const result = siteBuild();
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    expect(result.stderr).toContain("apps/site/.publish is not the content stage's output for this content");
    expect(manifestKey()).toBe(key);
    expect(readFileSync(path.join(publish, "run-key"), "utf8")).toBe(`${key}\n`);
    // When it says the manifest's key, the site is built from .publish as it is.
    const again = siteBuild();
    expect(again.status, `${again.stdout}${again.stderr}`).toBe(0);
    expect(again.stderr).not.toContain("is not the content stage's output");
  }, 240_000);

  it("serves only the files of the site build the last stage was given, not another build's left beside them", () => {
    // Turborepo restores a cached stage's output over the folders as they are: another build's files stay. Here
    // a page of a bulletin deleted since (a cached page's link) and a file the site no longer has.
    const site = path.join(REPO, "apps/site");
    const stray = path.join(site, ".site/stray-other-build.html");
    const strayLink = path.join(site, ".site-cached/es/boletines/retirado/index.html");
    writeFileSync(stray, "<p>another build</p>");
    mkdirSync(path.dirname(strayLink), { recursive: true });
    symlinkSync(path.relative(path.dirname(strayLink), stray), strayLink);
    try {
      const result = spawnSync("npm", ["run", "build", "--workspace", "@atrc/site"], {
        cwd: REPO,
        env: { ...process.env, NO_COLOR: "1" },
        encoding: "utf8",
        timeout: 120_000,
      });
      expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
      expect(existsSync(stray)).toBe(false);
      expect(existsSync(path.dirname(strayLink))).toBe(false);
      expect(existsSync(path.join(DIST, "stray-other-build.html"))).toBe(false);
      expect(existsSync(path.join(DIST, "es/boletines/retirado"))).toBe(false);
      expect(existsSync(path.join(DIST, "es/boletines/2023-03-3cx/index.html"))).toBe(true);
    } finally {
      rmSync(stray, { force: true });
      rmSync(path.dirname(strayLink), { recursive: true, force: true });
    }
  }, 120_000);

  it("renders again exactly the other pages whose inputs changed: the downloads, or the bulletins' summaries", () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "atrc-route-cache-"));
    const pagesDir = path.join(work, "publish", "pages");
    cpSync(path.join(REPO, "apps/site/.publish/pages"), pagesDir, { recursive: true });
    const build = (name: string) => {
      const outDir = path.join(work, name);
      const result = spawnSync("npx", ["astro", "build", "--force", "--outDir", outDir], {
        cwd: path.join(REPO, "apps/site"),
        env: {
          ...process.env,
          ATRC_PUBLISH_DIR: path.join(work, "publish"),
          ATRC_PAGE_CACHE_DIR: path.join(work, "cache"),
          ASTRO_TELEMETRY_DISABLED: "1",
          NO_COLOR: "1",
        },
        encoding: "utf8",
        timeout: 120_000,
      });
      const log = `${result.stdout}${result.stderr}`;
      expect(result.status, log).toBe(0);
      const taken = /(\d+) other page\(s\) taken from the cache/u.exec(log);
      expect(taken, log).not.toBeNull();
      const page = (route: string) => readFileSync(path.join(outDir, route, "index.html"), "utf8");
      return { taken: Number(taken![1]), page };
    };
    try {
      const first = build("first");
      expect(first.taken).toBe(0);
      const others = build("again").taken;
      expect(others).toBeGreaterThan(10);

      // New checksums (a bulletin's PDF changed): only the two subscribe pages show them.
      const downloadsFile = path.join(pagesDir, "downloads.json");
      const downloads = JSON.parse(readFileSync(downloadsFile, "utf8")) as Record<string, { sha256: string }>;
      const sums = downloads.SHA256SUMS!;
      expect(first.page("en/subscribe")).toContain(sums.sha256);
      sums.sha256 = "ab".repeat(32);
      writeFileSync(downloadsFile, JSON.stringify(downloads));
      const resummed = build("resummed");
      expect(resummed.taken).toBe(others - 2);
      for (const route of ["en/subscribe", "es/suscribirse"])
        expect(resummed.page(route)).toContain(sums.sha256);
      expect(resummed.page("en/archive")).toBe(first.page("en/archive"));

      // A new title (the summaries every list shows): no other page comes from the cache.
      const indexFile = path.join(pagesDir, "index.json");
      const index = readFileSync(indexFile, "utf8");
      const title = /"title":"([^"]+)"/u.exec(index)![1]!;
      expect(first.page("es/archivo")).toContain(title);
      writeFileSync(indexFile, index.replaceAll(`"title":"${title}"`, `"title":"${title} (rev)"`));
      const retitled = build("retitled");
      expect(retitled.taken).toBe(0);
      expect(retitled.page("es/archivo")).toContain(`${title} (rev)`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 360_000);
});
