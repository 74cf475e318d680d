import { PassThrough } from 'node:stream';
import type { CommandIo } from '../../../src/cli/command.js';

/** A CommandIo whose output is collected as text. */
export interface CapturedIo extends CommandIo {
  stdoutText(): string;
  stderrText(): string;
}

export function captureIo(): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return {
    stdout,
    stderr,
    stdin: new PassThrough(),
    isTty: false,
    stdoutText: () => out,
    stderrText: () => err,
  };
}
