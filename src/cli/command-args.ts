/**
 * Parsing a subcommand's arguments the same way everywhere: Node's `parseArgs` (strict: an
 * unknown option or a missing value is an error), every parse error a UsageError (exit 2).
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './command.js';

/** The option table of a command, as `parseArgs` takes it. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` against `options`, positionals allowed. Throws UsageError (never another error)
 * for an unknown option, a missing option value or a value of the wrong kind.
 */
/** What {@link parseCommandArgs} gives back: the typed option values and the positionals. */
export type ParsedCommandArgs<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>
>;

export function parseCommandArgs<const O extends CommandOptions>(
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The one positional a command takes (`what` names it in the error); throws UsageError otherwise. */
export function onePositional(positionals: readonly string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected exactly one ${what} (see --help)`);
  return positionals[0]!;
}
