import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { TimerSet } from '../timer-set.js';

/** A watchdog check this late ran late because the simulator's process stalled. */
const WATCHDOG_LATE_TOLERANCE_US = 10_000;
/** After a late check, how long the host's heartbeats queued meanwhile get to arrive. */
const WATCHDOG_STALL_GRACE_US = 10_000;

/**
 * The launcher's heartbeat watchdog timer, on the shared clock. A real controller's watchdog
 * never runs late; the simulator's can, when its process stalls (GC, a loaded machine) — and
 * then the host's heartbeats sent meanwhile are still unread. A check that ran more than
 * WATCHDOG_LATE_TOLERANCE_US late therefore looks again WATCHDOG_STALL_GRACE_US later, up to
 * twice the watchdog time; on time (and always in virtual time) it trips at once.
 */
export class LauncherWatchdog {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TimerSet,
    private readonly onTrip: () => void,
  ) {}

  /** (Re)starts the watchdog: `onTrip` runs `delayUs` (shared clock) from now unless armed again. */
  arm(delayUs: number): void {
    this.timer?.cancel();
    const startUs = this.clock.nowUs();
    const limitUs = startUs + 2 * delayUs;
    const check = (dueUs: number): void => {
      this.timer = undefined;
      const nowUs = this.clock.nowUs();
      if (nowUs - dueUs > WATCHDOG_LATE_TOLERANCE_US && nowUs < limitUs) {
        this.timer = this.timers.after(WATCHDOG_STALL_GRACE_US, () => check(nowUs + WATCHDOG_STALL_GRACE_US));
        return;
      }
      this.onTrip();
    };
    this.timer = this.timers.after(delayUs, () => check(startUs + delayUs));
  }
}
