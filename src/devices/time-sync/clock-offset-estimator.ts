import type { SyncSample } from './sync-sample.js';

/** Knobs of {@link ClockOffsetEstimator}. */
export interface EstimatorConfig {
  /** Most recent samples kept. Default 128 (12.8 s at the default 100 ms period). */
  readonly windowSize: number;
  /**
   * Min-RTT filter: a sample is used only when its round trip is within
   * max(minimum round trip, filterSlackUs) of the window's minimum. Default 10 us.
   */
  readonly filterSlackUs: number;
  /** Drift assumed at most, in ppm, when the samples span no time (a single sample). Default 500. */
  readonly maxDriftPpm: number;
}

export const DEFAULT_ESTIMATOR_CONFIG: EstimatorConfig = { windowSize: 128, filterSlackUs: 10, maxDriftPpm: 500 };

/** One sample as the fit uses it. */
interface FitTerm {
  /** Host time minus the weighted mean host time. */
  readonly dtUs: number;
  /** Weight 1/(round trip + 1 us)². */
  readonly weight: number;
  readonly halfWidthUs: number;
}

/**
 * A clock model: offset(h) = device − host at host time h = offsetUs + driftRatio · (h − refHostUs),
 * with a bound on its error at any host time.
 */
export class ClockEstimate {
  /** Drift of the device clock relative to the host, in ppm. */
  readonly driftPpm: number;

  constructor(
    /** Host time the model is centred on (weighted mean time of the samples used). */
    readonly refHostUs: number,
    /** Offset device − host at refHostUs. */
    readonly offsetUs: number,
    /** d(offset)/d(host time). */
    readonly driftRatio: number,
    private readonly terms: readonly FitTerm[],
    private readonly weightSum: number,
    /** Weighted Σ dt²; 0 when the samples span no time (drift then unknown, assumed 0). */
    private readonly sxx: number,
    private readonly maxDriftRatio: number,
    /** Samples in the window. */
    readonly windowSamples: number,
  ) {
    this.driftPpm = driftRatio * 1e6;
  }

  /** Samples the fit used (those that passed the min-RTT filter). */
  get samplesUsed(): number {
    return this.terms.length;
  }

  /** Estimated device − host offset at host time `hostUs`. */
  offsetAtUs(hostUs: number): number {
    return this.offsetUs + this.driftRatio * (hostUs - this.refHostUs);
  }

  hostToDeviceUs(hostUs: number): number {
    return hostUs + this.offsetAtUs(hostUs);
  }

  deviceToHostUs(deviceUs: number): number {
    // Solve h + offset(h) = deviceUs for h.
    return (deviceUs - this.offsetUs + this.driftRatio * this.refHostUs) / (1 + this.driftRatio);
  }

  /**
   * A bound on |estimated − true offset| at `hostUs`, valid when the true offset is linear in
   * host time (constant drift) and every sample's true offset lies within its half-width.
   *
   * The weighted least-squares line is a linear combination of the samples that reproduces any
   * line exactly: its error at t is Σ w_i(t)·e_i with
   * w_i(t) = v_i·(1/V + (t − t̄)(t_i − t̄)/Sxx) and |e_i| <= h_i, hence
   * |error(t)| <= Σ |w_i(t)|·h_i — the exact worst case, growing as t leaves the samples' span.
   * When the samples span no time, the drift is unknown: each sample also carries
   * maxDriftPpm·|t − t_i|.
   */
  uncertaintyAtUs(hostUs: number): number {
    const dt = hostUs - this.refHostUs;
    let bound = 0;
    for (const term of this.terms) {
      if (this.sxx > 0) {
        bound += Math.abs(term.weight * (1 / this.weightSum + (dt * term.dtUs) / this.sxx)) * term.halfWidthUs;
      } else {
        const spanUs = Math.abs(dt - term.dtUs);
        bound += (term.weight / this.weightSum) * (term.halfWidthUs + this.maxDriftRatio * spanUs);
      }
    }
    return bound;
  }
}

/**
 * Offset and drift estimation from NTP-style samples: keep a window of the latest samples,
 * drop those whose round trip is well above the window's best (min-RTT filter: the exchanges
 * disturbed by queueing), fit offset against host time by least squares weighted by
 * 1/(round trip)² (offset at the centre, slope = drift), and bound the error from the samples'
 * half-widths (see ClockEstimate.uncertaintyAtUs). Pure and deterministic; no clock.
 */
export class ClockOffsetEstimator {
  private readonly config: EstimatorConfig;
  private readonly window: SyncSample[] = [];
  private cached: ClockEstimate | undefined;

  constructor(config: Partial<EstimatorConfig> = {}) {
    this.config = { ...DEFAULT_ESTIMATOR_CONFIG, ...config };
    if (!(this.config.windowSize >= 1) || !(this.config.filterSlackUs >= 0)) {
      throw new RangeError('estimator: need windowSize >= 1 and filterSlackUs >= 0');
    }
  }

  get sampleCount(): number {
    return this.window.length;
  }

  reset(): void {
    this.window.length = 0;
    this.cached = undefined;
  }

  add(sample: SyncSample): void {
    if (![sample.hostUs, sample.offsetUs, sample.halfWidthUs].every(Number.isFinite)) return;
    this.window.push(sample);
    if (this.window.length > this.config.windowSize) this.window.shift();
    this.cached = undefined;
  }

  /** The current model, or undefined before the first sample. */
  estimate(): ClockEstimate | undefined {
    if (this.cached === undefined && this.window.length > 0) this.cached = this.fit();
    return this.cached;
  }

  private fit(): ClockEstimate {
    // Quality is judged on the round trip, not the half-width, which an asymmetry assumption
    // (maxDelayAsymmetryUs) may cap: queueing shows in the round trip either way.
    const rtt = (s: SyncSample): number => Math.max(s.rttUs, 0);
    let minRtt = Number.POSITIVE_INFINITY;
    for (const s of this.window) minRtt = Math.min(minRtt, rtt(s));
    const limit = minRtt + Math.max(minRtt, this.config.filterSlackUs);
    const used = this.window.filter((s) => rtt(s) <= limit);
    // Any weights keep the bound rigorous (the fit reproduces lines exactly); these favour the
    // least-queued exchanges.
    const weights = used.map((s) => 1 / (rtt(s) + 1) ** 2);
    let weightSum = 0;
    let meanT = 0;
    let meanO = 0;
    for (const weight of weights) weightSum += weight;
    for (const [i, s] of used.entries()) {
      meanT += (weights[i]! / weightSum) * s.hostUs;
      meanO += (weights[i]! / weightSum) * s.offsetUs;
    }
    let sxx = 0;
    let sxy = 0;
    for (const [i, s] of used.entries()) {
      const dt = s.hostUs - meanT;
      sxx += weights[i]! * dt * dt;
      sxy += weights[i]! * dt * (s.offsetUs - meanO);
    }
    // Below ~1 us² of weighted time variance the slope is meaningless: treat as one instant.
    const spans = sxx / weightSum > 1;
    const terms = used.map((s, i) => ({ dtUs: s.hostUs - meanT, weight: weights[i]!, halfWidthUs: s.halfWidthUs }));
    return new ClockEstimate(
      meanT,
      meanO,
      spans ? sxy / sxx : 0,
      terms,
      weightSum,
      spans ? sxx : 0,
      this.config.maxDriftPpm / 1e6,
      this.window.length,
    );
  }
}
