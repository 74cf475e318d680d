import type { Clock } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { STOP_SETTLE_US } from './run-stop-error.js';

/**
 * Await `work`; on a VirtualClock keep advancing time (up to 5 s) until it settles. Work that has
 * not settled by then is named in `unsettled` (the run then ends with RunStopError, never
 * hanging or exiting 0) and undefined is returned.
 */
export async function whileClockRuns<T>(
  clock: Clock,
  work: Promise<T>,
  what: string,
  unsettled: string[],
): Promise<T | undefined> {
  if (!(clock instanceof VirtualClock)) return work;
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  await clock.runUntilCondition(() => settled, clock.nowUs() + STOP_SETTLE_US);
  // Parts that wait on the network (the bridge and its broker) settle in wall time, not virtual:
  // give them a bounded wall-clock grace before the stop is declared unsettled.
  if (!settled) await wallGrace(tracked, STOP_WALL_GRACE_US);
  if (!settled) {
    tracked.catch(() => undefined);
    unsettled.push(what);
    return undefined;
  }
  return tracked;
}

/** Wall time a stopping part still busy after its virtual window gets (network round trips). */
const STOP_WALL_GRACE_US = 10_000_000;

/** Resolves when `work` settles or `limitUs` of wall time has passed, whichever is first. */
function wallGrace(work: Promise<unknown>, limitUs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = new RealClock().setTimer(limitUs, resolve);
    work.then(
      () => {
        timer.cancel();
        resolve();
      },
      () => {
        timer.cancel();
        resolve();
      },
    );
  });
}
