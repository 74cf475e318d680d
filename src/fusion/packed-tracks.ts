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

/** A plain-array copy of `length` values at `offset` (plain arrays: JSON-safe, cheap to allocate). */
export function copyOut(source: Float64Array, offset: number, length: number): number[] {
  const out = new Array<number>(length);
  for (let q = 0; q < length; q++) out[q] = source[offset + q]!;
  return out;
}
