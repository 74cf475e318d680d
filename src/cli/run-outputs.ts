import { constants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './command.js';

/** One file a run writes, and whether the user named it (else it is derived from another). */
export interface RunOutput {
  /** What it is, as the option that sets it: `--record`, `--truth`, `summary`, … */
  readonly role: string;
  readonly file: string;
  /** Named on the command line: an existing file is refused unless --force. */
  readonly explicit: boolean;
}

/** What {@link checkRunOutputs} found that the user should hear about. */
export interface RunOutputCheck {
  /** Default-named outputs that exist and will be replaced (printed as a notice). */
  readonly replaced: readonly string[];
}

/**
 * Check a run's outputs before anything starts (UsageError, exit 2, when one fails):
 * - no output is one of the inputs (`--record` = the scenario would destroy it) or another output;
 * - an existing file named on the command line is refused unless `force` (never overwritten
 *   silently); an existing default-named output (`<output dir>/<scenario>.run` and the files
 *   beside it) is replaced and reported in `replaced`;
 * - no output is a directory;
 * - each output's directory exists or can be made, and is writable (EACCES, EROFS found now,
 *   not at the end of a run).
 */
export async function checkRunOutputs(
  outputs: readonly RunOutput[],
  inputs: readonly { readonly role: string; readonly file: string }[],
  force: boolean,
): Promise<RunOutputCheck> {
  const seen = new Map<string, string>();
  for (const input of inputs) seen.set(resolve(input.file), input.role);
  for (const output of outputs) {
    const path = resolve(output.file);
    const other = seen.get(path);
    if (other !== undefined) throw new UsageError(`${output.role} ${output.file} is also the ${other}: refused`);
    seen.set(path, output.role);
  }
  const replaced: string[] = [];
  for (const output of outputs) {
    const existing = await stat(output.file).catch(() => undefined);
    if (existing?.isDirectory()) throw new UsageError(`${output.role} ${output.file} is a directory`);
    if (existing !== undefined && !force) {
      if (output.explicit) throw new UsageError(`${output.role} ${output.file} exists (--force overwrites it)`);
      replaced.push(output.file);
    }
    const dir = dirname(resolve(output.file));
    try {
      await mkdir(dir, { recursive: true });
      await access(dir, constants.W_OK);
      if (existing !== undefined) await access(output.file, constants.W_OK);
    } catch (error) {
      throw new UsageError(
        `${output.role} ${output.file}: cannot write there (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
  return { replaced };
}
