import { TYPE_LABELS } from "@atrc/bulletin";
import { extract, hostOf, isBenignHost, IOC_TYPES, type IocType } from "@atrc/ioc";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError, type Command } from "../io.js";
import { parseOptions, showHelp } from "../options.js";

const help = `Usage: atrc extract [file|-] [options]

Reads a vendor report (plain text or Markdown; standard input with - or no file) and prints
a ready-to-paste Markdown IOC table: typed, deduplicated, defanged, sorted by type.
Well-known legitimate hosts are reported on stderr and never become domain rows.

Options:
  --lang <es|en>  language of the table header (default: es)
  -h, --help      show this help

Examples:
  atrc extract vendor-report.txt >> content/bulletins/2024-05-foo/es.md
  pbpaste | atrc extract - --lang en`;

const HEADERS = {
  es: ["Tipo", "Indicador", "Descripción"],
  en: ["Type", "Indicator", "Description"],
} as const;

/** Rows the bulletin format accepts (CVE ids are not indicators of compromise). */
const TABLE_TYPES: ReadonlySet<IocType> = new Set(IOC_TYPES.filter((type) => type !== "cve"));

/** `atrc extract`: vendor report in, Markdown IOC table out. */
export const extractCommand: Command = {
  name: "extract",
  help,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { lang: { type: "string" } });
    if (showHelp(values, help, io)) return 0;
    const lang = values.lang ?? "es";
    if (lang !== "es" && lang !== "en")
      throw new UsageError(`Unexpected --lang \`${lang}\`, expected \`es\` or \`en\``);
    if (positionals.length > 1) throw new UsageError(`Expected at most one file, got ${positionals.length}`);
    const source = positionals[0] ?? "-";
    const text = source === "-" ? await io.stdin() : await readText(path.resolve(io.cwd, source), source);

    const found = extract(text);
    const rows: { type: IocType; defanged: string; value: string }[] = [];
    const cves: string[] = [];
    for (const entry of found) {
      if (entry.type === "cve") {
        cves.push(entry.value);
        continue;
      }
      if (!TABLE_TYPES.has(entry.type)) continue;
      const host = hostOf(entry.type, entry.value);
      if (host !== null && isBenignHost(host)) {
        if (entry.type === "domain") {
          io.stderr(
            `warning: skipped \`${entry.defanged}\`: a well-known legitimate host is never a domain indicator on its own  ioc-benign-domain\n`,
          );
          continue;
        }
        io.stderr(
          `warning: \`${entry.defanged}\` is on a well-known legitimate host; say in its description that only this exact ${entry.type === "email" ? "address" : "URL"} is malicious\n`,
        );
      }
      rows.push({ type: entry.type, defanged: entry.defanged, value: entry.value });
    }
    rows.sort(
      (a, b) => IOC_TYPES.indexOf(a.type) - IOC_TYPES.indexOf(b.type) || a.value.localeCompare(b.value),
    );
    if (rows.length === 0) {
      io.stderr("No indicators found.\n");
      return 0;
    }
    const header = HEADERS[lang];
    const cells = rows.map((row) => [TYPE_LABELS[row.type], row.defanged, ""]);
    const widths = header.map((title, column) =>
      Math.max(title.length, ...cells.map((row) => row[column]!.length), 3),
    );
    const line = (row: readonly string[]) =>
      `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
    io.stdout(
      [line(header), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...cells.map(line)].join(
        "\n",
      ) + "\n",
    );
    const counts = new Map<IocType, number>();
    for (const row of rows) counts.set(row.type, (counts.get(row.type) ?? 0) + 1);
    io.stderr(
      `✔ ${rows.length} indicators (${[...counts].map(([type, count]) => `${count} ${TYPE_LABELS[type]}`).join(", ")})${cves.length ? `; CVE ids mentioned: ${cves.join(", ")}` : ""}. Fill in the descriptions.\n`,
    );
    return 0;
  },
};

async function readText(full: string, shown: string): Promise<string> {
  let bytes;
  try {
    bytes = await readFile(full);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT"
        ? `No such file: ${shown}`
        : code === "EISDIR"
          ? `Expected a file, got a folder: ${shown}`
          : `Cannot read ${shown} (${code ?? "unknown error"})`,
      1,
    );
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${shown} is not UTF-8 text; re-save it as UTF-8`, 1);
  }
}
