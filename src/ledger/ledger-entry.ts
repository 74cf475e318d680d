/**
 * What the ledger records (docs/recording.md §The decision ledger). Every entry is plain JSON data
 * with finite numbers; its line in the file is the canonical JSON of `{kind:'entry', i, e}` and
 * that line's UTF-8 bytes are the Merkle leaf. Positions are the node's local ENU frame, metres;
 * times are host µs of the run's clock unless the name says otherwise.
 */
export type LedgerEntry =
  | ConfigEntry
  | OperatorCommandEntry
  | WeaponsControlEntry
  | LauncherReadinessEntry
  | EngagementDecisionEntry
  | FireEntry
  | OutcomeEntry;

export interface EnuPoint {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

/** A declared defended asset: a horizontal disc of `radiusM` around `position`. */
export interface DefendedAsset {
  readonly id: string;
  /** A circle's centre; a polygon's vertex centroid. */
  readonly position: EnuPoint;
  /** A circle's radius; a polygon's circumscribing radius about `position` (for crossing tracks). */
  readonly radiusM: number;
  /** A polygon asset's vertices on the ground (an impact counts when inside); absent for a circle. */
  readonly vertices?: readonly { readonly eastM: number; readonly northM: number }[];
  /**
   * `config`: a defended point or asset of the control config; `node-area`: the default when the
   * config declares none (see decision 0021).
   */
  readonly source: 'config' | 'node-area';
}

/** Launcher and the envelope it declares (slant range at the aim point, altitude ceiling). */
export interface DeclaredLauncher {
  readonly id: string;
  readonly position: EnuPoint;
  readonly envelope: { readonly minRangeM: number; readonly maxRangeM: number; readonly maxAltitudeM: number };
}

/** First entry: what the node is and declares. */
export interface ConfigEntry {
  readonly type: 'config';
  readonly atUs: number;
  readonly nodeId: string;
  readonly configHash: string;
  readonly scenario: string;
  readonly seed: number;
  readonly tickPeriodUs: number;
  readonly gravityMps2: number;
  /** IFF classes each weapons control status lets the node engage. */
  readonly engageable: {
    readonly hold: readonly string[];
    readonly tight: readonly string[];
    readonly free: readonly string[];
  };
  readonly launchers: readonly DeclaredLauncher[];
  readonly defendedAssets: readonly DefendedAsset[];
  /** The WGS-84 origin of the ENU frame every position is in (what a partner maps claims through). */
  readonly site?: { readonly latDeg: number; readonly lonDeg: number; readonly heightM: number };
  /** Wall time of run clock 0, Unix µs (what a partner aligns its own recording's clock with). */
  readonly epochUs?: number;
}

/** An operator command as the authorized path audited it (never a signature or key). */
export interface OperatorCommandEntry {
  readonly type: 'operator-command';
  readonly atUs: number;
  readonly audit: unknown;
}

export interface WeaponsControlEntry {
  readonly type: 'weapons-control';
  readonly atUs: number;
  readonly from: string;
  readonly to: string;
  readonly requestId: string;
  readonly operatorIds: readonly string[];
}

/** A launcher became ready (armed, in sync, rounds) or stopped being ready. */
export interface LauncherReadinessEntry {
  readonly type: 'launcher-readiness';
  readonly atUs: number;
  readonly launcherId: string;
  readonly ready: boolean;
  readonly reasons: readonly string[];
}

/** The track as the node saw it when it decided. */
export interface TrackState extends EnuPoint {
  readonly trackId: number;
  /** Time of the estimate, host µs. */
  readonly estimateTimeUs: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  readonly iff: string;
  readonly model: 'constant-velocity' | 'ballistic';
  readonly quality: number;
  readonly operatorPriority: boolean;
  /** Where the node first saw the track (its first picture), and when. */
  readonly firstSeen: (EnuPoint & { readonly atUs: number }) | null;
}

/** Where the node predicted the track would come down, and the asset that put in danger. */
export interface PredictedImpact extends EnuPoint {
  readonly atUs: number;
  /** The defended asset the impact lies in, or null. */
  readonly assetId: string | null;
}

/** An engagement planned (or re-planned): what justified it. */
export interface EngagementDecisionEntry {
  readonly type: 'engagement-decision';
  readonly atUs: number;
  readonly transition: 'planned' | 'replanned';
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  readonly weaponsControlStatus: string;
  /** Rule that allowed it: `auto:<wcs>:<iff>` (threat order) or `operator:<wcs>:<iff>` (manual engage). */
  readonly rule: string;
  /** Null when the node had no picture of the track (a violation on its own). */
  readonly track: TrackState | null;
  readonly predictedImpact: PredictedImpact | null;
  readonly aim: EnuPoint;
  readonly launchAtHostUs: number;
  readonly interceptAtHostUs: number;
}

export interface FireEntry {
  readonly type: 'fire';
  readonly atUs: number;
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  readonly fireCommandId: number | null;
  readonly launchAtHostUs: number;
}

/** Launch, assessment, abort or failure of an engagement. */
export interface OutcomeEntry {
  readonly type: 'outcome';
  readonly atUs: number;
  readonly engagementId: number;
  readonly trackId: number;
  readonly transition: string;
  readonly state: string;
  readonly result: string | null;
  readonly reason: string | null;
}
