import type { EstimatorConfig, SyncSample } from '../../../src/devices/index.js';

/** What the reference fit found, in the terms of ClockEstimate. */
export interface ReferenceFit {
  readonly refHostUs: number;
  readonly offsetUs: number;
  readonly driftRatio: number;
  readonly samplesUsed: number;
  uncertaintyAtUs(hostUs: number): number;
}

/**
 * The clock fit as first written (array filter/map per fit, one object per term), kept as the
 * oracle the allocation-free ClockOffsetEstimator must match bit for bit.
 */
export class ReferenceClockFit {
  private readonly window: SyncSample[] = [];

  constructor(private readonly config: EstimatorConfig) {}

  add(sample: SyncSample): void {
    if (![sample.hostUs, sample.offsetUs, sample.halfWidthUs, sample.rttUs].every(Number.isFinite)) return;
    this.window.push(sample);
    if (this.window.length > this.config.windowSize) this.window.shift();
  }

  get sampleCount(): number {
    return this.window.length;
  }

  fit(): ReferenceFit {
    const rtt = (s: SyncSample): number => Math.max(s.rttUs, 0);
    let minRtt = Number.POSITIVE_INFINITY;
    for (const s of this.window.slice(-this.config.filterRecentSamples)) minRtt = Math.min(minRtt, rtt(s));
    const limit = minRtt + Math.max(minRtt, this.config.filterSlackUs);
    const used = this.window.filter((s) => rtt(s) <= limit);
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
    const spans = sxx / weightSum > 1;
    const terms = used.map((s, i) => ({ dtUs: s.hostUs - meanT, weight: weights[i]!, halfWidthUs: s.halfWidthUs }));
    const fitSxx = spans ? sxx : 0;
    const maxDriftRatio = this.config.maxDriftPpm / 1e6;
    return {
      refHostUs: meanT,
      offsetUs: meanO,
      driftRatio: spans ? sxy / sxx : 0,
      samplesUsed: terms.length,
      uncertaintyAtUs: (hostUs: number): number => {
        const dt = hostUs - meanT;
        let bound = 0;
        for (const term of terms) {
          if (fitSxx > 0) {
            bound += Math.abs(term.weight * (1 / weightSum + (dt * term.dtUs) / fitSxx)) * term.halfWidthUs;
          } else {
            const spanUs = Math.abs(dt - term.dtUs);
            bound += (term.weight / weightSum) * (term.halfWidthUs + maxDriftRatio * spanUs);
          }
        }
        return bound;
      },
    };
  }
}
