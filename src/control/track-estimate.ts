import { FILTER_EAST, FILTER_NORTH, FILTER_UP_BALLISTIC, FILTER_UP_CV, FILTERS_PER_TRACK } from './filter-layout.js';
import { MODEL_BALLISTIC } from './track-table.js';
import type { TrackTable } from './track-table.js';

/**
 * The narrow read interface threat evaluation has on the tracker: one track's position, velocity,
 * their per-axis variances and position-velocity covariances, and its model class, at the
 * track's reference time. Mutable and reused (no allocation on the tick path). The only place
 * outside the tracker that knows the filter layout.
 */
export class TrackEstimate {
  refTimeUs = 0;
  ballistic = false;
  /** Vertical acceleration of the model: -g (ballistic) or 0. */
  accelUpMps2 = 0;
  eastM = 0;
  northM = 0;
  upM = 0;
  eastMps = 0;
  northMps = 0;
  upMps = 0;
  /** Per axis: position variance m², position-velocity covariance m²/s, velocity variance m²/s². */
  varEastM2 = 0;
  covEastM2PerS = 0;
  varEastMps2 = 0;
  varNorthM2 = 0;
  covNorthM2PerS = 0;
  varNorthMps2 = 0;
  varUpM2 = 0;
  covUpM2PerS = 0;
  varUpMps2 = 0;

  load(table: TrackTable, slot: number, gravityMps2: number): this {
    const f = table.filters;
    const o = slot * FILTERS_PER_TRACK;
    this.ballistic = table.model[slot] === MODEL_BALLISTIC;
    const e = o + FILTER_EAST;
    const n = o + FILTER_NORTH;
    const u = o + (this.ballistic ? FILTER_UP_BALLISTIC : FILTER_UP_CV);
    this.refTimeUs = table.refTimeUs[slot]!;
    this.accelUpMps2 = this.ballistic ? -gravityMps2 : 0;
    this.eastM = f[e]!;
    this.eastMps = f[e + 1]!;
    this.varEastM2 = f[e + 2]!;
    this.covEastM2PerS = f[e + 3]!;
    this.varEastMps2 = f[e + 4]!;
    this.northM = f[n]!;
    this.northMps = f[n + 1]!;
    this.varNorthM2 = f[n + 2]!;
    this.covNorthM2PerS = f[n + 3]!;
    this.varNorthMps2 = f[n + 4]!;
    this.upM = f[u]!;
    this.upMps = f[u + 1]!;
    this.varUpM2 = f[u + 2]!;
    this.covUpM2PerS = f[u + 3]!;
    this.varUpMps2 = f[u + 4]!;
    return this;
  }
}
