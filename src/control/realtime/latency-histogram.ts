import { build, type Histogram } from 'hdr-histogram-js';

/** A distribution of durations, microseconds. All zero when nothing was recorded. */
export interface LatencySummary {
  /** Values recorded. */
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  /** The 99.9th percentile. */
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** An all-zero summary (nothing recorded). */
export const EMPTY_LATENCY_SUMMARY: LatencySummary = Object.freeze({
  count: 0,
  p50: 0,
  p99: 0,
  p999: 0,
  max: 0,
  mean: 0,
});

/** Largest value tracked: one hour. Longer values are recorded as one hour. */
const HIGHEST_NS = 3_600_000_000_000;

/**
 * An HDR histogram of nanosecond durations (3 significant digits, 1 ns to 1 h) that reports in
 * microseconds. Recording does not allocate (fixed-size counts array, no auto-resize), so it can
 * sit in the tick path. Zeros (every value on a virtual clock) are only counted, and added to the
 * histogram in one step when it is read.
 */
export class LatencyHistogram {
  private readonly histogram: Histogram = build({
    bitBucketSize: 32,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_NS,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  private zeros = 0;

  /** Record one duration; negative values count as 0, values above one hour as one hour. */
  recordNs(valueNs: number): void {
    if (!(valueNs > 0)) {
      this.zeros++;
      return;
    }
    this.histogram.recordValue(valueNs < HIGHEST_NS ? Math.round(valueNs) : HIGHEST_NS);
  }

  /** Values recorded so far. */
  get count(): number {
    return this.flushed().totalCount;
  }

  /** The histogram with the counted zeros added. */
  private flushed(): Histogram {
    if (this.zeros > 0) {
      this.histogram.recordValueWithCount(0, this.zeros);
      this.zeros = 0;
    }
    return this.histogram;
  }

  /** Percentiles, max and mean, microseconds. */
  summary(): LatencySummary {
    const h = this.flushed();
    if (h.totalCount === 0) return EMPTY_LATENCY_SUMMARY;
    return {
      count: h.totalCount,
      p50: h.getValueAtPercentile(50) / 1_000,
      p99: h.getValueAtPercentile(99) / 1_000,
      p999: h.getValueAtPercentile(99.9) / 1_000,
      max: h.maxValue / 1_000,
      mean: h.mean / 1_000,
    };
  }

  reset(): void {
    this.zeros = 0;
    this.histogram.reset();
  }
}
