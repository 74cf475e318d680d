import { type GospaFrame, gospaOverTime } from './gospa-over-time.js';
import type { PictureFrame } from './picture-frame.js';
import { siap } from './siap.js';
import { associateByDistance } from './track-truth-association.js';

/** How a picture is scored against truth. Distances in the frames' unit (metres). */
export interface PictureQualityParameters {
  /** GOSPA cut-off c > 0. */
  readonly cutoffM: number;
  /** GOSPA order p ≥ 1. */
  readonly p: number;
  /** GOSPA track-switch penalty γ ≥ 0. */
  readonly switchingPenaltyM: number;
  /** SIAP association radius: a track is on the nearest truth within this distance. */
  readonly associationRadiusM: number;
}

/** GOSPA over a run: means over the frames (the parts in unit^p, as at each frame). */
export interface GospaRunFigures {
  readonly mean: number;
  readonly max: number;
  readonly localisation: number;
  readonly missed: number;
  readonly false: number;
  readonly switching: number;
  /** Total switch count over the run (½ per half switch). */
  readonly switches: number;
}

/** One instant of the picture-quality series (for plots). */
export interface PictureQualityPoint {
  readonly tS: number;
  readonly gospa: number;
  readonly localisation: number;
  readonly missed: number;
  readonly false: number;
  readonly switching: number;
  readonly completeness: number | null;
  readonly ambiguity: number | null;
  readonly spuriousness: number | null;
  readonly positionalAccuracyM: number | null;
}

/** The picture's quality over a run. */
export interface PictureQuality {
  readonly frames: number;
  /** Null when there were no frames. */
  readonly gospa: GospaRunFigures | null;
  readonly siap: {
    readonly completeness: number | null;
    readonly ambiguity: number | null;
    readonly spuriousness: number | null;
    readonly positionalAccuracyM: number | null;
    readonly velocityAccuracyMps: number | null;
    readonly rateOfTrackNumberChangePerS: number | null;
    readonly longestTrackSegment: number | null;
  };
  readonly series: readonly PictureQualityPoint[];
}

/**
 * Score a picture against truth over a run: GOSPA (α = 2, with switching) at every frame and
 * SIAP from distance-gated associations ({@link associateByDistance}). The same function scores
 * one node's picture or a joint one. Pure and deterministic; throws MetricParameterError on
 * parameters outside their domain.
 */
export function measurePictureQuality(
  frames: readonly PictureFrame[],
  params: PictureQualityParameters,
): PictureQuality {
  const g = gospaOverTime(frames, { c: params.cutoffM, p: params.p, switchingPenalty: params.switchingPenaltyM });
  const s = siap(frames, associateByDistance(frames, params.associationRadiusM));
  return {
    frames: frames.length,
    gospa: g.length === 0 ? null : gospaFigures(g),
    siap: {
      completeness: s.completeness,
      ambiguity: s.ambiguity,
      spuriousness: s.spuriousness,
      positionalAccuracyM: s.positionalAccuracy,
      velocityAccuracyMps: s.velocityAccuracy,
      rateOfTrackNumberChangePerS: s.rateOfTrackNumberChange,
      longestTrackSegment: s.longestTrackSegment,
    },
    series: g.map((f, k) => ({
      tS: f.tS,
      gospa: f.distance,
      localisation: f.localisation,
      missed: f.missed,
      false: f.false,
      switching: f.switching,
      completeness: s.frames[k]!.completeness,
      ambiguity: s.frames[k]!.ambiguity,
      spuriousness: s.frames[k]!.spuriousness,
      positionalAccuracyM: s.frames[k]!.positionalAccuracy,
    })),
  };
}

function gospaFigures(frames: readonly GospaFrame[]): GospaRunFigures {
  const n = frames.length;
  const mean = (pick: (f: GospaFrame) => number) => frames.reduce((sum, f) => sum + pick(f), 0) / n;
  return {
    mean: mean((f) => f.distance),
    max: frames.reduce((m, f) => Math.max(m, f.distance), 0),
    localisation: mean((f) => f.localisation),
    missed: mean((f) => f.missed),
    false: mean((f) => f.false),
    switching: mean((f) => f.switching),
    switches: frames.reduce((sum, f) => sum + f.switches, 0),
  };
}
