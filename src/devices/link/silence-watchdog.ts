import type { Clock, TimerHandle } from '../../time/clock.js';

/**
 * Link supervision (ICD-HOST-001): calls `onSilent` once when nothing valid was heard for
 * `silenceTimeoutUs` since `start()` or the last `heard()`. In virtual time it fires exactly at
 * last-heard + timeout. One timer at a time, re-armed lazily (no timer churn per frame).
 */
export class SilenceWatchdog {
  private timer: TimerHandle | undefined;
  private lastHeardUs = 0;

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
    this.timer = this.clock.setTimerAt(this.lastHeardUs + this.silenceTimeoutUs, () => {
      // Compare with the same sum the timer was set for: `now - lastHeard >= timeout` can be
      // false at exactly that instant by float rounding (fractional line-time stamps), which
      // re-armed the timer at the same instant forever (found by the garbage-flood test).
      if (this.clock.nowUs() >= this.lastHeardUs + this.silenceTimeoutUs) {
        this.timer = undefined;
        this.onSilent(this.lastHeardUs);
      } else {
        this.arm();
      }
    });
  }
}
