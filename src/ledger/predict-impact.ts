import type { DefendedAsset, EnuPoint, PredictedImpact, TrackState } from './ledger-entry.js';

/** How far ahead an impact is predicted, s. */
export const IMPACT_HORIZON_S = 600;

/**
 * Where a track comes down, from its state alone (so a verifier recomputes it from the ledger),
 * within {@link IMPACT_HORIZON_S}: a ballistic track where it reaches the ground under
 * `gravityMps2`; a straight path at its closest horizontal approach to the first defended asset it
 * passes over while still closing (before reaching the ground), else where it reaches the ground.
 * `assetId` names the asset whose disc holds the point, or null. Null: no impact at all.
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
  const ground = (): PredictedImpact => {
    const eastM = track.eastM + track.eastMps * tauS;
    const northM = track.northM + track.northMps * tauS;
    // Members written out, not spread from the point: an object spread costs more than the rest.
    const assetId = assetAt({ eastM, northM, upM: 0 }, assets);
    return { eastM, northM, upM: 0, atUs: Math.round(track.estimateTimeUs + tauS * 1e6), assetId };
  };
  // A ballistic track comes down where gravity takes it.
  if (a < 0) return tauS <= IMPACT_HORIZON_S ? ground() : null;
  // A straight path (a cruise missile, nearly level) threatens the first asset it passes over
  // while closing, before it reaches the ground.
  const endS = Math.min(tauS, IMPACT_HORIZON_S);
  let best: PredictedImpact | null = null;
  let bestT = Infinity;
  for (const asset of assets) {
    const dx = track.eastM - asset.position.eastM;
    const dy = track.northM - asset.position.northM;
    const v2 = track.eastMps * track.eastMps + track.northMps * track.northMps;
    const t = v2 > 0 ? Math.min(endS, Math.max(0, -(dx * track.eastMps + dy * track.northMps) / v2)) : 0;
    const d = Math.hypot(dx + track.eastMps * t, dy + track.northMps * t);
    // Only a path still closing on the asset threatens it: a track flying away has passed.
    if (t > 0 && d <= asset.radiusM && t < bestT) {
      bestT = t;
      best = {
        eastM: track.eastM + track.eastMps * t,
        northM: track.northM + track.northMps * t,
        upM: track.upM + track.upMps * t,
        atUs: Math.round(track.estimateTimeUs + t * 1e6),
        assetId: asset.id,
      };
    }
  }
  if (best === null && tauS <= IMPACT_HORIZON_S) return ground();
  return best;
}

/** The nearest asset whose disc holds `point` (horizontal distance), or null. */
export function assetAt(point: EnuPoint, assets: readonly DefendedAsset[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const asset of assets) {
    const d = Math.hypot(point.eastM - asset.position.eastM, point.northM - asset.position.northM);
    const inside = Array.isArray(asset.vertices) ? insidePolygon(point, asset.vertices) : d <= asset.radiusM;
    if (inside && d < bestD) {
      bestD = d;
      best = asset.id;
    }
  }
  return best;
}

/** Whether `p` lies inside the polygon (even-odd rule; fewer than 3 vertices or non-numbers: outside). */
function insidePolygon(p: EnuPoint, vertices: readonly { readonly eastM: number; readonly northM: number }[]): boolean {
  if (vertices.length < 3) return false;
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const a = vertices[i]!;
    const b = vertices[j]!;
    if (a.northM > p.northM !== b.northM > p.northM) {
      const eastAtM = a.eastM + ((p.northM - a.northM) * (b.eastM - a.eastM)) / (b.northM - a.northM);
      if (p.eastM < eastAtM) inside = !inside;
    }
  }
  return inside;
}

/** Horizontal range rate of the track to `to`, m/s (negative: closing). */
export function rangeRateMps(track: TrackState, to: EnuPoint): number {
  const dx = track.eastM - to.eastM;
  const dy = track.northM - to.northM;
  const r = Math.hypot(dx, dy);
  if (r === 0) return 0;
  return (dx * track.eastMps + dy * track.northMps) / r;
}
