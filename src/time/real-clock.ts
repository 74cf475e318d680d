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
    // Platform timers count from libuv's cached loop time and can fire up to ~2 ms early
    // against hrtime (measured here); re-arm for the remainder so a timer never fires before
    // its due time (the Clock contract).
    let handle: ReturnType<typeof setTimeout> | undefined;
    let cancelled = false;
    const arm = (remainingUs: number): void => {
      handle = setTimeout(
        () => {
          if (cancelled) return;
          const leftUs = atUs - this.nowUs();
          if (leftUs > 0) arm(leftUs);
          else callback();
        },
        Math.max(0, Math.ceil(remainingUs / US_PER_MS)),
      );
    };
    // Always through the platform timer, never synchronously, even when already due.
    arm(atUs - this.nowUs());
    return {
      cancel: () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      },
    };
  }

  setTimer(delayUs: number, callback: () => void): TimerHandle {
    return this.setTimerAt(this.nowUs() + Math.max(0, delayUs), callback);
  }
}

/** Wall-clock time in ISO 8601, for manifests and human-facing reports only (never timing). */
export function wallClockIso(): string {
  return new Date().toISOString();
}

/**
 * Wall-clock milliseconds since the Unix epoch, for command timestamps that operators sign with
 * wall time (the MQTT bridge's freshness check). Never use it to time anything.
 */
export function wallClockMs(): number {
  return Date.now();
}
