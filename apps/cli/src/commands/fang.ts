import { extract, refang } from "@atrc/ioc";
import type { Command, CliIo } from "../io.js";
import { parseOptions, showHelp } from "../options.js";

/**
 * Defang every occurrence of every indicator in a text, leaving the rest byte for byte.
 * `extract` reports each value once, so scan on from the end of each hit.
 *
 * @param text Any text.
 * @returns The text with house-style defanged indicators.
 * @example
 * defangText("see https://evil.example.com") // "see hxxps://evil[.]example[.]com"
 */
export function defangText(text: string): string {
  let result = "";
  let position = 0;
  for (;;) {
    const rest = text.slice(position);
    const first = extract(rest).reduce<ReturnType<typeof extract>[number] | undefined>(
      (best, found) => (best === undefined || found.start < best.start ? found : best),
      undefined,
    );
    if (!first) return result + rest;
    result += rest.slice(0, first.start) + first.defanged;
    position += first.end;
  }
}

function filter(name: string, help: string, transform: (text: string) => string): Command {
  return {
    name,
    help,
    async run(argv, io: CliIo) {
      const { values } = parseOptions(argv, {}, false);
      if (showHelp(values, help, io)) return 0;
      io.stdout(transform(await io.stdin()));
      return 0;
    },
  };
}

/** `atrc defang`: standard input to standard output, every indicator defanged. */
export const defangCommand = filter(
  "defang",
  `Usage: atrc defang < input

Reads text on standard input and writes it to standard output with every URL, domain,
IP address and e-mail address defanged in house style (hxxps://, [.], [@], [:]).
Everything else is kept byte for byte.

Example:
  echo "C2: https://evil.example.com/x" | atrc defang   # C2: hxxps://evil[.]example[.]com/x`,
  defangText,
);

/** `atrc refang`: standard input to standard output, every defang notation reversed. */
export const refangCommand = filter(
  "refang",
  `Usage: atrc refang < input

Reads text on standard input and writes it to standard output with defang notations
reversed (hxxp, httxs, [.], (dot), [at], [punto], [arroba], ...). Everything else is kept
byte for byte. Use it to feed tools; never paste the result where people read.

Example:
  echo "hxxps://evil[.]example[.]com" | atrc refang   # https://evil.example.com`,
  refang,
);
