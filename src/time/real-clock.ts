import type { Clock, TimerHandle } from './clock.js';
import { US_PER_MS } from './clock.js';

/**
 * Real monotonic time from `process.hrtime` (CLOCK_MONOTONIC), epoch at construction. Timers use
 * the platform timer (millisecond granularity, may fire late); the control loop does not rely on
 * them for its tick (it uses absolute deadlines, see the real-time loop).
 *
 * `nowUs()` reads `process.hrtime()`, not `process.hrtime.bigint()`: every bigint read allocates
 * a BigInt (and the epoch subtraction another), and code that reads the clock in a loop — the
 * simulator's precise launch timer spins on it — then runs young-generation GCs of 0.2-3 ms right
 * at its deadline. `hrtime()`'s [s, ns] array does not survive V8's escape analysis once the read
 * is inlined: measured on Node 20, 5 M reads in a loop cost 197 GCs with the bigint form, 3 with
 * this one (and 157 with `performance.now()`, whose double result is boxed). The value is the
 * same: the nanoseconds since the epoch are an exact integer below 2^53 (104 days) before the
 * one division by 1000, as with the bigint form.
 */
export class RealClock implements Clock {
  readonly kind = 'real' as const;
  /**
   * `process.hrtime.bigint()` at this clock's epoch. hrtime is the system-wide monotonic clock,
   * so two processes' RealClocks relate through it (e.g. a simulator process's truth times).
   */
  readonly epochHrtimeNs = process.hrtime.bigint();
  /** The epoch split as `process.hrtime()` returns it: whole seconds and nanoseconds. */
  private readonly epochS = Number(this.epochHrtimeNs / 1_000_000_000n);
  private readonly epochSubNs = Number(this.epochHrtimeNs % 1_000_000_000n);

  nowUs(): number {
    const [seconds, nanoseconds] = process.hrtime();
    return ((seconds - this.epochS) * 1e9 + (nanoseconds - this.epochSubNs)) / 1_000;
  }

  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    // Platform timers count from libuv's cached loop time and can fire up to ~2 ms early
    // against hrtime (measured here); re-arm for the remainder so a timer never fires before
    // its due time (the Clock contract). A due timer runs on the next immediate rather than
    // through setTimeout's 1 ms floor. Never synchronously, even when already due.
    let timeout: ReturnType<typeof setTimeout> | undefined;
    let immediate: ReturnType<typeof setImmediate> | undefined;
    let cancelled = false;
    const fire = (): void => {
      timeout = undefined;
      immediate = undefined;
      if (cancelled) return;
      const leftUs = atUs - this.nowUs();
      if (leftUs > 0) arm(leftUs);
      else callback();
    };
    const arm = (remainingUs: number): void => {
      if (remainingUs <= 0) immediate = setImmediate(fire);
      else timeout = setTimeout(fire, Math.max(1, Math.ceil(remainingUs / US_PER_MS)));
    };
    arm(atUs - this.nowUs());
    return {
      cancel: () => {
        cancelled = true;
        if (timeout !== undefined) clearTimeout(timeout);
        if (immediate !== undefined) clearImmediate(immediate);
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
