import type { JointTrack } from '../fusion/index.js';
import type { AssociatedMember } from './joint-member-positions.js';

/** One joint track at one sample: where it was in the node's ENU (m) and what it was made of. */
export interface JointPlanTrackPoint {
  readonly jointId: number;
  /** `local` (own radars only), `partner` (a partner's data only) or `fused` (both). */
  readonly source: JointTrack['source'];
  readonly eastM: number;
  readonly northM: number;
  /** The partner nodes whose tracks are members (empty for `local`). */
  readonly partners: readonly string[];
  /**
   * A fused track's members (own and partner tracks) where each stood at the sample, for the
   * association lines; absent for own and partner-only tracks.
   */
  readonly members?: readonly AssociatedMember[];
}

/** The joint picture at one instant (host µs). */
export interface JointPlanSample {
  readonly atUs: number;
  readonly tracks: readonly JointPlanTrackPoint[];
}

/** Most samples and most tracks per sample a trace keeps (bounded memory on long runs). */
export const MAX_PLAN_SAMPLES = 4000;
export const MAX_PLAN_TRACKS_PER_SAMPLE = 500;

/**
 * A node's joint picture over a run, for plan views (the joint report's side-by-side nodes):
 * each sampled joint track's position and source, so own, partner and fused tracks can be told
 * apart. Bounded: samples past {@link MAX_PLAN_SAMPLES} and tracks past
 * {@link MAX_PLAN_TRACKS_PER_SAMPLE} in one sample are not kept (counted in `dropped`).
 */
export class JointPlanTrace {
  private readonly kept: JointPlanSample[] = [];
  private droppedCount = 0;

  /**
   * Record the joint tracks of one fusion update at `atUs` (host µs), with the fused tracks'
   * member positions by joint id when given.
   */
  add(atUs: number, tracks: readonly JointTrack[], members?: ReadonlyMap<number, readonly AssociatedMember[]>): void {
    if (this.kept.length >= MAX_PLAN_SAMPLES) {
      this.droppedCount += 1;
      return;
    }
    const points: JointPlanTrackPoint[] = [];
    for (const t of tracks) {
      if (points.length >= MAX_PLAN_TRACKS_PER_SAMPLE) break;
      const partners = [...new Set(t.members.filter((m) => m.kind === 'partner').map((m) => m.nodeId))];
      const associated = t.source === 'fused' ? members?.get(t.jointId) : undefined;
      points.push({
        jointId: t.jointId,
        source: t.source,
        eastM: t.state[0]!,
        northM: t.state[1]!,
        partners,
        ...(associated === undefined ? {} : { members: associated }),
      });
    }
    if (tracks.length > points.length) this.droppedCount += 1;
    this.kept.push({ atUs, tracks: points });
  }

  /** The samples in time order. */
  samples(): readonly JointPlanSample[] {
    return this.kept;
  }

  /** Samples (or parts of samples) left out by the bounds. */
  get dropped(): number {
    return this.droppedCount;
  }
}
