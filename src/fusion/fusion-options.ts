import type { GeodeticPosition } from '../geo/index.js';
import type { OmegaCriterion } from './covariance-intersection.js';
import type { JointTrack, Rejection } from './tracks.js';

/** The chi-square 99 % point for 6 degrees of freedom: the default gate. */
export const CHI2_6DOF_99 = 16.811893829770927;

/** Settings of a {@link TrackFuser}. Every field but `site` and `ownNodeId` has a default. */
export interface FusionOptions {
  /** This node's site: the origin of the fusion frame (ENU). */
  readonly site: GeodeticPosition;
  /** This node's id (partner reports claiming it are rejected as malformed: an echo). */
  readonly ownNodeId: string;
  /** Gate on the squared Mahalanobis distance of the 6-D state difference. Default 16.81 (χ²₆, 99 %). */
  readonly gateChi2?: number;
  /** White-noise acceleration spectral density for the alignment, m²/s³. Default 10. */
  readonly processNoiseM2PerS3?: number;
  /** How covariance intersection picks ω. Default `determinant`. */
  readonly omega?: OmegaCriterion;
  /** Inputs older than this before the fusion time are `stale`. Default 30 s. */
  readonly maxAgeUs?: number;
  /** Inputs stamped more than this after the fusion time are `future-dated`. Default 2 s. */
  readonly maxFutureUs?: number;
  /** At most this many local and this many partner tracks per update; the rest `over-capacity`. Default 10,000. */
  readonly maxTracks?: number;
}

/** Counts of one update. */
export interface FusionStats {
  readonly locals: number;
  readonly partners: number;
  readonly gatedPairs: number;
  readonly clusters: number;
  /** Members (local + partner) of the largest cluster. */
  readonly largestCluster: number;
  readonly fusedPairs: number;
  /** Partner reports older than the previous fusion time, used after prediction. */
  readonly outOfSequence: number;
  /** Reports stamped after the fusion time, retrodicted to it. */
  readonly retrodicted: number;
}

/** What one update gives: the joint picture at `tovUs`, what was left out, and counts. */
export interface FusionUpdate {
  readonly tovUs: number;
  /** Local-anchored tracks by local id, then partner-only tracks by node and id. */
  readonly tracks: readonly JointTrack[];
  readonly rejected: readonly Rejection[];
  readonly stats: FusionStats;
}

/** Thrown for options that cannot work (not for bad track data: that is rejected and counted). */
export class FusionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FusionConfigError';
  }
}

/** {@link FusionOptions} with every default filled in, checked. */
export interface ResolvedFusionOptions {
  readonly gateChi2: number;
  readonly processNoiseM2PerS3: number;
  readonly omega: OmegaCriterion;
  readonly maxAgeUs: number;
  readonly maxFutureUs: number;
  readonly maxTracks: number;
}

/** Fill in the defaults; throws FusionConfigError for a non-positive gate, noise or bound, or no own node id. */
export function resolveFusionOptions(options: FusionOptions): ResolvedFusionOptions {
  const r = {
    gateChi2: options.gateChi2 ?? CHI2_6DOF_99,
    processNoiseM2PerS3: options.processNoiseM2PerS3 ?? 10,
    omega: options.omega ?? 'determinant',
    maxAgeUs: options.maxAgeUs ?? 30_000_000,
    maxFutureUs: options.maxFutureUs ?? 2_000_000,
    maxTracks: options.maxTracks ?? 10_000,
  };
  for (const [name, v] of [
    ['gateChi2', r.gateChi2],
    ['maxAgeUs', r.maxAgeUs],
    ['maxTracks', r.maxTracks],
  ] as const)
    if (!(v > 0) || !Number.isFinite(v)) throw new FusionConfigError(`fusion: ${name} must be a positive number`);
  if (!(r.processNoiseM2PerS3 >= 0) || !Number.isFinite(r.processNoiseM2PerS3))
    throw new FusionConfigError('fusion: processNoiseM2PerS3 must be ≥ 0');
  if (!(r.maxFutureUs >= 0)) throw new FusionConfigError('fusion: maxFutureUs must be ≥ 0');
  if (!['determinant', 'trace', 'fast'].includes(r.omega))
    throw new FusionConfigError(`fusion: omega must be determinant, trace or fast`);
  if (typeof options.ownNodeId !== 'string' || options.ownNodeId.length === 0)
    throw new FusionConfigError('fusion: ownNodeId must be a non-empty string');
  return r;
}
