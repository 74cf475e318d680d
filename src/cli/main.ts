#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command, type CommandIo, EXIT_OK, EXIT_RUNTIME, EXIT_USAGE, UsageError } from './command.js';
import { COMMANDS } from './command-list.js';
import { runAsProcess } from './process-exit.js';

const GENERAL_HELP = (commands: readonly Command[]): string =>
  [
    'shieldlink — hardware-in-the-loop interface to radar and launcher controllers',
    '',
    'Usage: shieldlink <command> [options]      shieldlink <command> --help',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(18)} ${c.summary}`),
    '',
    'Global options: --verbose (stack traces on errors), --help',
    'Exit codes: 0 ok, 1 verdict failed, 2 usage or config error, 3 runtime error.',
  ].join('\n');

/** Pick the command whose words prefix `argv` the longest. */
function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: Command | undefined;
  for (const command of COMMANDS) {
    const matches = command.path.every((word, i) => argv[i] === word);
    if (matches && (best === undefined || command.path.length > best.path.length)) best = command;
  }
  return best === undefined ? undefined : { command: best, rest: argv.slice(best.path.length) };
}

/** Run the CLI; returns the exit code. Errors become one line unless --verbose. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((a) => a !== '--verbose');
  if (args.length === 0 || args[0] === '--help' || args[0] === 'help' || args[0] === '-h') {
    io.stdout.write(GENERAL_HELP(COMMANDS) + '\n');
    return EXIT_OK;
  }
  if (args[0] === '--version') {
    io.stdout.write(`${await packageVersion()}\n`);
    return EXIT_OK;
  }
  const found = findCommand(args);
  if (found === undefined) {
    io.stderr.write(`shieldlink: unknown command '${args.join(' ')}' (see shieldlink --help)\n`);
    return EXIT_USAGE;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout.write(found.command.help.trimEnd() + '\n');
    return EXIT_OK;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    io.stderr.write(`shieldlink ${found.command.path.join(' ')}: ${err.message}\n`);
    if (verbose && err.stack) io.stderr.write(err.stack + '\n');
    return isUsageError(error) ? EXIT_USAGE : EXIT_RUNTIME;
  }
}

/** Our UsageError, or node's parseArgs rejecting an unknown option or a missing value. */
function isUsageError(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

async function packageVersion(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const url = new URL('../../../package.json', import.meta.url);
  try {
    return (JSON.parse(await readFile(url, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function isEntryPoint(): boolean {
  try {
    return realpathSync(process.argv[1] ?? '') === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const io: CommandIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTty: process.stdout.isTTY === true,
  };
  runAsProcess(main(process.argv.slice(2), io));
}
