import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';

/**
 * Runs `task` once at `start()` and then every `periodUs` on absolute deadlines
 * (start + k·period): the cadence never drifts however late a real timer fires, and missed
 * deadlines are skipped, never burst. Used for HEARTBEAT (ICD-CMN-003) and HELLO (ICD-CMN-001).
 */
export class PeriodicTask {
  private timer: TimerHandle | undefined;
  private startUs = 0;
  private runs = 0;
  /** The timer callback, made once (no closure per period); SYNC_ONLY when the task said so. */
  private readonly onTimer = (): typeof SYNC_ONLY | undefined => this.tick();

  constructor(
    private readonly clock: Clock,
    private readonly periodUs: number,
    /** Returns SYNC_ONLY when it started no asynchronous work (see src/time/clock.ts). */
    private readonly task: (nowUs: number) => typeof SYNC_ONLY | void,
  ) {
    if (!(periodUs > 0)) throw new RangeError(`PeriodicTask: period must be positive, got ${periodUs}`);
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Run now (or after `firstDelayUs`) and periodically from then; no-op when already running. */
  start(firstDelayUs = 0): void {
    if (this.timer !== undefined) return;
    this.startUs = this.clock.nowUs() + Math.max(0, firstDelayUs);
    this.runs = 0;
    if (firstDelayUs > 0) this.timer = this.clock.setTimerAt(this.startUs, this.onTimer);
    else this.tick();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private tick(): typeof SYNC_ONLY | undefined {
    const nowUs = this.clock.nowUs();
    // Armed before the task runs, so a task that calls stop() really stops.
    this.runs = Math.max(this.runs + 1, Math.floor((nowUs - this.startUs) / this.periodUs) + 1);
    this.timer = this.clock.setTimerAt(this.startUs + this.runs * this.periodUs, this.onTimer);
    return this.task(nowUs) === SYNC_ONLY ? SYNC_ONLY : undefined;
  }
}
