import { DIE_WITH_PARENT_ENV } from '../../compose/run-joint-real-time.js';

/**
 * A node process a real-time joint run started (`SHIELDLINK_DIE_WITH_PARENT=1`, its stdin a pipe
 * from the supervising process): when that pipe closes — the supervisor ended, however it ended,
 * `kill -9` included — the node stops as on SIGTERM (launchers SAFE, recording closed). Does
 * nothing otherwise; never keeps the process alive.
 */
export function dieWithParent(): void {
  if (process.env[DIE_WITH_PARENT_ENV] !== '1' || process.stdin.isTTY === true) return;
  const stdin = process.stdin;
  // With the supervisor gone its ends of stdout and stderr are closed too: what the node still
  // writes (its summary) must not crash it on EPIPE before its files are closed.
  const ignore = (): void => undefined;
  process.stdout.on('error', ignore);
  process.stderr.on('error', ignore);
  const gone = (): void => {
    process.kill(process.pid, 'SIGTERM');
  };
  stdin.once('end', gone);
  stdin.once('close', gone);
  stdin.on('data', () => undefined);
  stdin.resume();
  (stdin as unknown as { unref?: () => void }).unref?.();
}
