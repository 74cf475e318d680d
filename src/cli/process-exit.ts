import { EXIT_RUNTIME } from './command.js';

/**
 * Run the CLI's work as the process's one job, so the process ends honestly:
 * - the exit code is EXIT_RUNTIME (3) from the start and becomes the work's code only when it
 *   settles; a process that ends any other way never reports success;
 * - when the event loop empties while the work has not settled (a promise nothing will ever
 *   resolve: a stop that never settles), a one-line message names it and the exit code stays 3.
 */
export function runAsProcess(work: Promise<number>, stderr: NodeJS.WritableStream = process.stderr): void {
  process.exitCode = EXIT_RUNTIME;
  let settled = false;
  const onBeforeExit = (): void => {
    if (settled) return;
    process.off('beforeExit', onBeforeExit);
    stderr.write('shieldlink: stopped without finishing (nothing left to wait for, the command never completed)\n');
    process.exitCode = EXIT_RUNTIME;
  };
  process.on('beforeExit', onBeforeExit);
  work.then(
    (code) => {
      settled = true;
      process.off('beforeExit', onBeforeExit);
      process.exitCode = code;
    },
    (error: unknown) => {
      settled = true;
      process.off('beforeExit', onBeforeExit);
      stderr.write(`shieldlink: ${String(error)}\n`);
      process.exitCode = EXIT_RUNTIME;
    },
  );
}
