import type { PackedTracks } from './association.js';
import { COV_SIZE, STATE_DIM } from './matrix.js';

/** Packed states and covariances of `count` tracks, grown on demand and reused between updates. */
export class PackedTrackStore implements PackedTracks {
  count = 0;
  state = new Float64Array(0);
  cov = new Float64Array(0);

  /** Room for at least `n` tracks (contents are not kept when it grows). */
  reserve(n: number): void {
    if (this.state.length >= n * STATE_DIM) return;
    const cap = Math.max(n, (this.state.length / STATE_DIM) * 2, 16);
    this.state = new Float64Array(cap * STATE_DIM);
    this.cov = new Float64Array(cap * COV_SIZE);
  }
}

/**
 * {@link isSymmetric} of the packed covariance at `off` (the same test on the same values).
 */
export function isSymmetricAt(cov: Float64Array, off: number): boolean {
  for (let i = 1; i < 6; i++)
    for (let j = 0; j < i; j++) {
      const a = cov[off + i * 6 + j]!;
      const b = cov[off + j * 6 + i]!;
      if (Math.abs(a - b) > 1e-9 * (Math.abs(a) + Math.abs(b)) + 1e-12) return false;
    }
  return true;
}

/** Copies the track's state (6) and covariance (36) into `store` as entry `k`. */
export function stageTrack(
  store: PackedTrackStore,
  k: number,
  state: readonly number[],
  covariance: readonly number[],
): void {
  const s = store.state;
  const c = store.cov;
  const so = k * STATE_DIM;
  const co = k * COV_SIZE;
  for (let q = 0; q < STATE_DIM; q++) s[so + q] = state[q]!;
  for (let q = 0; q < COV_SIZE; q++) c[co + q] = covariance[q]!;
}

/**
 * A plain-array copy of the state (6 values) at `offset`: one array literal, so V8 allocates it
 * once with unboxed double elements (a `new Array(n)` filled afterwards is allocated twice: as
 * small integers, then again as doubles when the first double is stored).
 */
export function copyState(s: Float64Array, offset: number): number[] {
  const o = offset;
  return [s[o + 0]!, s[o + 1]!, s[o + 2]!, s[o + 3]!, s[o + 4]!, s[o + 5]!];
}

/** A plain-array copy of the covariance (36 values) at `offset`, one array literal as {@link copyState}. */
export function copyCovariance(c: Float64Array, offset: number): number[] {
  const o = offset;
  return [
    c[o + 0]!,
    c[o + 1]!,
    c[o + 2]!,
    c[o + 3]!,
    c[o + 4]!,
    c[o + 5]!,
    c[o + 6]!,
    c[o + 7]!,
    c[o + 8]!,
    c[o + 9]!,
    c[o + 10]!,
    c[o + 11]!,
    c[o + 12]!,
    c[o + 13]!,
    c[o + 14]!,
    c[o + 15]!,
    c[o + 16]!,
    c[o + 17]!,
    c[o + 18]!,
    c[o + 19]!,
    c[o + 20]!,
    c[o + 21]!,
    c[o + 22]!,
    c[o + 23]!,
    c[o + 24]!,
    c[o + 25]!,
    c[o + 26]!,
    c[o + 27]!,
    c[o + 28]!,
    c[o + 29]!,
    c[o + 30]!,
    c[o + 31]!,
    c[o + 32]!,
    c[o + 33]!,
    c[o + 34]!,
    c[o + 35]!,
  ];
}
