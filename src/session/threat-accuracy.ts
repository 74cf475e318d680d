import { chiSquareQuantile } from '../common/chi-square.js';
import type { ThreatSnapshot, TrackCovarianceSnapshot } from '../control/index.js';
import type { TruthTargetSample } from './run-picture-quality.js';

/** Seconds before the truth impact at which the IPP error is measured (the figure's horizon). */
export const IPP_ERROR_HORIZON_S = 30;
/** A host track belongs to the truth target nearest it within this distance (m). */
export const ACCURACY_ASSOCIATION_RADIUS_M = 1000;
/** Sample period of the accuracy sampler, µs (1 s), and the most samples kept (a day). */
const SAMPLE_PERIOD_US = 1_000_000;
const MAX_SAMPLES = 86_400;

/** One sample: the threats' IPPs and the tracks' estimates with their variances. */
interface AccuracySample {
  readonly atUs: number;
  readonly ipp: ReadonlyMap<number, { readonly eastM: number; readonly northM: number }>;
  readonly estimates: readonly TrackCovarianceSnapshot[];
}

/**
 * Samples the core's snapshots once a second of run time (the first at or after each due
 * instant): each ballistic threat's predicted impact point and every active track's position
 * estimate with its variances. Bounded (a day of samples; later snapshots are not sampled).
 */
export class ThreatAccuracySampler {
  private readonly kept: AccuracySample[] = [];
  private nextUs = Number.NEGATIVE_INFINITY;

  add(snapshot: {
    readonly nowUs: number;
    readonly threats?: readonly ThreatSnapshot[];
    readonly covariances?: readonly TrackCovarianceSnapshot[];
  }): void {
    if (snapshot.nowUs < this.nextUs || this.kept.length >= MAX_SAMPLES) return;
    this.nextUs = snapshot.nowUs + SAMPLE_PERIOD_US;
    const ipp = new Map<number, { eastM: number; northM: number }>();
    for (const t of snapshot.threats ?? [])
      if (t.kind === 'impact') ipp.set(t.trackId, { eastM: t.ippEastM, northM: t.ippNorthM });
    this.kept.push({ atUs: snapshot.nowUs, ipp, estimates: snapshot.covariances ?? [] });
  }

  samples(): readonly AccuracySample[] {
    return this.kept;
  }
}

/** IPP error and tracker consistency against truth (`ipp.*`, `tracker.nees.*` measurement paths). */
export interface ThreatAccuracy {
  readonly ipp: {
    /** Seconds before the truth impact the prediction is taken at. */
    readonly horizonS: number;
    /** Hostiles that reached the ground and had an associated ballistic track with an IPP then. */
    readonly count: number;
    /** Horizontal distance IPP → truth impact point, m (null without a count). */
    readonly errorM: { readonly mean: number; readonly p50: number; readonly max: number } | null;
  };
  readonly nees: {
    /** Track-instant pairs scored (position, 3 degrees of freedom). */
    readonly samples: number;
    readonly mean: number | null;
    /** Share of pairs inside the two-sided 95 % chi-square band [lower, upper]. */
    readonly inBand95: number | null;
    readonly lower: number;
    readonly upper: number;
  };
}

interface TruthPath {
  readonly us: number[];
  readonly p: [number, number, number][];
}

function positionAt(path: TruthPath, us: number): [number, number, number] | null {
  const n = path.us.length;
  if (n === 0 || us < path.us[0]! || us > path.us[n - 1]!) return null;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (path.us[mid]! <= us) lo = mid;
    else hi = mid;
  }
  const a = path.p[lo]!;
  const b = path.p[hi]!;
  const span = path.us[hi]! - path.us[lo]!;
  const f = span > 0 ? (us - path.us[lo]!) / span : 0;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/**
 * Scores the sampled threat picture against the simulator's truth (truth time + `truthEpochHostUs`
 * = host time; truth positions linearly interpolated between samples):
 *
 * - IPP error: for each hostile with a truth `impact` record (an intercepted one has no truth
 *   impact point), the sample nearest `horizonS` before the impact (within one sample period);
 *   the track associated with the target then (nearest estimate within the radius, at the
 *   estimate's own time) must have an IPP; the error is the horizontal distance to the truth impact.
 * - NEES: for every sample and every track estimate associated with a truth target, the
 *   position NEES eᵀP⁻¹e with P the per-axis position variances (the tracker's decoupled axes).
 *
 * Pure and deterministic.
 */
