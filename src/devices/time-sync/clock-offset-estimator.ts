import { ClockEstimate } from './clock-estimate.js';
import { SampleWindow } from './sample-window.js';
import type { SyncSample } from './sync-sample.js';

/** Knobs of {@link ClockOffsetEstimator}. */
export interface EstimatorConfig {
  /** Most recent samples kept. Default 128 (12.8 s at the default 100 ms period). */
  readonly windowSize: number;
  /**
   * Min-RTT filter: a sample is used only when its round trip is within
   * max(minimum round trip, filterSlackUs) of the minimum round trip of the newest
   * `filterRecentSamples` samples. Default 10 us.
   */
  readonly filterSlackUs: number;
  /**
   * How many of the newest samples set the min-RTT filter's reference (NTP's clock filter keeps
   * 8). Taking the minimum over the whole window instead let one lucky fast exchange exclude every
   * later one until it left the window: on a loaded host the estimate then aged on that one sample
   * and its bound grew past a FIRE's budget for up to the window's length (12.8 s). Default 8.
   */
  readonly filterRecentSamples: number;
  /** Drift assumed at most, in ppm, when the samples span no time (a single sample). Default 500. */
  readonly maxDriftPpm: number;
}

export const DEFAULT_ESTIMATOR_CONFIG: EstimatorConfig = {
  windowSize: 128,
  filterSlackUs: 10,
  filterRecentSamples: 8,
  maxDriftPpm: 500,
};

/**
 * Offset and drift estimation from NTP-style samples: keep a window of the latest samples,
 * drop those whose round trip is well above the best of the newest few (min-RTT filter: the
 * exchanges disturbed by queueing), fit offset against host time by least squares weighted by
 * 1/(round trip)² (offset at the centre, slope = drift), and bound the error from the samples'
 * half-widths (see ClockEstimate.uncertaintyAtUs). Pure and deterministic; no clock.
 *
 * Cost: `add` is amortised O(1) with no object per sample; the fit runs at most once per added
 * sample, lazily at the next `estimate()`, in O(window), allocating only the estimate (which
 * shares the window's write-once columns instead of copying its samples). Sums run oldest
 * sample first, so results are reproducible bit for bit.
 */
export class ClockOffsetEstimator {
  private readonly config: EstimatorConfig;
  private readonly window: SampleWindow;
  /** The fit of the current window; undefined when the window changed since (or is empty). */
  private cached: ClockEstimate | undefined;

  constructor(config: Partial<EstimatorConfig> = {}) {
    this.config = { ...DEFAULT_ESTIMATOR_CONFIG, ...config };
    if (
      !(this.config.windowSize >= 1) ||
      !(this.config.filterSlackUs >= 0) ||
      !(Number.isInteger(this.config.filterRecentSamples) && this.config.filterRecentSamples >= 1)
    ) {
      throw new RangeError(
        'estimator: need windowSize >= 1, filterSlackUs >= 0 and an integer filterRecentSamples >= 1',
      );
    }
    this.window = new SampleWindow(this.config.windowSize);
  }

  get sampleCount(): number {
    return this.window.size;
  }

  reset(): void {
    this.window.clear();
    this.cached = undefined;
  }

  /** Add a sample (ignored unless hostUs, offsetUs and halfWidthUs are finite); drops the oldest beyond the window. */
  add(sample: SyncSample): void {
    // A non-finite round trip would empty the min-RTT filter and leave a zero bound: refused
    // like any other non-finite sample (the bound must stay rigorous).
    if (
      !Number.isFinite(sample.hostUs) ||
      !Number.isFinite(sample.offsetUs) ||
      !Number.isFinite(sample.halfWidthUs) ||
      !Number.isFinite(sample.rttUs)
    ) {
      return;
    }
    // Quality is judged on the round trip, not the half-width, which an asymmetry assumption
    // (maxDelayAsymmetryUs) may cap: queueing shows in the round trip either way.
    const filterRttUs = Math.max(sample.rttUs, 0);
    // Any weights keep the bound rigorous (the fit reproduces lines exactly); these favour the
    // least-queued exchanges.
    const weight = 1 / (filterRttUs + 1) ** 2;
    this.window.push(sample.hostUs, sample.offsetUs, sample.halfWidthUs, filterRttUs, weight);
    this.cached = undefined;
  }

  /** The current model, or undefined before the first sample. */
  estimate(): ClockEstimate | undefined {
    if (this.cached === undefined && this.window.size > 0) this.cached = this.fit();
    return this.cached;
  }

  private fit(): ClockEstimate {
    const window = this.window;
    const { columns, start, end } = window;
    const { hostUs, offsetUs, filterRttUs, weight } = columns;
    let minRtt = Number.POSITIVE_INFINITY;
    const recentStart = Math.max(start, end - this.config.filterRecentSamples);
    for (let i = recentStart; i < end; i++) minRtt = Math.min(minRtt, filterRttUs[i]!);
    const limit = minRtt + Math.max(minRtt, this.config.filterSlackUs);
    // Every sum below runs over the used samples oldest first.
    let weightSum = 0;
    let count = 0;
    for (let i = start; i < end; i++) {
      if (filterRttUs[i]! <= limit) {
        weightSum += weight[i]!;
        count++;
      }
    }
    let meanT = 0;
    let meanO = 0;
    for (let i = start; i < end; i++) {
      if (filterRttUs[i]! <= limit) {
        meanT += (weight[i]! / weightSum) * hostUs[i]!;
        meanO += (weight[i]! / weightSum) * offsetUs[i]!;
      }
    }
    let sxx = 0;
    let sxy = 0;
    for (let i = start; i < end; i++) {
      if (filterRttUs[i]! <= limit) {
        const dt = hostUs[i]! - meanT;
        sxx += weight[i]! * dt * dt;
        sxy += weight[i]! * dt * (offsetUs[i]! - meanO);
      }
    }
    // Below ~1 us² of weighted time variance the slope is meaningless: treat as one instant.
    const spans = sxx / weightSum > 1;
    return new ClockEstimate(
      meanT,
      meanO,
      spans ? sxy / sxx : 0,
      { columns, start, end, maxFilterRttUs: limit, count },
      weightSum,
      spans ? sxx : 0,
      this.config.maxDriftPpm / 1e6,
      end - start,
    );
  }
}
