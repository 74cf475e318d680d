import type { Clock, TimerHandle } from '../../../src/time/clock.js';
import type { VirtualClock } from '../../../src/time/virtual-clock.js';

/**
 * The kit's view of a VirtualClock whose event loop stalls: every timer set through it that falls
 * due inside a stall fires at the stall's end, as a starved Node process's would. Time itself and
 * everything else on the inner clock (the simulated devices) run on: a deterministic host stall.
 */
export class StallingClock implements Clock {
  readonly kind = 'virtual' as const;
  private readonly stalls: { fromUs: number; toUs: number }[] = [];

  constructor(private readonly inner: VirtualClock) {}

  nowUs(): number {
    return this.inner.nowUs();
  }

  /** Stall from `fromUs` for `durationUs` (set it ahead of the timers it should delay: ≥ 50 ms). */
  stall(fromUs: number, durationUs: number): void {
    this.stalls.push({ fromUs, toUs: fromUs + durationUs });
  }

  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    const stall = this.stalls.find((s) => atUs >= s.fromUs && atUs < s.toUs);
    return this.inner.setTimerAt(stall === undefined ? atUs : stall.toUs, callback);
  }

  setTimer(delayUs: number, callback: () => void): TimerHandle {
    return this.setTimerAt(this.nowUs() + delayUs, callback);
  }
}
