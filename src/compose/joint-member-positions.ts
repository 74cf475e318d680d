import { FrameConverter, type JointTrack, type LocalTrack, type PartnerTrack } from '../fusion/index.js';
import type { LocalFrame } from '../geo/index.js';

/** Where one contributor of a fused joint track stood at the fusion time, in the node's ENU (m). */
export interface AssociatedMember {
  /** `local`: one of the node's own tracks; `partner`: a track a partner node shared. */
  readonly kind: 'local' | 'partner';
  readonly nodeId: string;
  readonly trackId: string;
  readonly eastM: number;
  readonly northM: number;
}

/** Most fused tracks one update's associations are worked out for (the plan trace keeps fewer). */
const MAX_ASSOCIATED_TRACKS = 1000;

/**
 * The association of each fused joint track made visible: each member's (own and partner)
 * position at the fusion time, in the node's ENU — the own track's state and the partner's
 * shared state (brought from its frame into the node's through WGS-84) predicted at constant
 * velocity from their own time of validity to the fusion time. What the plan views draw as
 * lines from the fused position to each member. Pure given its inputs; allocates per call.
 */
export class JointMemberPositions {
  private readonly converter: FrameConverter;
  private readonly state = new Float64Array(6);
  private readonly cov = new Float64Array(36);

  constructor(frame: LocalFrame) {
    this.converter = new FrameConverter(frame);
  }

  /**
   * The members of every `fused` track of `tracks`, by joint id, in member order (own first).
   * A member whose input is not among `locals`/`partners` (or whose frame is not a valid site)
   * is left out; a fused track with no member found is left out.
   */
  of(
    tracks: readonly JointTrack[],
    locals: readonly LocalTrack[],
    partners: readonly PartnerTrack[],
  ): Map<number, AssociatedMember[]> {
    const out = new Map<number, AssociatedMember[]>();
    let localById: Map<string, LocalTrack> | null = null;
    let partnerByKey: Map<string, PartnerTrack> | null = null;
    for (const t of tracks) {
      if (t.source !== 'fused' || out.size >= MAX_ASSOCIATED_TRACKS) continue;
      localById ??= new Map(locals.map((l) => [l.trackId, l]));
      partnerByKey ??= new Map(partners.map((p) => [`${p.pedigree.nodeId}|${p.trackId}`, p]));
      const members: AssociatedMember[] = [];
      for (const m of t.members) {
        const input = m.kind === 'local' ? localById.get(m.trackId) : partnerByKey.get(`${m.nodeId}|${m.trackId}`);
        if (input === undefined) continue;
        const at = this.positionAt(input, t.tovUs);
        if (at !== null) members.push({ kind: m.kind, nodeId: m.nodeId, trackId: m.trackId, ...at });
      }
      if (members.length > 0) out.set(t.jointId, members);
    }
    return out;
  }

  private positionAt(track: LocalTrack | PartnerTrack, atUs: number): { eastM: number; northM: number } | null {
    let s: ArrayLike<number> = track.state;
    if (track.kind === 'partner') {
      try {
        this.converter.convert(track.frame, track.state, track.covariance, this.state, 0, this.cov, 0);
      } catch {
        return null; // not a valid site: nothing to draw
      }
      s = this.state;
    }
    const dtS = (atUs - track.tovUs) / 1e6;
    const eastM = s[0]! + s[3]! * dtS;
    const northM = s[1]! + s[4]! * dtS;
    return Number.isFinite(eastM) && Number.isFinite(northM) ? { eastM, northM } : null;
  }
}
