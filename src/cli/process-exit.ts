import { EXIT_RUNTIME } from './command.js';

/**
 * Wall time, ms, a process whose work has settled may stay alive for what it left open (sockets
 * closing, a broker's last acknowledgements) before it exits anyway with the work's code.
 */
export const EXIT_LINGER_MS = 5_000;

/**
 * Run the CLI's work as the process's one job, so the process ends honestly:
 * - the exit code is EXIT_RUNTIME (3) from the start and becomes the work's code only when it
 *   settles; a process that ends any other way never reports success;
 * - when the event loop empties while the work has not settled (a promise nothing will ever
 *   resolve: a stop that never settles), a one-line message names it and the exit code stays 3;
 * - when the work has settled but something it left open (a part whose stop did not settle)
 *   still holds the process after `lingerMs`, a one-line message says so and the process exits
 *   with the work's code: a finished command never hangs.
 */
export function runAsProcess(
  work: Promise<number>,
  stderr: NodeJS.WritableStream = process.stderr,
  lingerMs: number = EXIT_LINGER_MS,
): void {
  process.exitCode = EXIT_RUNTIME;
  let settled = false;
  const onBeforeExit = (): void => {
    if (settled) return;
    process.off('beforeExit', onBeforeExit);
    stderr.write('shieldlink: stopped without finishing (nothing left to wait for, the command never completed)\n');
    process.exitCode = EXIT_RUNTIME;
  };
  process.on('beforeExit', onBeforeExit);
  const done = (code: number): void => {
    settled = true;
    process.off('beforeExit', onBeforeExit);
    process.exitCode = code;
    // Unreferenced: it fires only if something else still holds the process. The process's own
    // wall time, not any run's clock (and a Clock's timers cannot be unreferenced).
    // eslint-disable-next-line no-restricted-globals -- process lifetime, not run timing
    const linger = setTimeout(() => {
      stderr.write(
        `shieldlink: exiting: something left open still held the process ${lingerMs / 1000} s after the end\n`,
      );
      process.exit(code);
    }, lingerMs);
    linger.unref();
  };
  work.then(done, (error: unknown) => {
    stderr.write(`shieldlink: ${String(error)}\n`);
    done(EXIT_RUNTIME);
  });
}
