import { PassThrough, Readable } from 'node:stream';
import type { CommandIo } from '../../src/cli/command.js';
import { main } from '../../src/cli/main.js';

/** What one CLI run printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `shieldlink <argv>` in memory with `stdin` (a string, or a stream for error cases). */
export async function runCli(argv: string[], stdin: string | Readable = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString('utf8')));
  const io: CommandIo = {
    stdout,
    stderr,
    stdin: typeof stdin === 'string' ? Readable.from([stdin]) : stdin,
    isTty: false,
  };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Non-empty lines of a run's output. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
