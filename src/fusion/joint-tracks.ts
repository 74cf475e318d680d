import { type JointIdTable, localKey, partnerKey } from './joint-ids.js';
import { COV_SIZE, STATE_DIM } from './matrix.js';
import { copyCovariance, copyState, type PackedTrackStore } from './packed-tracks.js';
import { type JointTrack, type LocalTrack, type MemberRef, type PartnerTrack, combineIdentity } from './tracks.js';

/** One update's inputs after association and fusion: what the joint tracks are built from. */
export interface FusedInputs {
  readonly fusionTimeUs: number;
  readonly ownNodeId: string;
  /** The local tracks kept, in order; entry i of `fused` is local i after fusion. */
  readonly locals: readonly LocalTrack[];
  /** The partner tracks kept, in order, their keys, and their aligned states in `partnerStore`. */
  readonly partners: readonly PartnerTrack[];
  readonly partnerKeys: readonly string[];
  readonly fused: PackedTrackStore;
  readonly partnerStore: PackedTrackStore;
  /** Partners fused into local i, and their association costs (squared Mahalanobis distances). */
  readonly partnersOf: readonly (number[] | undefined)[];
  readonly costsOf: readonly (number[] | undefined)[];
  /** The local each partner was fused into, or -1. */
  readonly matchedPartner: Int32Array;
}

/**
 * The joint picture of one update with its stable ids and pedigree: local-anchored tracks by
 * local id (`fused` when partners joined, else `local`), then partner-only tracks by node and id.
 * Ids come from `ids`, which remembers them across updates.
 */
export function buildJointTracks(inputs: FusedInputs, ids: JointIdTable): JointTrack[] {
  const groups: string[][] = [];
  const hasLocal: boolean[] = [];
  const own = inputs.ownNodeId;
  const localRef = (t: LocalTrack): MemberRef => ({
    kind: 'local',
    nodeId: own,
    trackId: t.trackId,
    sensorId: t.pedigree.sensorId,
    tovUs: t.tovUs,
  });
  const partnerRef = (t: PartnerTrack): MemberRef => ({
    kind: 'partner',
    nodeId: t.pedigree.nodeId,
    trackId: t.trackId,
    sensorId: t.pedigree.sensorId,
    tovUs: t.tovUs,
  });
  // ids first (they depend only on the member keys), then each track built once
  for (let i = 0; i < inputs.locals.length; i++) {
    const keys = [localKey(inputs.locals[i]!.trackId)];
    for (const j of inputs.partnersOf[i] ?? [])
      keys.push(partnerKey(inputs.partners[j]!.pedigree.nodeId, inputs.partners[j]!.trackId));
    groups.push(keys);
    hasLocal.push(true);
  }
  for (let j = 0; j < inputs.partners.length; j++) {
    if (inputs.matchedPartner[j] !== -1) continue;
    groups.push([inputs.partnerKeys[j]!]);
    hasLocal.push(false);
  }
  const jointIds = ids.assign(groups, hasLocal);
  const tracks: JointTrack[] = [];
  for (let i = 0; i < inputs.locals.length; i++) {
    const t = inputs.locals[i]!;
    const js = inputs.partnersOf[i];
    let identity = t.identity;
    let quality = t.quality;
    const members: MemberRef[] = [localRef(t)];
    if (js !== undefined)
      for (const j of js) {
        const p = inputs.partners[j]!;
        identity = combineIdentity(identity, p.identity);
        quality = Math.max(quality, p.quality);
        members.push(partnerRef(p));
      }
    tracks.push({
      kind: 'joint',
      jointId: jointIds[tracks.length]!,
      source: js !== undefined ? 'fused' : 'local',
      tovUs: inputs.fusionTimeUs,
      state: copyState(inputs.fused.state, i * STATE_DIM),
      covariance: copyCovariance(inputs.fused.cov, i * COV_SIZE),
      identity,
      quality,
      members,
      associationCost: inputs.costsOf[i] ?? [],
    });
  }
  for (let j = 0; j < inputs.partners.length; j++) {
    if (inputs.matchedPartner[j] !== -1) continue;
    const p = inputs.partners[j]!;
    tracks.push({
      kind: 'joint',
      jointId: jointIds[tracks.length]!,
      source: 'partner',
      tovUs: inputs.fusionTimeUs,
      state: copyState(inputs.partnerStore.state, j * STATE_DIM),
      covariance: copyCovariance(inputs.partnerStore.cov, j * COV_SIZE),
      identity: p.identity,
      quality: p.quality,
      members: [partnerRef(p)],
      associationCost: [],
    });
  }
  return tracks;
}
