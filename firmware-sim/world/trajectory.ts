import type { MutableVec3 } from './vector3.js';

/** Numbers per segment: startUs, position xyz, velocity xyz, acceleration xyz. */
export const SEGMENT_STRIDE = 10;
const T = 0;
const PX = 1;
const VX = 4;
const AX = 7;

/**
 * A flight as consecutive constant-acceleration segments: inside segment k, from its start
 * s_k, p(τ) = p_k + v_k·τ + ½·a_k·τ² (τ in seconds). Segments join with continuous position
 * and velocity; the last one extends to +∞. This piecewise-quadratic motion *is* the truth of
 * an integrated target: the radar, the truth log and the interceptor sweep all read it, and the
 * sweep's closest approach stays exact per segment. Queries in non-decreasing time are O(1)
 * (a cursor); others binary-search. Allocates nothing per query.
 */
export class Trajectory {
  /** Segment k occupies data[k·SEGMENT_STRIDE ..]. */
  readonly data: Float64Array;
  readonly count: number;
  /** max_k |a_k| / 2 (m/s²): a bound on the τ² coefficient of every segment. */
  readonly maxHalfAccelMps2: number;
  private cursor = 0;

  constructor(data: Float64Array, count: number) {
    if (count < 1) throw new RangeError('a trajectory needs at least one segment');
    this.data = data;
    this.count = count;
    let max = 0;
    for (let k = 0; k < count; k++) {
      const o = k * SEGMENT_STRIDE + AX;
      const a = Math.sqrt(data[o]! * data[o]! + data[o + 1]! * data[o + 1]! + data[o + 2]! * data[o + 2]!);
      if (a > max) max = a;
    }
    this.maxHalfAccelMps2 = 0.5 * max;
  }

  /** World time segment `k` starts. */
  startUs(k: number): number {
    return this.data[k * SEGMENT_STRIDE + T]!;
  }

  /** World time segment `k` ends (the next one's start), +∞ for the last. */
  endUs(k: number): number {
    return k + 1 < this.count ? this.data[(k + 1) * SEGMENT_STRIDE + T]! : Infinity;
  }

  /** The segment holding world time `tUs` (the first one before the flight starts). */
  segmentAt(tUs: number): number {
    let k = this.cursor;
    if (this.startUs(k) <= tUs && tUs < this.endUs(k)) return k;
    if (k + 1 < this.count && this.startUs(k + 1) <= tUs && tUs < this.endUs(k + 1)) {
      this.cursor = k + 1;
      return k + 1;
    }
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.startUs(mid) <= tUs) lo = mid;
      else hi = mid - 1;
    }
    k = lo;
    this.cursor = k;
    return k;
  }

  positionInto(tUs: number, out: MutableVec3): MutableVec3 {
    const o = this.segmentAt(tUs) * SEGMENT_STRIDE;
    const d = this.data;
    const tauS = (tUs - d[o + T]!) / 1e6;
    const halfTau2S2 = 0.5 * tauS * tauS;
    out.x = d[o + PX]! + d[o + VX]! * tauS + d[o + AX]! * halfTau2S2;
    out.y = d[o + PX + 1]! + d[o + VX + 1]! * tauS + d[o + AX + 1]! * halfTau2S2;
    out.z = d[o + PX + 2]! + d[o + VX + 2]! * tauS + d[o + AX + 2]! * halfTau2S2;
    return out;
  }

  velocityInto(tUs: number, out: MutableVec3): MutableVec3 {
    const o = this.segmentAt(tUs) * SEGMENT_STRIDE;
    const d = this.data;
    const tauS = (tUs - d[o + T]!) / 1e6;
    out.x = d[o + VX]! + d[o + AX]! * tauS;
    out.y = d[o + VX + 1]! + d[o + AX + 1]! * tauS;
    out.z = d[o + VX + 2]! + d[o + AX + 2]! * tauS;
    return out;
  }

  /** ½·a of the segment holding `tUs`, into `out`. */
  halfAccelInto(tUs: number, out: MutableVec3): MutableVec3 {
    const o = this.segmentAt(tUs) * SEGMENT_STRIDE + AX;
    out.x = 0.5 * this.data[o]!;
    out.y = 0.5 * this.data[o + 1]!;
    out.z = 0.5 * this.data[o + 2]!;
    return out;
  }

  /** World time the flight first reaches up = 0 going down after its start, or undefined. */
  groundImpactUs(): number | undefined {
    const d = this.data;
    for (let k = 0; k < this.count; k++) {
      const o = k * SEGMENT_STRIDE;
      const spanS = (this.endUs(k) - d[o + T]!) / 1e6;
      const tau = firstDescentRootS(d[o + PX + 2]!, d[o + VX + 2]!, 0.5 * d[o + AX + 2]!, spanS);
      if (tau !== undefined) return d[o + T]! + tau * 1e6;
    }
    return undefined;
  }
}

/** The smallest τ in (0, spanS] with c + b·τ + a·τ² = 0, or undefined. */
function firstDescentRootS(c: number, b: number, a: number, spanS: number): number | undefined {
  let best: number | undefined;
  const consider = (r: number): void => {
    if (Number.isFinite(r) && r > 0 && r <= spanS && (best === undefined || r < best)) best = r;
  };
  if (a === 0) {
    if (b !== 0) consider(-c / b);
    return best;
  }
  const disc = b * b - 4 * a * c;
  if (disc < 0) return undefined;
  const q = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(disc));
  consider(q / a);
  if (q !== 0) consider(c / q);
  return best;
}
