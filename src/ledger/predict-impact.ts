import type { DefendedAsset, EnuPoint, PredictedImpact, TrackState } from './ledger-entry.js';

/** How far ahead an impact is predicted, s. */
export const IMPACT_HORIZON_S = 600;

/**
 * Where a track comes down, from its state alone (so a verifier recomputes it from the ledger):
 * ballistic tracks fall under `gravityMps2`, others fly straight. The impact is where the path
 * reaches the ground (upM 0) within {@link IMPACT_HORIZON_S}; for a path that never does (level
 * or climbing), its closest horizontal approach to a defended asset when that lies ahead (the
 * track is closing) and inside the asset. `assetId` names the asset whose disc holds the point (the nearest such). Null: no impact.
 */
export function predictImpact(
  track: TrackState,
  gravityMps2: number,
  assets: readonly DefendedAsset[],
): PredictedImpact | null {
  const a = track.model === 'ballistic' ? -Math.abs(gravityMps2) : 0;
  const z = track.upM;
  const vz = track.upMps;
  let tauS = Infinity;
  if (z <= 0) tauS = 0;
  else if (a < 0) tauS = (-vz - Math.sqrt(vz * vz - 2 * a * z)) / a;
  else if (vz < 0) tauS = -z / vz;
  if (tauS <= IMPACT_HORIZON_S) {
    const point = { eastM: track.eastM + track.eastMps * tauS, northM: track.northM + track.northMps * tauS, upM: 0 };
    return { ...point, atUs: Math.round(track.estimateTimeUs + tauS * 1e6), assetId: assetAt(point, assets) };
  }
  let best: PredictedImpact | null = null;
  let bestD = Infinity;
  for (const asset of assets) {
    const dx = track.eastM - asset.position.eastM;
    const dy = track.northM - asset.position.northM;
    const v2 = track.eastMps * track.eastMps + track.northMps * track.northMps;
    const t = v2 > 0 ? Math.min(IMPACT_HORIZON_S, Math.max(0, -(dx * track.eastMps + dy * track.northMps) / v2)) : 0;
    const ex = dx + track.eastMps * t;
    const ey = dy + track.northMps * t;
    const d = Math.hypot(ex, ey);
    // Only a path still closing on the asset threatens it: a track flying away has passed.
    if (t > 0 && d <= asset.radiusM && d < bestD) {
      bestD = d;
      best = {
        eastM: track.eastM + track.eastMps * t,
        northM: track.northM + track.northMps * t,
        upM: track.upM + track.upMps * t,
        atUs: Math.round(track.estimateTimeUs + t * 1e6),
        assetId: asset.id,
      };
    }
  }
  return best;
}

/** The nearest asset whose disc holds `point` (horizontal distance), or null. */
export function assetAt(point: EnuPoint, assets: readonly DefendedAsset[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const asset of assets) {
    const d = Math.hypot(point.eastM - asset.position.eastM, point.northM - asset.position.northM);
    if (d <= asset.radiusM && d < bestD) {
      bestD = d;
      best = asset.id;
    }
  }
  return best;
}

/** Horizontal range rate of the track to `to`, m/s (negative: closing). */
export function rangeRateMps(track: TrackState, to: EnuPoint): number {
  const dx = track.eastM - to.eastM;
  const dy = track.northM - to.northM;
  const r = Math.hypot(dx, dy);
  if (r === 0) return 0;
  return (dx * track.eastMps + dy * track.northMps) / r;
}
