import type { SampleColumns } from './sample-window.js';

/**
 * The samples a fit used: those at indices [start, end) of `columns` whose filterRttUs is
 * <= maxFilterRttUs. The columns are never modified (see SampleWindow), so an estimate keeps
 * its samples without copying them.
 */
export interface FitSamples {
  readonly columns: SampleColumns;
  readonly start: number;
  readonly end: number;
  /** The min-RTT filter's limit. */
  readonly maxFilterRttUs: number;
  /** How many samples passed the filter. */
  readonly count: number;
}

/**
 * A clock model: offset(h) = device − host at host time h = offsetUs + driftRatio · (h − refHostUs),
 * with a bound on its error at any host time. Immutable: a newer fit is a new estimate.
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
    private readonly used: FitSamples,
    /** Σ of the used samples' weights. */
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
    return this.used.count;
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
   * maxDriftPpm·|t − t_i|. O(window), no allocation.
   */
  uncertaintyAtUs(hostUs: number): number {
    const dt = hostUs - this.refHostUs;
    const { columns, start, end, maxFilterRttUs } = this.used;
    const { hostUs: sampleHostUs, halfWidthUs, filterRttUs, weight } = columns;
    const refHostUs = this.refHostUs;
    const weightSum = this.weightSum;
    const sxx = this.sxx;
    let bound = 0;
    if (sxx > 0) {
      const inverseWeightSum = 1 / weightSum;
      for (let i = start; i < end; i++) {
        if (!(filterRttUs[i]! <= maxFilterRttUs)) continue;
        const termDtUs = sampleHostUs[i]! - refHostUs;
        bound += Math.abs(weight[i]! * (inverseWeightSum + (dt * termDtUs) / sxx)) * halfWidthUs[i]!;
      }
    } else {
      const maxDriftRatio = this.maxDriftRatio;
      for (let i = start; i < end; i++) {
        if (!(filterRttUs[i]! <= maxFilterRttUs)) continue;
        const spanUs = Math.abs(dt - (sampleHostUs[i]! - refHostUs));
        bound += (weight[i]! / weightSum) * (halfWidthUs[i]! + maxDriftRatio * spanUs);
      }
    }
    return bound;
  }
}
