/**
 * The standalone `main` of a bench part (`npx tsx bench/codec.ts [--quick]`, or the compiled
 * `node dist/bench/codec.js`): the part runs only when its module is the script the process
 * was started with, never when the suite imports it.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` (its `import.meta.url`) is the script this process was
 * started with (`process.argv[1]`, links resolved). False when either path cannot be resolved.
 */
export function isEntryPoint(moduleUrl: string): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** What a part's standalone main gets from its command line. */
export interface PartArgs {
  /** `--quick` is on the command line: the short version. */
  readonly quick: boolean;
  /** `--long` is on the command line: the long version (parts that have one). */
  readonly long: boolean;
  /** The whole command line (`process.argv`), for a part's own options. */
  readonly argv: readonly string[];
}

/**
 * Run a part on its own: when the module at `moduleUrl` is the entry script, awaits `main`
 * with the command line and writes the lines it returns to stdout, each followed by `\n`
 * (nothing at all for no lines). When the module is imported it resolves at once and `main`
 * never runs. Errors of `main` reject (an unhandled top-level rejection ends the process).
 */
export async function partMain(moduleUrl: string, main: (args: PartArgs) => Promise<readonly string[]>): Promise<void> {
  if (!isEntryPoint(moduleUrl)) return;
  const argv = process.argv;
  const lines = await main({ quick: argv.includes('--quick'), long: argv.includes('--long'), argv });
  process.stdout.write(lines.map((line) => `${line}\n`).join(''));
}
