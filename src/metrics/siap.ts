import { euclideanDistance } from './euclidean-distance.js';
import { type ObjectHistory, objectHistories, stateAt } from './object-histories.js';
import type { PictureFrame } from './picture-frame.js';
import type { TrackTruthAssociation } from './track-truth-association.js';

/**
 * SIAP, the Single Integrated Air Picture attribute measures (Votruba et al., "Single Integrated
 * Air Picture (SIAP) metrics implementation", SIAP SE Task Force, 2001), from a picture's tracks,
 * the truths, and track-to-truth associations over time intervals — the definitions of Stone
 * Soup's SIAPMetrics. At an instant t: J(t) truths present, N(t) tracks present, JT(t) truths
 * and NA(t) tracks in an association covering t, PA(t)/VA(t) the sums of position/velocity
 * errors over the associations covering t. Over a run the ratios are of sums over instants.
 */

/** SIAP at one instant; a ratio is null when its denominator is 0. */
export interface SiapFrame {
  readonly tS: number;
  /** JT/J: fraction of present truths that are tracked. */
  readonly completeness: number | null;
  /** NA/JT: associated tracks per tracked truth (1 is ideal). */
  readonly ambiguity: number | null;
  /** (N − NA)/N: fraction of tracks on no truth. */
  readonly spuriousness: number | null;
  /** PA/NA: mean position error of associated tracks. */
  readonly positionalAccuracy: number | null;
  /** VA/NA: mean velocity error of associated tracks. */
  readonly velocityAccuracy: number | null;
}

/** SIAP over a run (ratios of sums over the frames), null when a denominator is 0. */
export interface SiapSummary {
  readonly completeness: number | null;
  readonly ambiguity: number | null;
  readonly spuriousness: number | null;
  readonly positionalAccuracy: number | null;
  readonly velocityAccuracy: number | null;
  /** Σ_j (NU_j − 1) / Σ_j TT_j over tracked truths: track number changes per second tracked. */
  readonly rateOfTrackNumberChange: number | null;
  /** Σ_j TL_j / Σ_j T_j: longest single-track segment as a fraction of truth lifetime. */
  readonly longestTrackSegment: number | null;
  readonly frames: readonly SiapFrame[];
}

/** The counts and sums behind SIAP at one instant (J, JT, N, NA, PA, VA). */
export interface SiapCounts {
  readonly truths: number;
  readonly associatedTruths: number;
  readonly tracks: number;
  readonly associatedTracks: number;
  /** Σ position error over the associations covering the instant. */
  readonly positionErrorSum: number;
  /** Σ velocity error over the associations covering the instant (where both have velocities). */
  readonly velocityErrorSum: number;
  readonly velocityPairs: number;
}

/** Precomputed views of one run's frames and associations, for the SIAP functions. */
export class SiapData {
  readonly truths: Map<string, ObjectHistory>;
  readonly tracks: Map<string, ObjectHistory>;

  constructor(
    readonly frames: readonly PictureFrame[],
    readonly associations: readonly TrackTruthAssociation[],
  ) {
    this.truths = objectHistories(frames, 'truths');
    this.tracks = objectHistories(frames, 'tracks');
  }

  /** Associations whose interval contains `tS`. */
  associationsAt(tS: number): TrackTruthAssociation[] {
    return this.associations.filter((a) => a.startS <= tS && tS <= a.endS);
  }

  /** J, JT, N, NA, PA, VA at frame `index`. */
  countsAt(index: number): SiapCounts {
    const frame = this.frames[index]!;
    const at = this.associationsAt(frame.tS);
    let positionErrorSum = 0;
    let velocityErrorSum = 0;
    let velocityPairs = 0;
    for (const a of at) {
      const truth = this.truths.get(a.truthId);
      const track = this.tracks.get(a.trackId);
      const x = track === undefined ? null : stateAt(track, frame.tS);
      const y = truth === undefined ? null : stateAt(truth, frame.tS);
      if (x === null || y === null) continue;
      positionErrorSum += euclideanDistance(x.position, y.position);
      if (x.velocity !== undefined && y.velocity !== undefined) {
        velocityErrorSum += euclideanDistance(x.velocity, y.velocity);
        velocityPairs++;
      }
    }
    return {
      truths: new Set(frame.truths.map((t) => t.id)).size,
      associatedTruths: new Set(at.map((a) => a.truthId)).size,
      tracks: new Set(frame.tracks.map((t) => t.id)).size,
      associatedTracks: new Set(at.map((a) => a.trackId)).size,
      positionErrorSum,
      velocityErrorSum,
      velocityPairs,
    };
  }

