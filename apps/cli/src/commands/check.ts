import { RULES } from "@atrc/bulletin";
import { UsageError, type Command } from "../io.js";
import { parseOptions, showHelp } from "../options.js";
import { loadChecked } from "../load.js";

const help = `Usage: atrc check [paths...] [options]

Check bulletins: front matter, every indicator, live links, translations.
Paths are content roots, bulletin folders or Markdown files (default: content/).

Options:
  --format <text|json>  text: compiler-style report on stderr (default)
                        json: {diagnostics, summary} on stdout, for tooling
  --private             allow TLP other than TLP:CLEAR (content not meant for the public site)
  --rules               list every rule with its severity and exit
  -h, --help            show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 bad usage.

Examples:
  atrc check
  atrc check content/bulletins/2023-03-3cx
  atrc check --format json > diagnostics.json`;

/** `atrc check`: lint bulletins with compiler-grade diagnostics. */
export const checkCommand: Command = {
  name: "check",
  help,
  async run(argv, io) {
    const { values, positionals } = parse(argv);
    if (showHelp(values, help, io)) return 0;
    if (values.rules) {
      const width = Math.max(...RULES.map((rule) => rule.id.length));
      for (const rule of RULES)
        io.stdout(`${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.description}\n`);
      return 0;
    }
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") {
      throw new UsageError(`Unexpected --format \`${format}\`, expected \`text\` or \`json\``);
    }
    const { bulletins, ok } = await loadChecked(positionals, io, {
      format,
      public: !values.private,
      onError: "Fix the errors above; nothing can be published until then.",
    });
    if (format === "text" && ok) {
      const indicators = bulletins.reduce((sum, bulletin) => sum + bulletin.original.indicators.length, 0);
      io.stderr(
        `✔ ${bulletins.length} ${bulletins.length === 1 ? "bulletin" : "bulletins"} checked, ${indicators} indicators valid.\n`,
      );
    }
    return ok ? 0 : 1;
  },
};

function parse(argv: readonly string[]) {
  return parseOptions(argv, {
    format: { type: "string" },
    private: { type: "boolean" },
    rules: { type: "boolean" },
  });
}
