import { readFile } from "node:fs/promises";
import { checkCommand } from "./commands/check.js";
import { exportCommand } from "./commands/export.js";
import { extractCommand } from "./commands/extract.js";
import { defangCommand, refangCommand } from "./commands/fang.js";
import { newCommand } from "./commands/new.js";
import { pdfCommand } from "./commands/pdf.js";
import { publishCommand } from "./commands/publish.js";
import { UsageError, type CliIo, type Command } from "./io.js";

/** Every command, in the order `atrc --help` lists them. Commands added by other modules register here. */
export const COMMANDS: Command[] = [
  checkCommand,
  newCommand,
  extractCommand,
  defangCommand,
  refangCommand,
  exportCommand,
  pdfCommand,
  publishCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: atrc <command> [options]

ATRc Press: write, check and publish threat bulletins.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Run \`atrc <command> --help\` for a command's options.`;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    color: process.stderr.isTTY && !process.env.NO_COLOR,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
      } catch {
        throw new UsageError("Standard input is not UTF-8 text; re-save it as UTF-8", 1);
      }
    },
  };
}

/**
 * Run `atrc` with arguments.
 *
 * @param argv Arguments after the program name.
 * @param io Streams and working folder (default: the process's).
 * @returns The exit code: 0 success, 1 content errors, 2 bad usage.
 * @example
 * process.exitCode = await main(process.argv.slice(2))
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "-h" || name === "--help" || name === "help") {
    io.stdout(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === "-v" || name === "--version") {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    io.stdout(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`atrc: unknown command \`${name}\`. Run \`atrc --help\` for the list.\n`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`atrc ${command.name}: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
