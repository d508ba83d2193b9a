/** What a command may touch besides the file system: where it runs and where it prints. */
export interface CliIo {
  /** Folder that relative paths are resolved against. */
  readonly cwd: string;
  /** Use ANSI colours in human output. */
  readonly color: boolean;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input as text (for filters), read on demand. */
  stdin(): Promise<string>;
}

/** A mistake in how a command was called, or a path that cannot be used: printed as one line, exit 2 or 1. */
export class UsageError extends Error {
  override name = "UsageError" as const;
  /** 2 for bad usage (the default), 1 for a path or file that cannot be used. */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** One command of `atrc`. */
export interface Command {
  readonly name: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Runs the command; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
