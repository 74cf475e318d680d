import type { DefendedPointConfig } from './control-config.js';
import type { TargetKinematics } from './target-kinematics.js';

/**
 * Predicted impact instant of a target, host µs, the key of threat ordering: the earliest of
 * - ground impact (upM reaches 0) under its motion model (ballistic, or descending constant velocity);
 * - for constant-velocity targets, entry into a defended point's sphere.
 * `+Infinity` when neither happens (a level or climbing crossing target).
 */
export function impactTimeUs(kin: TargetKinematics, defendedPoints: readonly DefendedPointConfig[]): number {
  let tauS = Infinity;
  const a = kin.accelUpMps2;
  const z = kin.upM;
  const vz = kin.upMps;
  if (z <= 0) {
    tauS = 0;
  } else if (a < 0) {
    const disc = vz * vz - 2 * a * z;
    tauS = (-vz - Math.sqrt(disc)) / a;
  } else if (vz < 0) {
    tauS = -z / vz;
  }
  if (a === 0) {
    for (let i = 0; i < defendedPoints.length; i++) {
      const dp = defendedPoints[i]!;
      const dx = kin.eastM - dp.position.eastM;
      const dy = kin.northM - dp.position.northM;
      const dz = kin.upM - dp.position.upM;
      const c = dx * dx + dy * dy + dz * dz - dp.radiusM * dp.radiusM;
      if (c <= 0) {
        tauS = 0;
        break;
      }
      const a2 = kin.eastMps * kin.eastMps + kin.northMps * kin.northMps + kin.upMps * kin.upMps;
      const b = 2 * (dx * kin.eastMps + dy * kin.northMps + dz * kin.upMps);
      const disc = b * b - 4 * a2 * c;
      if (a2 > 0 && b < 0 && disc >= 0) {
        const entryS = (-b - Math.sqrt(disc)) / (2 * a2);
        if (entryS < tauS) tauS = entryS;
      }
    }
  }
  return tauS === Infinity ? Infinity : kin.refTimeUs + tauS * 1e6;
}
