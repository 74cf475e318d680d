/**
 * The inputs and outputs of track-to-track fusion: a node's own (local) tracks, the tracks a
 * partner node shares, and the joint tracks the fusion makes of them. Plain data (JSON-safe):
 * states are `[east, north, up, vEast, vNorth, vUp]` (m, m/s) and covariances 6×6 row-major.
 */
import type { GeodeticPosition } from '../geo/index.js';

/**
 * The frame a shared state is given in: earth-centred earth-fixed, or the local east-north-up
 * frame of a named site (its WGS-84 origin travels with the track, so a receiver needs no table).
 */
export type TrackFrame =
  { readonly kind: 'ecef' } | { readonly kind: 'enu'; readonly siteId: string; readonly origin: GeodeticPosition };

/** What a track is believed to be. */
export type TrackIdentity = 'hostile' | 'suspect' | 'unknown' | 'neutral' | 'friend' | 'pending';

/**
 * Where a track's data comes from. `fused` is true when the producer itself built the track from
 * more than its own sensors (a fused or partner-derived track): such data is never re-released.
 */
export interface Pedigree {
  /** The node that produced the estimate. */
  readonly nodeId: string;
  /** The sensor (radar id) on that node; `'fused'` for a multi-sensor track. */
  readonly sensorId: string;
  /** Whether the estimate already contains data of other nodes. */
  readonly fused: boolean;
}

/**
 * A track as a partner node shares it. `tovUs` is its time of validity, UTC microseconds since
 * the Unix epoch. `quality` is the producer's track quality, 0 (worst) … 1 (best), carried
 * through, not used for association.
 */
export interface PartnerTrack {
  readonly kind: 'partner';
  /** The track number on the partner node (unique per partner node). */
  readonly trackId: string;
  readonly tovUs: number;
  readonly frame: TrackFrame;
  /** `[x, y, z, vx, vy, vz]` in `frame`, metres and metres per second. */
  readonly state: readonly number[];
  /** 6×6 row-major, symmetric positive definite, in `frame`. */
  readonly covariance: readonly number[];
  readonly identity: TrackIdentity;
  readonly quality: number;
  readonly pedigree: Pedigree;
}

/**
 * One of this node's own tracks, in this node's ENU frame (the fusion frame). A local track that
 * the core's tracker seeded or updated from partner data carries `pedigree.fused = true`.
 */
export interface LocalTrack {
  readonly kind: 'local';
  readonly trackId: string;
  readonly tovUs: number;
  /** `[east, north, up, vEast, vNorth, vUp]` in this node's ENU, m and m/s. */
  readonly state: readonly number[];
  readonly covariance: readonly number[];
  readonly identity: TrackIdentity;
  readonly quality: number;
  readonly pedigree: Pedigree;
}

/** A member of a joint track: which input it was. */
export interface MemberRef {
  readonly kind: 'local' | 'partner';
  /** The producing node (this node for a local member). */
  readonly nodeId: string;
  readonly trackId: string;
  readonly sensorId: string;
  /** The member's time of validity before alignment, UTC µs. */
  readonly tovUs: number;
}

/**
 * One track of the joint picture at the fusion time: a local track alone, a partner track
 * alone, or a local track fused with one partner track per partner node. `jointId` is stable
 * while any of its members persists from update to update.
 */
export interface JointTrack {
  readonly kind: 'joint';
  readonly jointId: number;
  /** `local` (own data only), `partner` (partner data only) or `fused` (both). */
  readonly source: 'local' | 'partner' | 'fused';
  /** The fusion time, UTC µs (every state of one update is aligned to it). */
  readonly tovUs: number;
  /** In this node's ENU, m and m/s. */
  readonly state: readonly number[];
  readonly covariance: readonly number[];
  readonly identity: TrackIdentity;
  readonly quality: number;
  /** Every contributor, local first, then partners by node id. */
  readonly members: readonly MemberRef[];
  /** Squared Mahalanobis distance of each associated partner member to the local one (same order as the partner members). */
  readonly associationCost: readonly number[];
}

