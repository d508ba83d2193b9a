/** Shared test helpers: Debian PDF tools, the 3CX bulletin, generated bulletins. */
import type { Bulletin } from "@atrc/bulletin";
import { parseBulletin } from "@atrc/bulletin";
import { loadContent } from "@atrc/bulletin/node";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GeneratedLang } from "./fixtures/generate.js";

type Tool = "pdftotext" | "pdfinfo" | "pdfdetach" | "pdffonts" | "qpdf";

/**
 * Run a Debian PDF tool on `bytes`. A missing tool fails the test with a clear message (CI
 * installs poppler-utils and qpdf), so these checks can never be skipped silently.
 */
export function tool(name: Tool, args: readonly string[], bytes: Uint8Array): string {
  const dir = mkdtempSync(path.join(tmpdir(), "atrc-pdf-test-"));
  const file = path.join(dir, "input.pdf");
  writeFileSync(file, bytes);
  try {
    return execFileSync(name, [...args.map((arg) => (arg === "$PDF" ? file : arg))], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(
        `\`${name}\` is not installed: install Debian's poppler-utils and qpdf (apt-get install -y poppler-utils qpdf)`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** Extracted text of some pages (1-based, inclusive). */
export function pdfText(bytes: Uint8Array, first?: number, last?: number): string {
  const range = first === undefined ? [] : ["-f", String(first), "-l", String(last ?? first)];
  return tool("pdftotext", [...range, "-enc", "UTF-8", "$PDF", "-"], bytes);
}

/** Number of pages, from pdfinfo. */
export function pageCount(bytes: Uint8Array): number {
  const match = /^Pages:\s+(\d+)/mu.exec(tool("pdfinfo", ["$PDF"], bytes));
  if (!match) throw new Error("pdfinfo printed no page count");
  return Number(match[1]);
}

/** Text without any whitespace, so values wrapped over lines compare whole. */
export function squash(text: string): string {
  return text.replace(/\s+/gu, "");
}

const root = fileURLToPath(new URL("../../../", import.meta.url));

/** The real 3CX bulletin from `content/`. */
export async function load3cx(): Promise<Bulletin> {
  const { bulletins } = await loadContent([path.join(root, "content/bulletins/2023-03-3cx")], { cwd: root });
  const bulletin = bulletins[0];
  if (!bulletin) throw new Error("content/bulletins/2023-03-3cx did not load");
  return bulletin;
}

/** Parse a generated bulletin (both languages) and fail loudly on any diagnostic error. */
export function parseGenerated(slug: string, make: (lang: GeneratedLang) => string): Bulletin {
  const result = parseBulletin(slug, {
    es: { path: `${slug}/es.md`, value: make("es") },
    en: { path: `${slug}/en.md`, value: make("en") },
  });
  if (!result.bulletin) {
    throw new Error(result.files.flatMap((file) => file.messages.map(String)).join("\n"));
  }
  return result.bulletin;
}

/** A CSV and a STIX-like JSON built from the bulletin, standing in for @atrc/export's output. */
export function exportsOf(bulletin: Bulletin) {
  const indicators = bulletin.original.indicators;
  const csv = ["type,value", ...indicators.map((indicator) => `${indicator.type},${indicator.value}`)].join(
    "\r\n",
  );
  const stix = JSON.stringify(
    {
      type: "bundle",
      id: "bundle--00000000-0000-5000-8000-000000000000",
      objects: indicators.map((indicator) => ({ type: "indicator", pattern: indicator.value })),
    },
    null,
    2,
  );
  const id = bulletin.id.toLowerCase();
  return [
    { name: `${id}.csv`, data: csv, mimeType: "text/csv", description: "Indicators (CSV)" },
    {
      name: `${id}.stix.json`,
      data: stix,
      mimeType: "application/json",
      description: "Indicators (STIX 2.1)",
    },
  ];
}
