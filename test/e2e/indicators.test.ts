/**
 * No indicator is ever live where a person reads it, and none is ever a link: a scan of the whole built
 * output (HTML text and attributes, JSON-LD, RSS, sitemap, scripts, styles, the search index and the text
 * of every PDF). The machine exports under /iocs and /feeds are exempt: they must hold real values.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import {
  fangedIn,
  linkTargets,
  linkedIn,
  readableText,
  watchlist,
  type Finding,
  type Watchlist,
} from "../helpers/indicators.ts";
import { DIST, getBulletins, listFiles, requireDist } from "../helpers/site.ts";

/** Machine-readable exports: they carry refanged values on purpose (FORMATS §0.9). */
const EXEMPT = /^(?:iocs|feeds)\//u;

let list: Watchlist;
let files: string[] = [];

beforeAll(async () => {
  requireDist();
  list = watchlist(await getBulletins());
  files = (await listFiles()).filter((file) => !EXEMPT.test(file));
});

function pdfText(file: string): string {
  return execFileSync("pdftotext", ["-enc", "UTF-8", path.join(DIST, file), "-"], { encoding: "utf8" });
}

describe("the scanner", () => {
  it("knows every indicator of every bulletin", async () => {
    const count = (await getBulletins()).reduce(
      (sum, bulletin) => sum + bulletin.original.indicators.length,
      0,
    );
    expect(count).toBeGreaterThan(0);
    expect(list.keys.size).toBe(count);
    expect(list.hosts.has("pbxsources.com")).toBe(true);
    // Legitimate hosts are only flagged by their exact indicator, not by host.
    expect(list.hosts.has("github.com")).toBe(false);
  });

  it("flags a live indicator and lets its defanged form through", () => {
    expect(fangedIn("C2: https://pbxsources.com/exchange.", list)).toEqual([
      { key: "url:https://pbxsources.com/exchange", written: "https://pbxsources.com/exchange" },
    ]);
    expect(fangedIn("C2: pbxsources.com", list)).toHaveLength(1);
    expect(fangedIn("mail philip.je@proton.me", list)).toHaveLength(1);
    expect(fangedIn("C2: hxxps://pbxsources[.]com/exchange", list)).toEqual([]);
    expect(fangedIn("see https://github.com/Neo23x0/signature-base", list)).toEqual([]);
    expect(linkedIn("hxxps://pbxsources[.]com/exchange", list)).toHaveLength(1);
    expect(linkedIn("https://pbxsources.com/other", list)).toHaveLength(1);
    expect(linkedIn("https://www.3cx.com/blog/news/desktopapp-security-alert-updates/", list)).toEqual([]);
  });
});

describe("the built output", () => {
  it("scans HTML, XML, JSON-LD, scripts, styles, PDFs and the search index", () => {
    const kinds = new Set(files.map((file) => path.extname(file)));
    for (const ext of [".html", ".xml", ".pdf", ".js", ".css", ".pf_fragment"])
      expect(kinds, ext).toContain(ext);
  });

  it("never shows an indicator live where a person reads it", () => {
    const findings: (Finding & { file: string })[] = [];
    for (const file of files) {
      const ext = path.extname(file);
      let text: string;
      if (ext === ".pdf") text = pdfText(file);
      else if (ext === ".pf_fragment")
        text = gunzipSync(readFileSync(path.join(DIST, file))).toString("utf8");
      else if (ext === ".html" || ext === ".xml" || ext === ".svg")
        text = readableText(readFileSync(path.join(DIST, file), "utf8"));
      else if ([".wasm", ".pf_index", ".pf_meta"].includes(ext) || file.endsWith(".pagefind")) continue;
      else text = readFileSync(path.join(DIST, file), "utf8");
      for (const finding of fangedIn(text, list)) findings.push({ file, ...finding });
    }
    expect(findings).toEqual([]);
  });

  it("never makes an indicator a link, in any page, feed or sitemap", () => {
    const findings: (Finding & { file: string })[] = [];
    let targets = 0;
    for (const file of files.filter((name) => /\.(?:html|xml)$/u.test(name))) {
      for (const target of linkTargets(readFileSync(path.join(DIST, file), "utf8"))) {
        targets++;
        for (const finding of linkedIn(target, list)) findings.push({ file, ...finding });
      }
    }
    expect(targets).toBeGreaterThan(100);
    expect(findings).toEqual([]);
  });
});
