/**
 * The one clock of shieldlink (docs/architecture.md §Time). Every timer in the stack — serial timeouts,
 * heartbeats, retransmits, the control tick, the simulator's physics and line-rate pacing —
 * reads an injected `Clock`. Nothing outside `src/time/` reads wall time or calls the global
 * timer functions, which is what makes virtual-time runs repeatable byte for byte.
 */

/** A scheduled callback; `cancel()` is idempotent and safe after the timer fired. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * A monotonic microsecond clock with timers.
 *
 * Contract:
 * - `nowUs()` never decreases. Its epoch is the clock's creation (real) or 0 (virtual).
 *   Values are integers in the real clock only to the resolution of `process.hrtime`; treat
 *   them as float64 microseconds (exact to 2^53 us, about 285 years).
 * - Timers fire in order of due time; timers due at the same instant fire in the order they
 *   were set. A timer never fires before its due time. A callback that throws does not stop
 *   the clock: the error is handed to `onTimerError` (default: rethrown asynchronously).
 * - A real clock may fire late (the OS decides); a virtual clock fires exactly on time.
 */
export interface Clock {
  readonly kind: 'real' | 'virtual';
  /** Microseconds since this clock's epoch. */
  nowUs(): number;
  /** Run `callback` once when `nowUs() >= atUs` (as soon as possible when already past). */
  setTimerAt(atUs: number, callback: () => void): TimerHandle;
  /** Run `callback` once after `delayUs` microseconds (negative delays count as 0). */
  setTimer(delayUs: number, callback: () => void): TimerHandle;
}

/**
 * A timer callback may return this to say it started no asynchronous work (no promise, no
 * nextTick, no immediate) whose effects belong to the same instant. A VirtualClock then fires
 * the next timer without first letting the event loop settle (decision 0002): a 1 kHz control
 * tick that did nothing costs no event-loop turn. Any other return value means "settle".
 */
export const SYNC_ONLY: unique symbol = Symbol('shieldlink.clock.sync-only');

/** Microseconds per millisecond, for readable conversions at call sites. */
export const US_PER_MS = 1_000;
/** Microseconds per second. */
export const US_PER_S = 1_000_000;
