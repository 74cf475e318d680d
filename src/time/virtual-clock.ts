import { type Clock, SYNC_ONLY, type TimerHandle } from './clock.js';
import { TimerQueue } from './timer-queue.js';

/**
 * Virtual time: `nowUs()` only moves when the scheduler advances it, so host and simulator
 * sharing one instance run in lockstep as fast as the CPU allows.
 *
 * Between two timer callbacks the clock lets the event loop settle (promise jobs,
 * `process.nextTick` and immediates queued by the previous callback run first), so async code
 * that reacts to a timer finishes at the same virtual instant, in the same order, every run.
 */
export class VirtualClock implements Clock {
  readonly kind = 'virtual' as const;
  private currentUs: number;
  private readonly queue = new TimerQueue();
  private running = false;

  constructor(startUs = 0) {
    this.currentUs = startUs;
  }

  nowUs(): number {
    return this.currentUs;
  }

  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    return this.queue.push(Math.max(atUs, this.currentUs), callback);
  }

  setTimer(delayUs: number, callback: () => void): TimerHandle {
    return this.setTimerAt(this.currentUs + Math.max(0, delayUs), callback);
  }

  /** Timers queued and not cancelled. */
  get pendingTimers(): number {
    return this.queue.size;
  }

  /** Due time of the next timer, if any. */
  nextDueUs(): number | undefined {
    return this.queue.peekAtUs();
  }

  /**
   * Fire every timer due up to and including `untilUs`, in order, then leave the clock at
   * `untilUs`. Resolves when done. Errors thrown by callbacks reject the returned promise
   * after the clock stopped at the failing timer's instant.
   */
  async runUntil(untilUs: number): Promise<void> {
    await this.run(() => false, untilUs);
  }

  /** Advance by `deltaUs` (see `runUntil`). */
  async advance(deltaUs: number): Promise<void> {
    await this.runUntil(this.currentUs + deltaUs);
  }

  /**
   * Fire timers in order until `done()` returns true (checked after every callback and the
   * settling that follows it) or the clock would pass `limitUs`. Returns whether `done()` held.
   */
  async runUntilCondition(done: () => boolean, limitUs: number): Promise<boolean> {
    return this.run(done, limitUs);
  }

  private async run(done: () => boolean, limitUs: number): Promise<boolean> {
    if (this.running) throw new Error('VirtualClock is already running');
    this.running = true;
    try {
      await settle();
      if (done()) return true;
      for (let timer = this.queue.popDue(limitUs); timer !== undefined; timer = this.queue.popDue(limitUs)) {
        this.currentUs = timer.atUs;
        const callback = timer.callback;
        timer.callback = null;
        const result: unknown = callback?.();
        if (result !== SYNC_ONLY) await settle();
        if (done()) return true;
      }
      if (limitUs > this.currentUs && Number.isFinite(limitUs)) this.currentUs = limitUs;
      return done();
    } finally {
      this.running = false;
    }
  }
}

/** Let promise jobs, nextTicks and immediates queued so far run to completion. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
