import type { TrackAssociation } from '../bridge/joint-track-facts.js';
import type { JointTrack } from '../fusion/index.js';
import type { AssociatedMember } from './joint-member-positions.js';

/**
 * A fusion update's fused tracks as the associations a node publishes with its own tracks: each
 * fused track anchored on an own track, with where the fused estimate, the own track and each
 * partner track stood at the fusion time. A fused track whose own member has no position is left out.
 */
export function trackAssociations(
  tracks: readonly JointTrack[],
  members: ReadonlyMap<number, readonly AssociatedMember[]>,
): TrackAssociation[] {
  const out: TrackAssociation[] = [];
  for (const t of tracks) {
    const m = members.get(t.jointId);
    const own = m?.find((x) => x.kind === 'local');
    if (t.source !== 'fused' || m === undefined || own === undefined) continue;
    out.push({
      trackId: own.trackId,
      jointId: t.jointId,
      fusedEastM: t.state[0]!,
      fusedNorthM: t.state[1]!,
      ownEastM: own.eastM,
      ownNorthM: own.northM,
      partners: m
        .filter((x) => x.kind === 'partner')
        .map((x) => ({ nodeId: x.nodeId, trackId: x.trackId, eastM: x.eastM, northM: x.northM })),
    });
  }
  return out;
}
