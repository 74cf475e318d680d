import type { Clock, TimerHandle } from '../src/time/clock.js';

/**
 * Run `tick(k)` at `firstUs + k·periodUs` (absolute deadlines, never drifting). When a real
 * clock fires late, missed deadlines are skipped, never burst.
 */
export function startPeriodic(clock: Clock, firstUs: number, periodUs: number, tick: (k: number) => void): TimerHandle {
  let timer: TimerHandle | undefined;
  let stopped = false;
  let k = 0;
  const arm = (): void => {
    if (stopped) return;
    timer = clock.setTimerAt(firstUs + k * periodUs, () => {
      const current = k;
      const now = clock.nowUs();
      k = Math.max(k + 1, Math.floor((now - firstUs) / periodUs) + 1);
      tick(current);
      arm();
    });
  };
  arm();
  return {
    cancel: () => {
      stopped = true;
      timer?.cancel();
    },
  };
}

/** How long before a precise deadline a real-clock timer is set, then the rest is spun. */
export const PRECISE_LEAD_US = 6_000;

/**
 * Run `callback` at `atUs` as exactly as the clock allows: a virtual clock fires exactly; on a
 * real clock the platform timer is set PRECISE_LEAD_US early and the remainder is a busy wait on
 * the clock (for launch instants, where a millisecond of timer slop would be the launch error).
 */
export function setPreciseTimerAt(clock: Clock, atUs: number, callback: () => void): TimerHandle {
  if (clock.kind === 'virtual') return clock.setTimerAt(atUs, callback);
  return clock.setTimerAt(atUs - PRECISE_LEAD_US, () => {
    while (clock.nowUs() < atUs) {
      // spin: the remaining wait is shorter than the platform timer's resolution
    }
    callback();
  });
}
