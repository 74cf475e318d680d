import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';

/**
 * A check that runs this much after its due time ran late because this process did not run
 * (a stall: GC, the scheduler on a loaded machine), not because the device was silent.
 */
export const WATCHDOG_LATE_TOLERANCE_US = 10_000;
/** After a late check, how long the link gets to deliver what it queued meanwhile. */
export const WATCHDOG_STALL_GRACE_US = 10_000;

/**
 * Link supervision (ICD-HOST-001): calls `onSilent` once when nothing valid was heard for
 * `silenceTimeoutUs` since `start()` or the last `heard()`. In virtual time it fires exactly at
 * last-heard + timeout.
 *
 * Host stalls: a check that runs more than WATCHDOG_LATE_TOLERANCE_US after its due time finds
 * "silence" that may be the host's own — the bytes the device sent meanwhile still wait in the
 * kernel buffer or the line model, read only after the timers due now have run. Such a check
 * looks again WATCHDOG_STALL_GRACE_US later instead of reporting, until 2 × the timeout has
 * passed since last heard, when silence is reported whatever the lateness: detection is delayed
 * by at most one more timeout, and only when this process itself was not running (in which
 * case it sent nothing either). Never applies in virtual time (timers are never late).
 *
 * Cost: `heard()` only records the time. One timer at a time, armed for the deadline as it
 * stood when armed; when it fires before the real deadline (something was heard since) it is
 * re-armed for the new deadline, and that callback returns SYNC_ONLY (it only sets a timer), so
 * a virtual clock does not let the event loop settle for it. Hence about one timer per timeout
 * period while frames flow, whatever the frame rate.
 */
export class SilenceWatchdog {
  private timer: TimerHandle | undefined;
  private lastHeardUs = 0;
  /** The timer callback, made once (no closure per re-arm). */
  private readonly onTimer = (): typeof SYNC_ONLY | undefined => this.check();

  constructor(
    private readonly clock: Clock,
    private readonly silenceTimeoutUs: number,
    private readonly onSilent: (silentSinceUs: number) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    this.stop();
    this.lastHeardUs = this.clock.nowUs();
    this.arm();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  heard(atUs: number): void {
    this.lastHeardUs = Math.max(this.lastHeardUs, atUs);
  }

  /** Due time of the armed check. */
  private dueUs = 0;

  private arm(atUs = this.lastHeardUs + this.silenceTimeoutUs): void {
    this.dueUs = atUs;
    this.timer = this.clock.setTimerAt(atUs, this.onTimer);
  }

  /** SYNC_ONLY when it only re-armed; undefined when it reported silence (the session reacts async). */
  private check(): typeof SYNC_ONLY | undefined {
    // Compare with the same sum the timer was set for: `now - lastHeard >= timeout` can be
    // false at exactly that instant by float rounding (fractional line-time stamps), which
    // re-armed the timer at the same instant forever (found by the garbage-flood test).
    const nowUs = this.clock.nowUs();
    if (nowUs >= this.lastHeardUs + this.silenceTimeoutUs) {
      if (nowUs - this.dueUs > WATCHDOG_LATE_TOLERANCE_US && nowUs < this.lastHeardUs + 2 * this.silenceTimeoutUs) {
        this.arm(nowUs + WATCHDOG_STALL_GRACE_US); // this process stalled: let the link catch up
        return SYNC_ONLY;
      }
      this.timer = undefined;
      this.onSilent(this.lastHeardUs);
      return undefined;
    }
    this.arm();
    return SYNC_ONLY;
  }
}
