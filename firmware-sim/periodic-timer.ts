import { type Clock, SYNC_ONLY, type TimerHandle, US_PER_MS } from '../src/time/clock.js';

/**
 * Run `tick(k)` at `firstUs + k·periodUs` (absolute deadlines, never drifting). When a real
 * clock fires late, missed deadlines are skipped, never burst. A tick that returns SYNC_ONLY
 * (it started no asynchronous work; see src/time/clock.ts) makes its timer SYNC_ONLY, so a
 * virtual clock skips the event-loop turn after it.
 */
export function startPeriodic(
  clock: Clock,
  firstUs: number,
  periodUs: number,
  tick: (k: number) => typeof SYNC_ONLY | void,
): TimerHandle {
  let timer: TimerHandle | undefined;
  let stopped = false;
  let k = 0;
  const fire = (): typeof SYNC_ONLY | undefined => {
    const current = k;
    const now = clock.nowUs();
    k = Math.max(k + 1, Math.floor((now - firstUs) / periodUs) + 1);
    const result = tick(current);
    arm();
    return result === SYNC_ONLY ? SYNC_ONLY : undefined;
  };
  const arm = (): void => {
    if (stopped) return;
    timer = clock.setTimerAt(firstUs + k * periodUs, fire);
  };
  arm();
  return {
    cancel: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

/**
 * How long before a precise deadline its platform timer is set. The platform timer counts in
 * milliseconds from the event loop's cached time and fires late when the loop is busy or the
 * process waits for a CPU; the lead must cover that. The rest is waited out by blocking the
 * thread (see {@link waitUntil}), which costs no CPU but holds up the event loop for that long.
 */
export const PRECISE_LEAD_US = 6_000;

/**
 * The last stretch before a precise deadline that is spun on the clock rather than slept. A
 * sleeping thread wakes ~0.1 ms late when a core is free, but a millisecond or more late when
 * both cores are busy; spinning for the whole lead instead (6 ms, as this did before) uses up the
 * process's share of the CPU, and the scheduler preempts the spin just before the deadline.
 * Measured here at load 2-3 on 2 cores, lateness p90 of sleep-then-spin with a 300 / 1000 /
 * 2000 us spin: 235-832 / 13-94 / 186-1285 us (a 6 ms spin: 1964-5460 us). 1 ms it is.
 */
export const PRECISE_SPIN_US = 1_000;

/** Options of {@link setPreciseTimerAt} and {@link waitUntil}. */
export interface PreciseWaitOptions {
  /**
   * Block the calling thread for about `ms` milliseconds (it may return early or late). Default:
   * `Atomics.wait` on a private cell, which sleeps with sub-millisecond resolution. For tests.
   */
  readonly sleep?: (ms: number) => void;
}

/**
 * Run `callback` at `atUs` as exactly as the clock allows: a virtual clock fires exactly; on a
 * real clock the platform timer is set PRECISE_LEAD_US early, then the thread sleeps until
 * PRECISE_SPIN_US before the deadline and spins on the clock for the rest (for launch instants,
 * where a millisecond of timer slop would be the launch error). The callback runs at once when
 * the wait ends, in the same synchronous call, so its first clock read is the fire instant.
 *
 * Contract: on any clock the callback never runs before `clock.nowUs() >= atUs`; `cancel()`
 * before the platform timer fired means it never runs. On a real clock the event loop is held
 * from the platform timer to the deadline (at most PRECISE_LEAD_US when the timer is on time).
 */
export function setPreciseTimerAt(
  clock: Clock,
  atUs: number,
  callback: () => void,
  options: PreciseWaitOptions = {},
): TimerHandle {
  if (clock.kind === 'virtual') return clock.setTimerAt(atUs, callback);
  const sleep = options.sleep ?? sleepMs;
  return clock.setTimerAt(atUs - PRECISE_LEAD_US, () => {
    waitUntil(clock, atUs, sleep);
    callback();
  });
}

/**
 * Block the calling thread until `clock.nowUs() >= atUs`: sleep (re-checking the clock after
 * every wake-up, early or late) until PRECISE_SPIN_US before, then spin. Returns at once when
 * the instant is past. Blocking: only for the last moments before a deadline on a real clock.
 */
export function waitUntil(clock: Clock, atUs: number, sleep: (ms: number) => void = sleepMs): void {
  for (;;) {
    const sleepUs = atUs - PRECISE_SPIN_US - clock.nowUs();
    if (sleepUs <= 0) break;
    sleep(sleepUs / US_PER_MS);
  }
  spinUntil(clock, atUs);
}

/**
 * The busy wait, in a function of its own: V8 compiles a hot loop on-stack, and leaving such a
 * loop inline deoptimizes the code after it when that code has no type feedback yet — 20-40 us
 * at every launch. Returning from a small function costs nothing. The clock read must not
 * allocate (RealClock.nowUs does not), or young-generation GCs run during the spin.
 */
function spinUntil(clock: Clock, atUs: number): void {
  while (clock.nowUs() < atUs) {
    // spin: the remaining wait is shorter than a sleeping thread's wake-up slop
  }
}

/** A cell nobody notifies: `Atomics.wait` on it is a plain sleep with a timeout. */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

function sleepMs(ms: number): void {
  Atomics.wait(SLEEP_CELL, 0, 0, ms);
}
