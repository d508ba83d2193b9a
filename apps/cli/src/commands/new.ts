import { loadContent } from "@atrc/bulletin/node";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { UsageError, type Command } from "../io.js";
import { parseOptions, showHelp } from "../options.js";

const help = `Usage: atrc new <slug> [options]

Creates content/bulletins/<yyyy-mm>-<slug>/es.md and en.md from the template, with the
next free id of the year and today's date. Fill in the fields the template leaves empty;
\`atrc check\` lists what is still missing.

Options:
  --content <dir>   content root (default: content)
  --date <date>     publication date, YYYY-MM-DD (default: today, UTC)
  -h, --help        show this help

Example:
  atrc new lockbit-esxi`;

/** `atrc new`: scaffold a bulletin in both languages. */
export const newCommand: Command = {
  name: "new",
  help,
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, {
      content: { type: "string" },
      date: { type: "string" },
    });
    if (showHelp(values, help, io)) return 0;
    const [slug, ...extra] = positionals;
    if (slug === undefined || extra.length > 0)
      throw new UsageError("Expected one slug, e.g. `atrc new lockbit-esxi`");
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/u.test(slug)) {
      throw new UsageError(
        `Unexpected slug \`${slug}\`, expected lower-case words joined by hyphens, e.g. \`lockbit-esxi\``,
      );
    }
    const date = values.date ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/u.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
      throw new UsageError(`Unexpected --date \`${date}\`, expected YYYY-MM-DD`);
    }
    const root = path.resolve(io.cwd, values.content ?? "content");
    const folder = path.join(root, "bulletins", `${date.slice(0, 7)}-${slug}`);
    const year = date.slice(0, 4);
    const id = `ATRC-${year}-${String((await highestNumber(root, year)) + 1).padStart(3, "0")}`;

    await mkdir(path.dirname(folder), { recursive: true });
    try {
      await mkdir(folder);
    } catch {
      throw new UsageError(`${path.relative(io.cwd, folder)} already exists; pick another slug`, 1);
    }
    await writeFile(path.join(folder, "es.md"), template("es", id, date), { flag: "wx" });
    await writeFile(path.join(folder, "en.md"), template("en", id, date), { flag: "wx" });
    const shown = path.relative(io.cwd, folder);
    io.stdout(`${shown}/es.md\n${shown}/en.md\n`);
    io.stderr(
      `✔ Created ${id} in ${shown}. Fill in title, summary, tags, actors, products and the sections, then run \`atrc check ${shown}\`.\n`,
    );
    return 0;
  },
};

/** Highest bulletin number of the year among existing ids, whatever their check status. */
async function highestNumber(root: string, year: string): Promise<number> {
  let highest = 0;
  const result = await loadContent([root], { public: false }).catch(() => undefined);
  const pattern = new RegExp(`^id:\\s*["']?ATRC-${year}-(\\d+)`, "mu");
  for (const file of result?.files ?? []) {
    const match = pattern.exec(String(file.value));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest;
}

function template(lang: "es" | "en", id: string, date: string): string {
  const es = lang === "es";
  return `---
id: ${id}
lang: ${lang}
title:
summary:
published: ${date}
modified: ${date}
revision: 1
tlp: TLP:CLEAR
severity: high
tags: []
actors: []
products: []
malware: []
attack: []
${es ? "" : "translation:\n  source: es\n  revision: 1\n"}---

${es ? "## Resumen" : "## Summary"}

${es ? "<!-- Qué ocurrió, a quién afecta y qué hacer, en dos o tres frases. -->" : "<!-- What happened, who is affected and what to do, in two or three sentences. -->"}

${es ? "## Recomendaciones" : "## Recommendations"}

${es ? "<!-- Acciones concretas, de la más urgente a la menos urgente. -->" : "<!-- Concrete actions, most urgent first. -->"}

${es ? "## Indicadores de compromiso" : "## Indicators of compromise"}

${es ? "<!-- Pegue aquí la salida de `atrc extract informe.txt`. Valores siempre neutralizados (defanged). -->" : "<!-- Paste the output of `atrc extract --lang en report.txt` here. Values always defanged. -->"}

| ${es ? "Tipo" : "Type"} | ${es ? "Indicador" : "Indicator"} | ${es ? "Descripción" : "Description"} |
| --- | --- | --- |

${es ? "## Referencias" : "## References"}

${es ? "<!-- - [Título de la fuente](https://…) -->" : "<!-- - [Source title](https://…) -->"}
`;
}
