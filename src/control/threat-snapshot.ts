import type { ControlConfig } from './control-config.js';
import type { EngagementState } from './control-events.js';
import type { EngagementTable } from './engagement-table.js';
import { THREAT_IMPACT, THREAT_NONE, type ThreatEvaluator } from './threat-evaluator.js';
import { TrackEstimate } from './track-estimate.js';
import { IFF_NAME, LIFECYCLE_ACTIVE, type TrackTable } from './track-table.js';

/** Smallest asset probability listed in a threat snapshot (below it the asset is left out). */
export const LISTED_PROBABILITY_MIN = 1e-4;

/** One asset a threat endangers: its id, the probability of a hit and the asset's value. */
export interface ThreatenedAsset {
  readonly assetId: string;
  /** P(impact, or closest approach within the altitude band, inside the asset), (0, 1]. */
  readonly probability: number;
  readonly value: number;
}

/** The engagement a threat is assigned to (the live or planned one). */
export interface ThreatAssignment {
  readonly engagementId: number;
  readonly launcherId: string;
  readonly state: EngagementState;
  /** Host µs of the planned intercept. */
  readonly interceptAtHostUs: number;
}

/**
 * The threat evaluation of one live track as the core holds it after a step (allocated on
 * request; not for the tick path). Positions in the local ENU frame, m; covariances m².
 */
export interface ThreatSnapshot {
  readonly trackId: number;
  readonly iff: string;
  /** `impact`: ballistic, predicted impact point (IPP); `approach`: closest point of approach to its top asset. */
  readonly kind: 'impact' | 'approach';
  /** Host µs of the predicted impact (or closest approach). */
  readonly impactAtHostUs: number;
  readonly ippEastM: number;
  readonly ippNorthM: number;
  /** 2-D covariance of the IPP on the ground: var east, cov east-north, var north (m²). */
  readonly ippVarEastM2: number;
  readonly ippCovM2: number;
  readonly ippVarNorthM2: number;
  /** Σ value × probability over the assets. */
  readonly threatValue: number;
  /** Assets with probability ≥ {@link LISTED_PROBABILITY_MIN}, largest value × probability first. */
  readonly assets: readonly ThreatenedAsset[];
  /** The engagement holding this track, or null when unassigned. */
  readonly assignment: ThreatAssignment | null;
}

/** A track's position estimate and its per-axis variances, for consistency (NEES) checks. */
export interface TrackCovarianceSnapshot {
  readonly trackId: number;
  /** Host µs of the estimate. */
  readonly estimateTimeUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly varEastM2: number;
  readonly varNorthM2: number;
  readonly varUpM2: number;
  /**
   * Per axis, the filter's velocity variance (m²/s²) and position-velocity covariance (m²/s):
   * with the position variances, the track's 6×6 covariance (the axes are filtered apart, so
   * the cross-axis terms are 0). What a node releases to its partners with a track. Always
   * set by the core; optional for estimates made elsewhere (tests, older tools).
   */
  readonly varEastMps2?: number;
  readonly varNorthMps2?: number;
  readonly varUpMps2?: number;
  readonly covEastM2PerS?: number;
  readonly covNorthM2PerS?: number;
  readonly covUpM2PerS?: number;
}

/** Every evaluated threat of the live tracks, in the track table's threat order. */
export function snapshotThreats(
  config: ControlConfig,
  table: TrackTable,
  threats: ThreatEvaluator,
  engagements: EngagementTable,
): ThreatSnapshot[] {
  const assignmentOf = new Map<number, ThreatAssignment>();
  for (const r of engagements.records) {
    if (!r.inUse || !(r.blocking || r.state === 'planned') || assignmentOf.has(r.trackId)) continue;
    assignmentOf.set(r.trackId, {
      engagementId: r.engagementId,
      launcherId: config.launchers[r.launcherIndex]!.id,
      state: r.state,
      interceptAtHostUs: r.interceptAtHostUs,
    });
  }
  const out: ThreatSnapshot[] = [];
  const n = threats.assetCount;
  for (let i = 0; i < table.activeCount; i++) {
    const slot = table.active[i]!;
    const kind = threats.kind[slot]!;
    if (kind === THREAT_NONE || table.lifecycle[slot] !== LIFECYCLE_ACTIVE) continue;
    const assets: ThreatenedAsset[] = [];
    for (let a = 0; a < n; a++) {
      const p = threats.probability[slot * n + a]!;
      if (p >= LISTED_PROBABILITY_MIN)
        assets.push({ assetId: threats.assets[a]!.id, probability: p, value: threats.assets[a]!.value });
    }
    assets.sort((x, y) => y.probability * y.value - x.probability * x.value || (x.assetId < y.assetId ? -1 : 1));
    const trackId = table.trackId[slot]!;
    out.push({
      trackId,
      iff: IFF_NAME[table.iff[slot]!]!,
      kind: kind === THREAT_IMPACT ? 'impact' : 'approach',
      impactAtHostUs: threats.impactAtUs[slot]!,
      ippEastM: threats.ippEastM[slot]!,
      ippNorthM: threats.ippNorthM[slot]!,
      ippVarEastM2: threats.ippVarEastM2[slot]!,
      ippCovM2: threats.ippCovM2[slot]!,
      ippVarNorthM2: threats.ippVarNorthM2[slot]!,
      threatValue: threats.threatValue[slot]!,
      assets,
      assignment: assignmentOf.get(trackId) ?? null,
    });
  }
  return out;
}

/** Position and per-axis position variance of every active track, in threat order. */
export function snapshotTrackCovariances(config: ControlConfig, table: TrackTable): TrackCovarianceSnapshot[] {
  const est = new TrackEstimate();
  const out: TrackCovarianceSnapshot[] = [];
  for (let i = 0; i < table.activeCount; i++) {
    const slot = table.active[i]!;
    if (table.lifecycle[slot] !== LIFECYCLE_ACTIVE) continue;
    const k = est.load(table, slot, config.tracking.gravityMps2);
    out.push({
      trackId: table.trackId[slot]!,
      estimateTimeUs: k.refTimeUs,
      eastM: k.eastM,
      northM: k.northM,
      upM: k.upM,
      varEastM2: k.varEastM2,
      varNorthM2: k.varNorthM2,
      varUpM2: k.varUpM2,
      varEastMps2: k.varEastMps2,
      varNorthMps2: k.varNorthMps2,
      varUpMps2: k.varUpMps2,
      covEastM2PerS: k.covEastM2PerS,
      covNorthM2PerS: k.covNorthM2PerS,
      covUpM2PerS: k.covUpM2PerS,
    });
  }
  return out;
}
