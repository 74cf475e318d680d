import { MAX_CUBIC_ROOTS, cubicRootsInto } from './polynomial-roots.js';
import { type Vec3, dot } from './vector3.js';

/** The minimum distance of a relative motion over an interval, and when it happens. */
export interface ClosestApproach {
  /** Seconds from the start of the interval. */
  readonly tauS: number;
  readonly distanceM: number;
}

/** A {@link ClosestApproach} that {@link closestApproachInto} overwrites. */
export interface MutableClosestApproach {
  tauS: number;
  distanceM: number;
}

const roots = new Float64Array(MAX_CUBIC_ROOTS);

/**
 * Exact minimum of |r(τ)| for r(τ) = a + b·τ + c·τ², τ in [0, hS] — the relative position of a
 * ballistic (or constant-velocity, c = 0) target and a constant-velocity interceptor. The
 * stationary points of |r|² are the roots of the cubic
 * d/dτ(r·r)/2 = 2(c·c)τ³ + 3(b·c)τ² + (b·b + 2a·c)τ + a·b, so the minimum is found analytically
 * rather than by sampling: a fast crossing between two samples cannot hide.
 * Ties resolve to the earliest τ.
 */
export function closestApproach(a: Vec3, b: Vec3, c: Vec3, hS: number): ClosestApproach {
  const out = closestApproachInto(a, b, c, hS, { tauS: 0, distanceM: 0 });
  return { tauS: out.tauS, distanceM: out.distanceM };
}

/** {@link closestApproach} written into `out` (returned), allocating nothing; the same bits. */
export function closestApproachInto(
  a: Vec3,
  b: Vec3,
  c: Vec3,
  hS: number,
  out: MutableClosestApproach,
): MutableClosestApproach {
  let bestTauS = 0;
  let bestM = distanceAt(a, b, c, 0);
  const count = cubicRootsInto(2 * dot(c, c), 3 * dot(b, c), dot(b, b) + 2 * dot(a, c), dot(a, b), 0, hS, roots);
  for (let i = 0; i <= count; i++) {
    const t = i < count ? roots[i]! : hS;
    const d = distanceAt(a, b, c, t);
    if (d < bestM) {
      bestTauS = t;
      bestM = d;
    }
  }
  out.tauS = bestTauS;
  out.distanceM = bestM;
  return out;
}

/** |a + b·t + c·t²|, evaluated as a + (b + c·t)·t per component. */
function distanceAt(a: Vec3, b: Vec3, c: Vec3, t: number): number {
  const x = a.x + (b.x + c.x * t) * t;
  const y = a.y + (b.y + c.y * t) * t;
  const z = a.z + (b.z + c.z * t) * t;
  return Math.sqrt(x * x + y * y + z * z);
}

/**
 * How long |r(τ)| = |a + b·τ + c·τ²| provably stays at or above `thresholdM`, in seconds from
 * τ = 0, given only the norms |a| (m), |b| (m/s) and |c| (m/s²): the positive root of the lower
 * bound |a| − |b|·τ − |c|·τ² = thresholdM (the bound only decreases with τ). 0 when |a| is not
 * above the threshold (or a norm is NaN), Infinity when nothing moves. The bound is exact
 * arithmetic: a caller comparing it with values computed in floating point must pad
 * `thresholdM` by more than their rounding error.
 */
export function clearanceHorizonS(aNormM: number, bNormMps: number, cNormMps2: number, thresholdM: number): number {
  const slackM = aNormM - thresholdM;
  if (!(slackM > 0)) return 0;
  if (cNormMps2 === 0) return bNormMps === 0 ? Infinity : slackM / bNormMps;
  return (2 * slackM) / (bNormMps + Math.sqrt(bNormMps * bNormMps + 4 * cNormMps2 * slackM));
}
