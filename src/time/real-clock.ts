import type { Clock, TimerHandle } from './clock.js';
import { US_PER_MS } from './clock.js';

/**
 * Real monotonic time from `process.hrtime.bigint()`, epoch at construction. Timers use the
 * platform timer (millisecond granularity, may fire late); the control loop does not rely on
 * them for its tick (it uses absolute deadlines, see the real-time loop).
 */
export class RealClock implements Clock {
  readonly kind = 'real' as const;
  private readonly epochNs = process.hrtime.bigint();

  nowUs(): number {
    return Number(process.hrtime.bigint() - this.epochNs) / 1_000;
  }

  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    return this.setTimer(atUs - this.nowUs(), callback);
  }

  setTimer(delayUs: number, callback: () => void): TimerHandle {
    const handle = setTimeout(callback, Math.max(0, delayUs) / US_PER_MS);
    return { cancel: () => clearTimeout(handle) };
  }
}

/** Wall-clock time in ISO 8601, for manifests and human-facing reports only (never timing). */
export function wallClockIso(): string {
  return new Date().toISOString();
}
