import type { DefendedPointConfig } from './control-config.js';

/** A point on the ground plane of the ENU frame. */
export interface GroundPoint {
  readonly eastM: number;
  readonly northM: number;
}

/** A ground area: a circle or a simple polygon (vertices in order, not closed). */
export type GroundArea =
  | { readonly kind: 'circle'; readonly eastM: number; readonly northM: number; readonly radiusM: number }
  | { readonly kind: 'polygon'; readonly vertices: readonly GroundPoint[] };

/**
 * A defended asset: a named ground area with an altitude band and a value (criticality). A
 * ballistic track threatens it with the probability that its predicted impact falls inside the
 * area; a crossing track with the probability that its closest point of approach does, inside
 * the altitude band. `keepOut` areas are where intercept debris must not fall: no intercept is
 * planned whose aim point is above one.
 */
export interface DefendedAssetConfig {
  readonly id: string;
  readonly area: GroundArea;
  readonly minAltitudeM: number;
  readonly maxAltitudeM: number;
  /** Positive; threat value = value × probability. */
  readonly value: number;
  readonly keepOut: readonly GroundArea[];
}

/** Weapon-assignment doctrines; `earliest-impact` is the baseline (threat-order.ts). */
export type AssignmentDoctrineName = 'expected-value' | 'earliest-impact';

/**
 * Firing doctrines: `shoot-look-shoot` engages a threat with one round at a time and again only
 * after a miss was assessed; `salvo` adds a second round while the first is still in the air,
 * when the time line leaves no second look (docs/decisions/0033-salvo-firing.md).
 */
export type FiringDoctrineName = 'shoot-look-shoot' | 'salvo';

/**
 * How free launchers are assigned to threats each tick (weapon-assignment.ts and
 * docs/decisions/0016-threat-evaluation-and-weapon-assignment.md).
 */
export interface DoctrineConfig {
  /** `expected-value`: greedy maximum marginal return + local search; `earliest-impact`: the baseline order. */
  readonly assignment: AssignmentDoctrineName;
  /** Most engagements planned against one track over its life. */
  readonly maxRoundsPerThreat: number;
  /** Rounds (all launchers) held back: a threat to no asset is engaged only while more remain. */
  readonly reserveRounds: number;
  /** Single-shot kill probability the assignment plans with, (0, 1]. */
  readonly killProbability: number;
  /** Most local-search moves after the greedy assignment, per tick. */
  readonly maxLocalSearchMoves: number;
  /**
   * `shoot-look-shoot` (absent means this) or `salvo`: under `salvo` the `expected-value`
   * assignment gives a threat that holds one live engagement a second round (another launcher,
   * or the same one once its first round has left) when no launcher could still intercept it
   * after the first round's intercept instant plus `engagement.killAssessmentDelayUs`, before its
   * impact. The `earliest-impact` baseline always shoots-looks-shoots. Left out of the defaults
   * so that the config a run file records stays as it was for existing configs.
   */
  readonly firing?: FiringDoctrineName;
}

export const DEFAULT_DOCTRINE_CONFIG: DoctrineConfig = {
  assignment: 'expected-value',
  maxRoundsPerThreat: 4,
  reserveRounds: 0,
  killProbability: 0.8,
  maxLocalSearchMoves: 64,
};

/** Default altitude band of an asset, m (ground to this height). */
export const DEFAULT_ASSET_CEILING_M = 1000;

/** The assets the threat evaluator works with: the declared assets, then each defended point as a circle of value 1. */
export function assetsWithDefendedPoints(
  assets: readonly DefendedAssetConfig[],
  points: readonly DefendedPointConfig[],
): DefendedAssetConfig[] {
  return [
    ...assets,
    ...points.map((p) => ({
      id: p.id,
      area: { kind: 'circle' as const, eastM: p.position.eastM, northM: p.position.northM, radiusM: p.radiusM },
      minAltitudeM: p.position.upM - p.radiusM,
      maxAltitudeM: p.position.upM + p.radiusM,
      value: 1,
      keepOut: [],
    })),
  ];
}

/** Whether a ground point lies inside an area (polygon: even-odd rule). */
export function insideArea(area: GroundArea, eastM: number, northM: number): boolean {
  if (area.kind === 'circle') {
    const de = eastM - area.eastM;
    const dn = northM - area.northM;
    return de * de + dn * dn <= area.radiusM * area.radiusM;
  }
  const v = area.vertices;
  let inside = false;
  for (let i = 0, j = v.length - 1; i < v.length; j = i++) {
    const a = v[i]!;
    const b = v[j]!;
    if (a.northM > northM !== b.northM > northM) {
      const crossE = a.eastM + ((northM - a.northM) * (b.eastM - a.eastM)) / (b.northM - a.northM);
      if (eastM < crossE) inside = !inside;
    }
  }
  return inside;
}

/** A circle enclosing an area: centre and radius (polygon: vertex centroid, farthest vertex). */
export function boundingCircle(area: GroundArea): { eastM: number; northM: number; radiusM: number } {
  if (area.kind === 'circle') return { eastM: area.eastM, northM: area.northM, radiusM: area.radiusM };
  let e = 0;
  let n = 0;
  for (const p of area.vertices) {
    e += p.eastM;
    n += p.northM;
  }
  e /= area.vertices.length;
  n /= area.vertices.length;
  let r = 0;
  for (const p of area.vertices) r = Math.max(r, Math.hypot(p.eastM - e, p.northM - n));
  return { eastM: e, northM: n, radiusM: r };
}
