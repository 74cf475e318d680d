import type { Clock, TimerHandle } from '../src/time/clock.js';

/**
 * The timers one owner holds, so that stopping it cancels them all. A timer leaves the set when
 * it fires or is cancelled, so the set holds only what is pending.
 */
export class TimerSet {
  private readonly live = new Set<TimerHandle>();

  constructor(private readonly clock: Clock) {}

  get size(): number {
    return this.live.size;
  }

  /** Run `callback` at shared time `atUs`. */
  at(atUs: number, callback: () => void): TimerHandle {
    return this.track((fire) => this.clock.setTimerAt(atUs, fire), callback);
  }

  /** Run `callback` after `delayUs`. */
  after(delayUs: number, callback: () => void): TimerHandle {
    return this.track((fire) => this.clock.setTimer(delayUs, fire), callback);
  }

  /** Hold a timer made elsewhere (e.g. a periodic one) until cancelAll(). */
  hold(handle: TimerHandle): TimerHandle {
    this.live.add(handle);
    return handle;
  }

  /** Hold a timer made by `set`, which calls the given function when it fires. */
  track(set: (fire: () => void) => TimerHandle, callback: () => void): TimerHandle {
    const wrapper: TimerHandle = {
      cancel: () => {
        inner.cancel();
        this.live.delete(wrapper);
      },
    };
    const inner = set(() => {
      this.live.delete(wrapper);
      callback();
    });
    this.live.add(wrapper);
    return wrapper;
  }

  cancelAll(): void {
    for (const handle of [...this.live]) handle.cancel();
    this.live.clear();
  }
}
