import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';

/**
 * Link supervision (ICD-HOST-001): calls `onSilent` once when nothing valid was heard for
 * `silenceTimeoutUs` since `start()` or the last `heard()`. In virtual time it fires exactly at
 * last-heard + timeout.
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

  private arm(): void {
    this.timer = this.clock.setTimerAt(this.lastHeardUs + this.silenceTimeoutUs, this.onTimer);
  }

  /** SYNC_ONLY when it only re-armed; undefined when it reported silence (the session reacts async). */
  private check(): typeof SYNC_ONLY | undefined {
    // Compare with the same sum the timer was set for: `now - lastHeard >= timeout` can be
    // false at exactly that instant by float rounding (fractional line-time stamps), which
    // re-armed the timer at the same instant forever (found by the garbage-flood test).
    if (this.clock.nowUs() >= this.lastHeardUs + this.silenceTimeoutUs) {
      this.timer = undefined;
      this.onSilent(this.lastHeardUs);
      return undefined;
    }
    this.arm();
    return SYNC_ONLY;
  }
}
