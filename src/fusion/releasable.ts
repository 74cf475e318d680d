/**
 * No data incest: the one function a publisher uses to pick what it may share. Only this node's
 * own local tracks whose pedigree is its own sensors (not fused, not seeded from partner data)
 * qualify; joint tracks (fused or not) and partner tracks never do, whatever their fields say.
 * A partner therefore never receives its own data back dressed as ours.
 */
import { type JointTrack, type LocalTrack, type PartnerTrack, isWellFormed } from './tracks.js';

/**
 * The releasable local-only tracks among `candidates`, sorted by track id: `kind === 'local'`,
 * `pedigree.nodeId === ownNodeId`, `pedigree.fused === false`, and well-formed. Everything else
 * (partner tracks, joint tracks, local tracks built with partner data, tracks claiming another
 * node) is left out. The release policy towards each partner is applied after this.
 */
export function selectReleasableLocalTracks(
  candidates: readonly (LocalTrack | PartnerTrack | JointTrack)[],
  ownNodeId: string,
): LocalTrack[] {
  const out: LocalTrack[] = [];
  for (const track of candidates) {
    if (typeof track !== 'object' || track === null || track.kind !== 'local') continue;
    if (track.pedigree.nodeId !== ownNodeId || track.pedigree.fused !== false) continue;
    if (!isWellFormed(track)) continue;
    out.push(track);
  }
  return out.sort((a, b) => (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0));
}
