import type { JointIdTable } from './joint-ids.js';
import {
  identityCode,
  type JointTrackBuffer,
  SOURCE_FUSED,
  SOURCE_LOCAL,
  SOURCE_PARTNER,
} from './joint-track-buffer.js';
import { COV_SIZE, STATE_DIM } from './matrix.js';
import type { PackedTrackStore } from './packed-tracks.js';
import { combineIdentity } from './tracks.js';

/** One update's association results: what the joint tracks are built from besides the buffer. */
export interface FusedInputs {
  readonly fusionTimeUs: number;
  readonly ownNodeId: string;
  /** The partner tracks' aligned states (entry j is `buffer.partners[j]`). */
  readonly partnerStore: PackedTrackStore;
  /** The local each partner was fused into, or -1. */
  readonly matchedPartner: Int32Array;
  /** Each fused partner's association cost (squared Mahalanobis distance to its local). */
  readonly matchCost: Float64Array;
}

/**
 * Completes the joint picture in `buffer` (reserved for `locals + partners` tracks and
 * `partners` members), whose first `buffer.locals.length` states and covariances already hold
 * the fused local tracks: members, sources, identities, qualities,
 * then the partner-only tracks (by node and id), then the stable ids from `ids`. Local-anchored
 * tracks come by local id (`fused` when partners joined, else `local`); the partner members of
 * one track are in partner order (node order).
 */
export function fillJointTracks(inputs: FusedInputs, buffer: JointTrackBuffer, ids: JointIdTable): void {
  const { matchedPartner, matchCost, partnerStore } = inputs;
  const nL = buffer.locals.length;
  const nP = buffer.partners.length;
  let unmatched = 0;
  for (let j = 0; j < nP; j++) if (matchedPartner[j] === -1) unmatched++;
  const count = nL + unmatched;
  buffer.count = count;
  buffer.tovUs = inputs.fusionTimeUs;
  buffer.ownNodeId = inputs.ownNodeId;
  buffer.generation++;
  const { partnerStart: start, partnerIdx: idx, partnerCost: cost } = buffer;
  // partner members of each local: counted, then placed in partner order
  start.fill(0, 0, nL + 1);
  for (let j = 0; j < nP; j++) {
    const i = matchedPartner[j]!;
    if (i !== -1) start[i + 1]!++;
  }
  for (let i = 0; i < nL; i++) start[i + 1] = start[i + 1]! + start[i]!;
  for (let j = 0; j < nP; j++) {
    const i = matchedPartner[j]!;
    if (i === -1) continue;
    const q = start[i]!++;
    idx[q] = j;
    cost[q] = matchCost[j]!;
  }
  for (let i = nL; i > 0; i--) start[i] = start[i - 1]!;
  start[0] = 0;
  for (let i = 0; i < nL; i++) {
    const t = buffer.locals[i]!;
    let identity = t.identity;
    let quality = t.quality;
    for (let q = start[i]!; q < start[i + 1]!; q++) {
      const p = buffer.partners[idx[q]!]!;
      identity = combineIdentity(identity, p.identity);
      quality = Math.max(quality, p.quality);
    }
    buffer.localOf[i] = i;
    buffer.source[i] = start[i + 1]! > start[i]! ? SOURCE_FUSED : SOURCE_LOCAL;
    buffer.identity[i] = identityCode(identity);
    buffer.quality[i] = quality;
  }
  // partner-only tracks
  let k = nL;
  let q = start[nL]!;
  const { state, cov } = buffer;
  for (let j = 0; j < nP; j++) {
    if (matchedPartner[j] !== -1) continue;
    const p = buffer.partners[j]!;
    buffer.localOf[k] = -1;
    buffer.source[k] = SOURCE_PARTNER;
    buffer.identity[k] = identityCode(p.identity);
    buffer.quality[k] = p.quality;
    idx[q] = j;
    cost[q] = Number.NaN;
    q++;
    start[k + 1] = q;
    for (let s = 0; s < STATE_DIM; s++) state[k * STATE_DIM + s] = partnerStore.state[j * STATE_DIM + s]!;
    for (let c = 0; c < COV_SIZE; c++) cov[k * COV_SIZE + c] = partnerStore.cov[j * COV_SIZE + c]!;
    k++;
  }
  ids.assign(buffer, buffer.jointId);
}
