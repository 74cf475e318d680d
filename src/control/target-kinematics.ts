import { FILTER_EAST, FILTER_NORTH, FILTER_UP_BALLISTIC, FILTER_UP_CV, FILTERS_PER_TRACK } from './filter-layout.js';
import { MODEL_BALLISTIC } from './track-table.js';
import type { TrackTable } from './track-table.js';

/**
 * A target's motion model for prediction: position and velocity at `refTimeUs` and a constant
 * vertical acceleration (0 for constant velocity, -g for ballistic; drag is not modelled).
 * Mutable and reused, so predictions allocate nothing: `predict(t)` writes `atEastM/NorthM/UpM`.
 */
export class TargetKinematics {
  refTimeUs = 0;
  eastM = 0;
  northM = 0;
  upM = 0;
  eastMps = 0;
  northMps = 0;
  upMps = 0;
  accelUpMps2 = 0;
  atEastM = 0;
  atNorthM = 0;
  atUpM = 0;

  /** Sets the model directly (tests, other callers). */
  set(
    refTimeUs: number,
    eastM: number,
    northM: number,
    upM: number,
    eastMps: number,
    northMps: number,
    upMps: number,
    accelUpMps2: number,
  ): this {
    this.refTimeUs = refTimeUs;
    this.eastM = eastM;
    this.northM = northM;
    this.upM = upM;
    this.eastMps = eastMps;
    this.northMps = northMps;
    this.upMps = upMps;
    this.accelUpMps2 = accelUpMps2;
    return this;
  }

  /** Loads a track's current estimate (vertical axis from the model it is classed as). */
  loadTrack(table: TrackTable, slot: number, gravityMps2: number): this {
    // Field by field rather than through set(): no double arguments to box on the tick path.
    const f = table.filters;
    const o = slot * FILTERS_PER_TRACK;
    const ballistic = table.model[slot] === MODEL_BALLISTIC;
    const up = o + (ballistic ? FILTER_UP_BALLISTIC : FILTER_UP_CV);
    this.refTimeUs = table.refTimeUs[slot]!;
    this.eastM = f[o + FILTER_EAST]!;
    this.northM = f[o + FILTER_NORTH]!;
    this.upM = f[up]!;
    this.eastMps = f[o + FILTER_EAST + 1]!;
    this.northMps = f[o + FILTER_NORTH + 1]!;
    this.upMps = f[up + 1]!;
    this.accelUpMps2 = ballistic ? -gravityMps2 : 0;
    return this;
  }

  /** Predicts the position at host time `tUs` into `atEastM`, `atNorthM`, `atUpM`. */
  predict(tUs: number): void {
    const dt = (tUs - this.refTimeUs) / 1e6;
    this.atEastM = this.eastM + this.eastMps * dt;
    this.atNorthM = this.northM + this.northMps * dt;
    this.atUpM = this.upM + this.upMps * dt + 0.5 * this.accelUpMps2 * dt * dt;
  }
}
