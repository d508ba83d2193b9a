import { exportAll, exportIndicators, publicBulletins } from "@atrc/export";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { UsageError, type Command } from "../io.js";
import { DEFAULT_SITE_URL, parseOptions, siteUrlOption, showHelp } from "../options.js";
import { loadChecked } from "../load.js";
import { writeAtomically } from "../write.js";

const help = `Usage: atrc export [paths...] --out <dir> [options]

Write the machine-readable exports of every TLP:CLEAR bulletin, with the same
layout the site publishes:

  iocs/<id>.json  .csv  .stix.json  .misp.json   per bulletin (JSON, CSV, STIX 2.1, MISP)
  iocs/all.json, iocs/all.csv                    every bulletin
  feeds/misp/                                    MISP feed (manifest.json, hashes.csv, <uuid>.json)
  feeds/index.txt, feeds/changes.csv             file index and change list
  schema/atrc-iocs-v1.json                       JSON Schema of the JSON files
  SHA256SUMS and <file>.sha256                   checksums

Values are refanged; the defanged form is a separate field. Two runs on the same
content give byte-identical files. Paths are content roots, bulletin folders or
Markdown files (default: content/).

Options:
  -o, --out <dir>       folder to write into (required); files are written to a
                        temporary folder first, then moved, so a failed run
                        leaves nothing half-written
  --site-url <url>      public site URL used in links and as the seed of every
                        id (default: $ATRC_SITE_URL or ${DEFAULT_SITE_URL})
  --checksum <p>=<dir>  also cover the files of <dir>, published under <p>/, in
                        SHA256SUMS and with .sha256 sidecars (e.g. pdf=out/pdf);
                        the files themselves are not copied
  --replace             make <dir> hold exactly these files
  -h, --help            show this help

Exit codes: 0 written, 1 errors in the content (nothing written), 2 bad usage.

Examples:
  atrc export --out out/exports
  atrc export content/bulletins/2023-03-3cx --out /tmp/3cx --site-url https://atrc.example`;

/** `atrc export`: write the JSON, CSV, STIX 2.1 and MISP exports with checksums. */
export const exportCommand: Command = {
  name: "export",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (showHelp(values, help, io)) return 0;
    if (!values.out)
      throw new UsageError("Missing --out <dir>, expected the folder to write the exports into");
    const siteUrl = siteUrlOption(values["site-url"]);
    const { bulletins, ok } = await loadChecked(positionals, io);
    if (!ok) return 1;

    const extraFiles = new Map<string, Uint8Array>();
    for (const spec of values.checksum ?? []) {
      const [prefix, dir] = spec.split(/=(.*)/su);
      if (!prefix || !dir || !/^[\w.-]+(?:\/[\w.-]+)*$/u.test(prefix)) {
        throw new UsageError(`Unexpected --checksum \`${spec}\`, expected <prefix>=<dir>, e.g. pdf=out/pdf`);
      }
      const root = path.resolve(io.cwd, dir);
      const names = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => {
        throw new UsageError(`Cannot read folder: ${dir}`, 1);
      });
      for (const entry of names) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath, entry.name);
        extraFiles.set(
          `${prefix}/${path.relative(root, full).split(path.sep).join("/")}`,
          await readFile(full),
        );
      }
    }
    const files = exportAll(bulletins, { siteUrl, extraFiles });
    // The extra files are published from their own folder; only their checksums are written here.
    for (const extra of extraFiles.keys()) files.delete(extra);
    const outDir = path.resolve(io.cwd, values.out);
    await writeAtomically(outDir, files, { replace: values.replace ?? false });
    const exported = publicBulletins(bulletins);
    const indicators = exported.reduce((sum, bulletin) => sum + exportIndicators(bulletin).length, 0);
    const shown = path.relative(io.cwd, outDir) || ".";
    io.stderr(
      `✔ Wrote ${files.size} files to ${shown} (${plural(exported.length, "bulletin")}, ${plural(indicators, "indicator")}).\n`,
    );
    return 0;
  },
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function parse(argv: readonly string[]) {
  return parseOptions(argv, {
    out: { type: "string", short: "o" },
    "site-url": { type: "string" },
    checksum: { type: "string", multiple: true },
    replace: { type: "boolean" },
  });
}
