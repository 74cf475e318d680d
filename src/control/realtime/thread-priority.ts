import { spawnSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { RealtimeError } from './realtime-error.js';

/** Lowest and highest SCHED_FIFO priority Linux accepts. */
export const FIFO_PRIORITY_MIN = 1;
export const FIFO_PRIORITY_MAX = 99;

/** The scheduling policy a thread runs under, as the kernel reports it. */
export interface ThreadScheduling {
  /** `fifo` (SCHED_FIFO), `rr` (SCHED_RR) or `other` (the default time-sharing scheduler, and any other). */
  readonly policy: 'fifo' | 'rr' | 'other';
  /** Real-time priority (1–99), 0 under `other`. */
  readonly priority: number;
}

/**
 * The calling thread's kernel id (Linux `/proc/thread-self`). Node names every thread `node`,
 * so this is the only way a worker can name itself to `chrt`. Throws `ERR_TICK_PRIORITY` where
 * there is no `/proc/thread-self` (not Linux, or a kernel older than 3.17).
 */
function ownThreadId(): string {
  try {
    return basename(readlinkSync('/proc/thread-self'));
  } catch (error) {
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `cannot name this thread to the scheduler (${process.platform}: no /proc/thread-self)`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The calling thread's scheduling, read from `/proc/thread-self/stat` (fields 40 `rt_priority`
 * and 41 `policy`). Undefined where that file does not exist (not Linux).
 */
export function ownThreadScheduling(): ThreadScheduling | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'latin1');
  } catch {
    return undefined;
  }
  // Field 2 (comm) is in parentheses and may hold spaces: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so field N is fields[N - 3].
  const priority = Number(fields[40 - 3]);
  const policyCode = Number(fields[41 - 3]);
  const policy = policyCode === 1 ? 'fifo' : policyCode === 2 ? 'rr' : 'other';
  return { policy, priority: policy === 'other' ? 0 : priority };
}

/**
 * Put the calling thread under SCHED_FIFO at `priority` (Linux, with `chrt` from util-linux),
 * then read the policy back from the kernel. Call it from the thread to raise — the tick worker
 * does, before its first deadline.
 *
 * Errors (`RealtimeError`, code `ERR_TICK_PRIORITY`, the message says why): `priority` not an
 * integer in 1–99; not Linux; `chrt` not found; the kernel refused (it needs root or
 * CAP_SYS_NICE, and a container may withhold it); the policy read back is not the one asked for.
 * When `chrt` fails, the thread keeps the policy it had.
 */
export function raiseOwnThreadToFifo(priority: number): ThreadScheduling {
  if (!Number.isInteger(priority) || priority < FIFO_PRIORITY_MIN || priority > FIFO_PRIORITY_MAX) {
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `SCHED_FIFO priority must be an integer in ${FIFO_PRIORITY_MIN}–${FIFO_PRIORITY_MAX}, got ${priority}`,
    );
  }
  if (process.platform !== 'linux') {
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `SCHED_FIFO for the tick thread needs Linux (this is ${process.platform})`,
    );
  }
  const tid = ownThreadId();
  const result = spawnSync('chrt', ['-f', '-p', String(priority), tid], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.error !== undefined) {
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `cannot run chrt (util-linux) to set SCHED_FIFO: ${result.error.message}`,
      {
        cause: result.error,
      },
    );
  }
  if (result.status !== 0) {
    const said = result.stderr.trim().split('\n').at(-1) ?? '';
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `the kernel refused SCHED_FIFO ${priority} for the tick thread (needs root or CAP_SYS_NICE)${said === '' ? '' : `: ${said}`}`,
    );
  }
  const now = ownThreadScheduling();
  if (now?.policy !== 'fifo' || now.priority !== priority) {
    throw new RealtimeError(
      'ERR_TICK_PRIORITY',
      `asked for SCHED_FIFO ${priority}, the kernel reports ${now === undefined ? 'nothing' : `${now.policy} ${now.priority}`}`,
    );
  }
  return now;
}

/**
 * Why this host would refuse SCHED_FIFO at `priority`, or undefined when it would grant it:
 * runs `true` under `chrt -f` (nothing of this process changes). For a command to check before
 * it opens devices, so that a refusal stops it before anything has started.
 */
export function fifoRefusalReason(priority: number): string | undefined {
  if (process.platform !== 'linux') return `SCHED_FIFO for the tick thread needs Linux (this is ${process.platform})`;
  const probe = spawnSync('chrt', ['-f', String(priority), 'true'], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (probe.error !== undefined) return `cannot run chrt (util-linux) to set SCHED_FIFO: ${probe.error.message}`;
  if (probe.status !== 0) {
    const said = probe.stderr.trim().split('\n').at(-1) ?? '';
    return `the kernel refuses SCHED_FIFO ${priority} here (needs root or CAP_SYS_NICE)${said === '' ? '' : `: ${said}`}`;
  }
  return undefined;
}