/** Why an input track was not used. */
export type RejectReason =
  'malformed' | 'bad-covariance' | 'future-dated' | 'stale' | 'duplicate' | 'superseded' | 'over-capacity';

/** One input left out of an update, with the reason. */
export interface Rejection {
  readonly kind: 'local' | 'partner';
  readonly nodeId: string;
  readonly trackId: string;
  readonly reason: RejectReason;
}

/** Identity precedence when members disagree (higher wins). */
const IDENTITY_RANK: Readonly<Record<TrackIdentity, number>> = {
  hostile: 5,
  suspect: 4,
  unknown: 2,
  pending: 1,
  neutral: 3,
  friend: 6,
};

/**
 * The identity of a joint track from its members': `friend` from any member wins (never
 * engage a track any partner calls friendly), then hostile, suspect, neutral, unknown, pending.
 */
export function combineIdentity(a: TrackIdentity, b: TrackIdentity): TrackIdentity {
  return IDENTITY_RANK[a] >= IDENTITY_RANK[b] ? a : b;
}

/** The identities a track may carry. */
export const TRACK_IDENTITIES: readonly TrackIdentity[] = [
  'hostile',
  'suspect',
  'unknown',
  'neutral',
  'friend',
  'pending',
];

/**
 * Whether `track` is well-formed plain data: finite state of 6, covariance of 36, a finite
 * time of validity, a known identity, quality in [0, 1] and non-empty ids. (Positive
 * definiteness is checked where the covariance is factorised.)
 */
export function isWellFormed(track: LocalTrack | PartnerTrack): boolean {
  if (typeof track !== 'object' || track === null) return false;
  const { state, covariance, tovUs, trackId, pedigree, quality, identity } = track;
  if (!Array.isArray(state) || state.length !== 6 || !Array.isArray(covariance) || covariance.length !== 36)
    return false;
  if (!allFinite(state, 6) || !allFinite(covariance, 36)) return false;
  if (!Number.isFinite(tovUs) || typeof trackId !== 'string' || trackId.length === 0) return false;
  if (typeof pedigree !== 'object' || pedigree === null || typeof pedigree.nodeId !== 'string') return false;
  if (pedigree.nodeId.length === 0 || typeof pedigree.sensorId !== 'string' || typeof pedigree.fused !== 'boolean')
    return false;
  if (!(quality >= 0 && quality <= 1)) return false;
  if (!TRACK_IDENTITIES.includes(identity)) return false;
  if (track.kind === 'partner') {
    const f = track.frame as TrackFrame | undefined;
    if (f === undefined || f === null || (f.kind !== 'ecef' && f.kind !== 'enu')) return false;
    if (f.kind === 'enu' && (typeof f.siteId !== 'string' || typeof f.origin !== 'object' || f.origin === null))
      return false;
  }
  return true;
}

/**
 * Whether the first `n` elements of `values` are finite numbers: `Number.isFinite` of each, as
 * `typeof v === 'number' && v - v === 0` (the same verdict: v − v is 0 exactly when v is finite),
 * which reads a double element without boxing it (Number.isFinite on an element of a double
 * array allocated a heap number per element in the fusion's hot path).
 */
function allFinite(values: readonly unknown[], n: number): boolean {
  for (let k = 0; k < n; k++) {
    const v = values[k];
    if (typeof v !== 'number' || v - v !== 0) return false;
  }
  return true;
}

/**
 * Whether a 6×6 row-major covariance is symmetric to rounding: |Pij − Pji| ≤ 1e-9·(|Pij| + |Pji|)
 * + 1e-12. A clearly asymmetric matrix is not a covariance (a transposition bug, a corrupted
 * message) and is rejected rather than repaired.
 */
export function isSymmetric(covariance: readonly number[]): boolean {
  for (let i = 0; i < 6; i++)
    for (let j = 0; j < i; j++) {
      const a = covariance[i * 6 + j]!;
      const b = covariance[j * 6 + i]!;
      if (Math.abs(a - b) > 1e-9 * (Math.abs(a) + Math.abs(b)) + 1e-12) return false;
    }
  return true;
}
