/**
 * One CLI subcommand. `main.ts` lists them; each lives in `commands/<name>.ts`.
 *
 * Exit codes (documented in README and `--help`):
 * 0 success / verdict pass; 1 verdict fail (a measurement, a conformance rule, a replay
 * divergence); 2 usage or config error (nothing was started); 3 runtime error (device, I/O).
 */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  /** Whether stdout is an interactive terminal (progress lines only then). */
  readonly isTty: boolean;
}

export interface Command {
  /** Words that select it, e.g. ['frames', 'decode'] or ['run']. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Full `--help` text: usage, options, examples, exit codes. */
  readonly help: string;
  /** Run with the arguments after the command words; resolve to the exit code. */
  run(args: string[], io: CommandIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_VERDICT_FAIL = 1;
export const EXIT_USAGE = 2;
export const EXIT_RUNTIME = 3;

/** A bad command line: printed as one line, exit 2. */
export class UsageError extends Error {
  readonly code = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
