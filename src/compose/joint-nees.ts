import { chiSquareQuantile } from '../common/chi-square.js';
import type { PictureSample } from '../session/picture-sampler.js';
import { type TruthTargetSample, pictureFrames } from '../session/run-picture-quality.js';

/** A fused joint track sampled for consistency: its position and 3×3 position covariance (row-major). */
export interface FusedTrackSample {
  readonly trackId: number;
  readonly position: readonly [number, number, number];
  readonly positionCovariance: readonly number[];
}

/** Fused-track position NEES against truth (3 degrees of freedom). */
export interface FusedTrackNees {
  /** Track-instant pairs scored (a fused track within the radius of a truth target). */
  readonly samples: number;
  readonly mean: number | null;
  /** Share of pairs inside the two-sided 95 % χ²₃ band [lower, upper]. */
  readonly inBand95: number | null;
  readonly lower: number;
  readonly upper: number;
}

/** The inverse of a symmetric 3×3 (row-major), or null when it is not positive definite. */
function inverse3(m: readonly number[]): number[] | null {
  const [a, b, c, , e, f, , , i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * f;
  const B = c * f - b * i;
  const C = b * f - c * e;
  const det = a * A + b * B + c * C;
  if (!(det > 0) || !(a > 0) || !Number.isFinite(det)) return null;
  const D = a * i - c * c;
  const E = b * c - a * f;
  const F = a * e - b * b;
  return [A / det, B / det, C / det, B / det, D / det, E / det, C / det, E / det, F / det];
}

/**
 * NEES of the fused joint tracks: at each sampled instant, each fused track against the nearest
 * truth target within `radiusM` (host µs samples; truth `tUs` + `truthEpochHostUs`). A consistent
 * estimator puts 95 % of the pairs inside [χ²₃(0.025), χ²₃(0.975)] with a mean near 3;
 * covariance intersection is conservative by construction (mean below 3).
 */
export function fusedTrackNees(
  samples: readonly { readonly atUs: number; readonly tracks: readonly FusedTrackSample[] }[],
  truth: readonly TruthTargetSample[],
  truthEpochHostUs: number,
  radiusM: number,
): FusedTrackNees {
  const asPicture: PictureSample[] = samples.map((s) => ({
    atUs: s.atUs,
    tracks: s.tracks.map((t) => ({ trackId: t.trackId, position: t.position, velocity: [0, 0, 0] as const })),
  }));
  const frames = pictureFrames(asPicture, truth, truthEpochHostUs);
  const lower = chiSquareQuantile(0.025, 3);
  const upper = chiSquareQuantile(0.975, 3);
  let count = 0;
  let sum = 0;
  let inBand = 0;
  frames.forEach((frame, k) => {
    samples[k]!.tracks.forEach((track) => {
      let best: readonly number[] | null = null;
      let bestM = radiusM;
      for (const g of frame.truths) {
        const d = Math.hypot(
          track.position[0] - g.position[0]!,
          track.position[1] - g.position[1]!,
          track.position[2] - g.position[2]!,
        );
        if (d <= bestM) {
          bestM = d;
          best = g.position;
        }
      }
      const inv = inverse3(track.positionCovariance);
      if (best === null || inv === null) return;
      const d = [track.position[0] - best[0]!, track.position[1] - best[1]!, track.position[2] - best[2]!];
      let nees = 0;
      for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) nees += d[r]! * inv[r * 3 + c]! * d[c]!;
      count++;
      sum += nees;
      if (nees >= lower && nees <= upper) inBand++;
    });
  });
  return {
    samples: count,
    mean: count === 0 ? null : sum / count,
    inBand95: count === 0 ? null : inBand / count,
    lower,
    upper,
  };
}
