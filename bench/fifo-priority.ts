/**
 * Real-time scheduling for threads this process starts, for the loop benchmark's second
 * measurement: the tick worker at SCHED_FIFO, as a bench PC would run it (`chrt`). On a machine
 * whose cores are shared with other work, the default scheduler makes the tick wait for a core;
 * this shows what the loop does once it does not have to.
 *
 * Linux only, and only where `chrt` may set a real-time policy (root or CAP_SYS_NICE). The
 * threads are found as those that appeared in /proc/self/task between `snapshot()` and
 * `promote()` — Node names every thread `node`, so the caller brackets the start of the one
 * thread it means (the tick worker) and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

/** Real-time priority given (1–99; 50 leaves room above for kernel threads such as IRQs). */
export const FIFO_PRIORITY = 50;

/** Why real-time scheduling is not available here, or undefined when it is. */
export function fifoUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  const probe = spawnSync('chrt', ['-f', '1', 'true'], { stdio: 'ignore' });
  if (probe.error !== undefined) return `chrt not found (${probe.error.message})`;
  if (probe.status !== 0) return 'chrt -f refused (needs root or CAP_SYS_NICE)';
  return undefined;
}

function threadIds(): Set<string> {
  return new Set(readdirSync('/proc/self/task'));
}

/** Threads of this process now; pass to {@link promoteNewThreads}. */
export function threadSnapshot(): ReadonlySet<string> {
  return threadIds();
}

/** Give SCHED_FIFO to every thread started since `before`; resolves to their ids. */
export function promoteNewThreads(before: ReadonlySet<string>): string[] {
  const fresh = [...threadIds()].filter((tid) => !before.has(tid));
  for (const tid of fresh) {
    const result = spawnSync('chrt', ['-f', '-p', String(FIFO_PRIORITY), tid], { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`chrt -f -p ${FIFO_PRIORITY} ${tid} failed`);
  }
  return fresh;
}