export function threatAccuracy(
  samples: readonly AccuracySample[],
  truth: readonly (TruthTargetSample & { readonly iff?: string; readonly position?: unknown })[],
  truthEpochHostUs: number,
  horizonS = IPP_ERROR_HORIZON_S,
  radiusM = ACCURACY_ASSOCIATION_RADIUS_M,
): ThreatAccuracy {
  const paths = new Map<string, TruthPath>();
  const impacts: { targetId: string; atUs: number; eastM: number; northM: number }[] = [];
  for (const r of truth) {
    if (r.kind === 'target' && r.targetId !== undefined && r.eastM !== undefined) {
      let path = paths.get(r.targetId);
      if (path === undefined) paths.set(r.targetId, (path = { us: [], p: [] }));
      path.us.push(r.tUs + truthEpochHostUs);
      path.p.push([r.eastM, r.northM ?? 0, r.upM ?? 0]);
    } else if (r.kind === 'impact' && r.iff === 'hostile' && r.targetId !== undefined) {
      const p = r.position as { eastM: number; northM: number } | undefined;
      if (p !== undefined) impacts.push({ targetId: r.targetId, atUs: r.tUs + truthEpochHostUs, ...p });
    }
  }
  const nearestTarget = (e: TrackCovarianceSnapshot): { targetId: string; p: [number, number, number] } | null => {
    let best: { targetId: string; p: [number, number, number] } | null = null;
    let bestD = radiusM;
    for (const [targetId, path] of paths) {
      const p = positionAt(path, e.estimateTimeUs);
      if (p === null) continue;
      const d = Math.hypot(p[0] - e.eastM, p[1] - e.northM, p[2] - e.upM);
      if (d <= bestD) {
        bestD = d;
        best = { targetId, p };
      }
    }
    return best;
  };

  const errors: number[] = [];
  for (const impact of impacts) {
    const wantUs = impact.atUs - horizonS * 1e6;
    let sample: AccuracySample | undefined;
    let bestDt = SAMPLE_PERIOD_US;
    for (const s of samples) {
      const dt = Math.abs(s.atUs - wantUs);
      if (dt <= bestDt) {
        bestDt = dt;
        sample = s;
      }
    }
    if (sample === undefined) continue;
    for (const e of sample.estimates) {
      const ipp = sample.ipp.get(e.trackId);
      if (ipp === undefined || nearestTarget(e)?.targetId !== impact.targetId) continue;
      errors.push(Math.hypot(ipp.eastM - impact.eastM, ipp.northM - impact.northM));
      break;
    }
  }
  errors.sort((a, b) => a - b);

  const lower = chiSquareQuantile(0.025, 3);
  const upper = chiSquareQuantile(0.975, 3);
  let count = 0;
  let sum = 0;
  let inBand = 0;
  for (const s of samples) {
    for (const e of s.estimates) {
      if (!(e.varEastM2 > 0 && e.varNorthM2 > 0 && e.varUpM2 > 0)) continue;
      const target = nearestTarget(e);
      if (target === null) continue;
      const de = e.eastM - target.p[0];
      const dn = e.northM - target.p[1];
      const du = e.upM - target.p[2];
      const nees = (de * de) / e.varEastM2 + (dn * dn) / e.varNorthM2 + (du * du) / e.varUpM2;
      count++;
      sum += nees;
      if (nees >= lower && nees <= upper) inBand++;
    }
  }
  return {
    ipp: {
      horizonS,
      count: errors.length,
      errorM:
        errors.length === 0
          ? null
          : {
              mean: errors.reduce((a, b) => a + b, 0) / errors.length,
              p50: errors[Math.floor((errors.length - 1) / 2)]!,
              max: errors[errors.length - 1]!,
            },
    },
    nees: {
      samples: count,
      mean: count === 0 ? null : sum / count,
      inBand95: count === 0 ? null : inBand / count,
      lower,
      upper,
    },
  };
}
