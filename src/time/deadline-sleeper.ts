/**
 * Blocks the calling thread until an absolute deadline on the monotonic clock: it sleeps with
 * `Atomics.wait` until `spinMarginNs` before the deadline, then spins on the monotonic clock
 * for the rest (docs/architecture.md §Time). The kernel wakes a sleeping thread tens of microseconds late
 * (timer slack, scheduling); spinning the last stretch trades a little CPU for wake-ups within a
 * microsecond or two of the deadline.
 *
 * The clock is read with `process.hrtime()` (the same CLOCK_MONOTONIC as
 * `process.hrtime.bigint()`), not the bigint form: every `hrtime.bigint()` allocates a BigInt
 * (and the epoch subtraction another), and a 200 us spin makes thousands of reads per tick —
 * measured on Node 20: 5 M bigint reads cost 195 young-generation GCs, 5 M `hrtime()` reads 7
 * (V8 removes the array). Each scavenge stalls the tick thread for 0.2-3 ms, mostly during the
 * spin, i.e. right at a deadline.
 *
 * Meant for a `worker_thread` that owns its event loop (the real-time tick): it blocks, so on
 * the main thread it would freeze all I/O.
 *
 * Contract:
 * - Times are nanoseconds as float64 relative to `epochNs` (an absolute `process.hrtime` value),
 *   exact to 2^53 ns (about 104 days) after the epoch.
 * - `sleepUntil(deadlineNs)` never returns `true` before `nowNs() >= deadlineNs`; it returns as
 *   soon as it can after (already past: immediately).
 * - It returns `false` early when the interrupt cell is non-zero (checked before and after every
 *   sleep); another thread sets it with `DeadlineSleeper.interrupt()`, which also wakes the sleep.
 *   The spin phase (at most `spinMarginNs`) does not look at the cell.
 */
export class DeadlineSleeper {
  private readonly epochS: number;
  private readonly epochSubNs: number;
  private readonly spinMarginNs: number;
  private readonly cell: Int32Array;
  private readonly cellIndex: number;

  /**
   * @param options.epochNs absolute `process.hrtime.bigint()` value that is time 0.
   * @param options.spinMarginNs how long before the deadline to stop sleeping and spin (>= 0).
   * @param options.interruptCell an `Int32Array` over a `SharedArrayBuffer` and the index of the
   *   interrupt word in it (0 = keep sleeping).
   */
  constructor(options: { epochNs: bigint; spinMarginNs: number; interruptCell: { array: Int32Array; index: number } }) {
    if (!(options.spinMarginNs >= 0)) throw new RangeError('spinMarginNs must be >= 0');
    this.epochS = Number(options.epochNs / 1_000_000_000n);
    this.epochSubNs = Number(options.epochNs % 1_000_000_000n);
    this.spinMarginNs = options.spinMarginNs;
    this.cell = options.interruptCell.array;
    this.cellIndex = options.interruptCell.index;
  }

  /** Set the interrupt word and wake any thread sleeping on it. */
  static interrupt(array: Int32Array, index: number): void {
    Atomics.store(array, index, 1);
    Atomics.notify(array, index);
  }

  /** Nanoseconds since the epoch. */
  nowNs(): number {
    const [seconds, nanoseconds] = process.hrtime();
    return (seconds - this.epochS) * 1e9 + (nanoseconds - this.epochSubNs);
  }

  /** Whether the interrupt word is set. */
  interrupted(): boolean {
    return Atomics.load(this.cell, this.cellIndex) !== 0;
  }

  /**
   * Block until `deadlineNs`; `true` when reached, `false` when interrupted first.
   */
  sleepUntil(deadlineNs: number): boolean {
    for (;;) {
      if (this.interrupted()) return false;
      const remainingNs = deadlineNs - this.nowNs();
      if (remainingNs <= 0) return true;
      if (remainingNs <= this.spinMarginNs) break;
      // Fractional milliseconds are honoured by V8's timed wait. A notify, or the word changing
      // from 0, ends the wait early; the loop then re-checks both conditions.
      Atomics.wait(this.cell, this.cellIndex, 0, (remainingNs - this.spinMarginNs) / 1e6);
    }
    while (this.nowNs() < deadlineNs) {
      // spin: the last `spinMarginNs` before the deadline
    }
    return true;
  }
}