  /** TT_j: seconds between consecutive instants of the truth that one association covers both of. */
  totalTimeTracked(truthId: string): number {
    const times = this.truths.get(truthId)?.timesS ?? [];
    const mine = this.associations.filter((a) => a.truthId === truthId);
    let total = 0;
    for (let k = 0; k + 1 < times.length; k++) {
      const t0 = times[k]!;
      const t1 = times[k + 1]!;
      if (mine.some((a) => a.startS <= t0 && t1 <= a.endS)) total += t1 - t0;
    }
    return total;
  }

  /**
   * NU_j: the fewest tracks that cover the truth's tracked instants, walking its instants in
   * order and taking, at each uncovered one, the covering association that ends last.
   */
  minTracksNeeded(truthId: string): number {
    const times = this.truths.get(truthId)?.timesS ?? [];
    const mine = this.associations
      .filter((a) => a.truthId === truthId)
      .sort((a, b) => b.endS - a.endS || a.startS - b.startS);
    let needed = 0;
    let k = 0;
    while (k < times.length) {
      const t = times[k]!;
      const cover = mine.find((a) => a.startS <= t && t <= a.endS);
      if (cover === undefined) {
        k++;
        continue;
      }
      needed++;
      while (k < times.length && times[k]! <= cover.endS) k++;
    }
    return needed;
  }

  /** T_j: last minus first instant of the truth, seconds (0 for an unknown truth). */
  truthLifetime(truthId: string): number {
    const times = this.truths.get(truthId)?.timesS ?? [];
    return times.length === 0 ? 0 : times[times.length - 1]! - times[0]!;
  }

  /** TL_j: the longest single association interval on the truth, seconds. */
  longestTrackTimeOnTruth(truthId: string): number {
    let longest = 0;
    for (const a of this.associations) if (a.truthId === truthId) longest = Math.max(longest, a.endS - a.startS);
    return longest;
  }

  /** R: Σ (NU_j − 1) / Σ TT_j over truths tracked at least once; null when no time was tracked. */
  rateOfTrackNumberChange(): number | null {
    let changes = 0;
    let tracked = 0;
    for (const id of this.truths.keys()) {
      const needed = this.minTracksNeeded(id);
      if (needed === 0) continue;
      changes += needed - 1;
      tracked += this.totalTimeTracked(id);
    }
    return tracked > 0 ? changes / tracked : null;
  }
}

/**
 * SIAP per frame and over the run from the frames and the associations (e.g. from
 * `associateByDistance`). Pure and deterministic.
 */
export function siap(frames: readonly PictureFrame[], associations: readonly TrackTruthAssociation[]): SiapSummary {
  const data = new SiapData(frames, associations);
  let J = 0;
  let JT = 0;
  let N = 0;
  let NA = 0;
  let PA = 0;
  let VA = 0;
  let VN = 0;
  const out: SiapFrame[] = [];
  for (const [k, frame] of frames.entries()) {
    const c = data.countsAt(k);
    J += c.truths;
    JT += c.associatedTruths;
    N += c.tracks;
    NA += c.associatedTracks;
    PA += c.positionErrorSum;
    VA += c.velocityErrorSum;
    VN += c.velocityPairs;
    out.push({
      tS: frame.tS,
      completeness: ratio(c.associatedTruths, c.truths),
      ambiguity: ratio(c.associatedTracks, c.associatedTruths),
      spuriousness: ratio(c.tracks - c.associatedTracks, c.tracks),
      positionalAccuracy: ratio(c.positionErrorSum, c.associatedTracks),
      velocityAccuracy: ratio(c.velocityErrorSum, c.velocityPairs),
    });
  }
  let lifetime = 0;
  let longest = 0;
  for (const id of data.truths.keys()) {
    lifetime += data.truthLifetime(id);
    longest += data.longestTrackTimeOnTruth(id);
  }
  return {
    completeness: ratio(JT, J),
    ambiguity: ratio(NA, JT),
    spuriousness: ratio(N - NA, N),
    positionalAccuracy: ratio(PA, NA),
    velocityAccuracy: ratio(VA, VN),
    rateOfTrackNumberChange: data.rateOfTrackNumberChange(),
    longestTrackSegment: ratio(longest, lifetime),
    frames: out,
  };
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}
