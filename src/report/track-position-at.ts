import type { TargetSample } from './target-tracks.js';

/**
 * A target's position at `tUs`, linearly interpolated between the two truth samples around it
 * (samples are a few hundred milliseconds apart: good to a few metres on a plan of kilometres).
 * Null outside the sampled interval or for an empty track.
 */
export function trackPositionAt(samples: readonly TargetSample[], tUs: number): TargetSample | null {
  if (samples.length === 0) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  if (tUs < first.tUs || tUs > last.tUs) return null;
  let lo = 0;
  let hi = samples.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (samples[mid]!.tUs <= tUs) lo = mid;
    else hi = mid;
  }
  const a = samples[lo]!;
  const b = samples[hi]!;
  const span = b.tUs - a.tUs;
  const f = span > 0 ? (tUs - a.tUs) / span : 0;
  return {
    tUs,
    eastM: a.eastM + (b.eastM - a.eastM) * f,
    northM: a.northM + (b.northM - a.northM) * f,
    upM: a.upM + (b.upM - a.upM) * f,
  };
}
