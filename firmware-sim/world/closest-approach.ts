import { cubicRootsIn } from './polynomial-roots.js';
import { type Vec3, dot } from './vector3.js';

/** The minimum distance of a relative motion over an interval, and when it happens. */
export interface ClosestApproach {
  /** Seconds from the start of the interval. */
  readonly tauS: number;
  readonly distanceM: number;
}

/**
 * Exact minimum of |r(τ)| for r(τ) = a + b·τ + c·τ², τ in [0, hS] — the relative position of a
 * ballistic (or constant-velocity, c = 0) target and a constant-velocity interceptor. The
 * stationary points of |r|² are the roots of the cubic
 * d/dτ(r·r)/2 = 2(c·c)τ³ + 3(b·c)τ² + (b·b + 2a·c)τ + a·b, so the minimum is found analytically
 * rather than by sampling: a fast crossing between two samples cannot hide.
 * Ties resolve to the earliest τ.
 */
export function closestApproach(a: Vec3, b: Vec3, c: Vec3, hS: number): ClosestApproach {
  const distanceAt = (t: number): number => {
    const x = a.x + (b.x + c.x * t) * t;
    const y = a.y + (b.y + c.y * t) * t;
    const z = a.z + (b.z + c.z * t) * t;
    return Math.sqrt(x * x + y * y + z * z);
  };
  let best: ClosestApproach = { tauS: 0, distanceM: distanceAt(0) };
  const candidates = cubicRootsIn(2 * dot(c, c), 3 * dot(b, c), dot(b, b) + 2 * dot(a, c), dot(a, b), 0, hS);
  candidates.push(hS);
  for (const t of candidates) {
    const d = distanceAt(t);
    if (d < best.distanceM) best = { tauS: t, distanceM: d };
  }
  return best;
}

/**
 * A lower bound of |r(τ)| over [0, hS] from |a| − |b|·hS − |c|·hS²: cheap, used to skip the
 * exact solution for pairs that cannot come closer than what is already known.
 */
export function distanceLowerBound(a: Vec3, b: Vec3, c: Vec3, hS: number): number {
  return Math.sqrt(dot(a, a)) - Math.sqrt(dot(b, b)) * hS - Math.sqrt(dot(c, c)) * hS * hS;
}
