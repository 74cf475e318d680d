import { axisPredictedPosVarM2 } from './axis-kalman.js';
import type { TrackingConfig } from './control-config.js';
import type { TrackMeasurementInput } from './control-inputs.js';
import { FILTER_EAST, FILTER_NORTH, FILTER_UP_BALLISTIC, FILTER_UP_CV, FILTERS_PER_TRACK } from './filter-layout.js';
import { radarIndexOfKey } from './radar-link-index.js';
import type { TargetKinematics } from './target-kinematics.js';
import { MODEL_BALLISTIC, type TrackTable } from './track-table.js';

/**
 * The tracker's association gates: how well a radar measurement fits a host track predicted to
 * the measurement's time. Position: chi-square over the three axes with the track's predicted
 * position variance plus the measurement's, or a distance floor (`minGateM`); velocity likewise
 * (`minVelocityGateMps`), without growing the velocity variance. The gate is
 * `gateSigmas`² × 3. Reads the track table; writes nothing but its own `lastDist2` and the
 * shared kinematics scratch.
 */
export class TrackGate {
  /** Distance² of the last {@link positionChi2}, m². */
  lastDist2 = 0;

  constructor(
    private readonly table: TrackTable,
    private readonly tracking: TrackingConfig,
    private readonly kin: TargetKinematics,
  ) {}

  /**
   * Position chi-square of a measurement against the track in `slot` predicted to its time
   * (sets lastDist2; leaves the track predicted in the kinematics scratch).
   */
  positionChi2(m: TrackMeasurementInput, slot: number): number {
    const table = this.table;
    const t = this.tracking;
    const f = table.filters;
    const kin = this.kin.loadTrack(table, slot, t.gravityMps2);
    kin.predict(m.measurementTimeUs);
    const dx = m.eastM - kin.atEastM;
    const dy = m.northM - kin.atNorthM;
    const dz = m.upM - kin.atUpM;
    const o = slot * FILTERS_PER_TRACK;
    const dtS = Math.abs(m.measurementTimeUs - kin.refTimeUs) / 1e6;
    const q = t.processNoiseM2PerS3;
    const rp = m.positionSigmaM * m.positionSigmaM;
    const up = o + (table.model[slot] === MODEL_BALLISTIC ? FILTER_UP_BALLISTIC : FILTER_UP_CV);
    this.lastDist2 = dx * dx + dy * dy + dz * dz;
    return (
      (dx * dx) / (axisPredictedPosVarM2(f, o + FILTER_EAST, dtS, q) + rp) +
      (dy * dy) / (axisPredictedPosVarM2(f, o + FILTER_NORTH, dtS, q) + rp) +
      (dz * dz) / (axisPredictedPosVarM2(f, up, dtS, q) + rp)
    );
  }

  /**
   * The live track with room for a link and not yet linked to radar `radarIndex` that is nearest
   * (position chi-square) to the measurement inside both gates, or -1.
   */
  nearestUnlinked(m: TrackMeasurementInput, radarIndex: number): number {
    const table = this.table;
    const t = this.tracking;
    const f = table.filters;
    const kin = this.kin;
    const rv = m.velocitySigmaMps * m.velocitySigmaMps;
    const gate2 = t.gateSigmas * t.gateSigmas * 3;
    const minGate2 = t.minGateM * t.minGateM;
    const minVelGate2 = t.minVelocityGateMps * t.minVelocityGateMps;
    let best = -1;
    let bestD2 = Infinity;
    for (let i = 0; i < table.activeCount; i++) {
      const slot = table.active[i]!;
      const links = table.linkCount[slot]!;
      if (links >= table.maxLinks) continue;
      let linked = false;
      for (let k = 0; k < links; k++) {
        if (radarIndexOfKey(table.linkKey[slot * table.maxLinks + k]!) === radarIndex) linked = true;
      }
      if (linked) continue;
      const d2 = this.positionChi2(m, slot);
      if (d2 > gate2 && this.lastDist2 > minGate2) continue;
      const o = slot * FILTERS_PER_TRACK;
      const up = o + (table.model[slot] === MODEL_BALLISTIC ? FILTER_UP_BALLISTIC : FILTER_UP_CV);
      const dvx = m.eastMps - kin.eastMps;
      const dvy = m.northMps - kin.northMps;
      const dvz = m.upMps - (kin.upMps + kin.accelUpMps2 * ((m.measurementTimeUs - kin.refTimeUs) / 1e6));
      const dv2 = dvx * dvx + dvy * dvy + dvz * dvz;
      // Velocity variance is not grown by the prediction: the gate floor covers short gaps.
      const dvChi2 =
        (dvx * dvx) / (f[o + FILTER_EAST + 4]! + rv) +
        (dvy * dvy) / (f[o + FILTER_NORTH + 4]! + rv) +
        (dvz * dvz) / (f[up + 4]! + rv);
      if (dvChi2 > gate2 && dv2 > minVelGate2) continue;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = slot;
      }
    }
    return best;
  }
}
