import { readFile } from "node:fs/promises";
import { UsageError, type CliIo, type Command } from "./io.js";

/** A command as `atrc --help` lists it; its module (and what it imports: parsers, fonts) loads when it runs. */
export interface CommandEntry {
  readonly name: string;
  /** One line for `atrc --help`. */
  readonly summary: string;
  load(): Promise<Command>;
}

/** Every command, in the order `atrc --help` lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "check",
    summary: "check bulletins and report every problem as file:line:column",
    load: async () => (await import("./commands/check.js")).checkCommand,
  },
  {
    name: "new",
    summary: "scaffold a new bulletin (es.md + en.md) with the next free id",
    load: async () => (await import("./commands/new.js")).newCommand,
  },
  {
    name: "extract",
    summary: "turn a pasted vendor report into a defanged Markdown IOC table",
    load: async () => (await import("./commands/extract.js")).extractCommand,
  },
  {
    name: "defang",
    summary: "defang every indicator read from standard input",
    load: async () => (await import("./commands/fang.js")).defangCommand,
  },
  {
    name: "refang",
    summary: "reverse defang notations read from standard input",
    load: async () => (await import("./commands/fang.js")).refangCommand,
  },
  {
    name: "export",
    summary: "write the IOC exports (JSON, CSV, STIX 2.1, MISP feed) with checksums",
    load: async () => (await import("./commands/export.js")).exportCommand,
  },
  {
    name: "pdf",
    summary: "render bulletins as PDF advisories (es and en) with their indicators attached",
    load: async () => (await import("./commands/pdf.js")).pdfCommand,
  },
  {
    name: "publish",
    summary: "check every bulletin, then write its pages, PDFs and exports in one pass (cached)",
    load: async () => (await import("./commands/publish.js")).publishCommand,
  },
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
  const entry = COMMANDS.find((candidate) => candidate.name === name);
  if (!entry) {
    io.stderr(`atrc: unknown command \`${name}\`. Run \`atrc --help\` for the list.\n`);
    return 2;
  }
  const command = await entry.load();
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
