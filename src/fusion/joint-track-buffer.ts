/**
 * The joint picture of one fusion update, packed: every joint track's state, covariance, id,
 * source, identity and quality in typed arrays, its members as indices into the update's kept
 * input tracks. One buffer per fuser, overwritten by each update (grown on demand, never
 * shrunk), so a 1,000 × 1,000 update allocates no object per track. {@link JointTrackBuffer.track}
 * and {@link JointTrackBuffer.toTracks} give the plain {@link JointTrack} objects, equal to
 * those of {@link TrackFuser.fuse}.
 */
import { COV_SIZE, STATE_DIM } from './matrix.js';
import { copyCovariance, copyState } from './packed-tracks.js';
import {
  type JointTrack,
  type LocalTrack,
  type MemberRef,
  type PartnerTrack,
  TRACK_IDENTITIES,
  type TrackIdentity,
} from './tracks.js';

/** `source` codes of {@link JointTrackBuffer.source}. */
export const SOURCE_LOCAL = 0;
export const SOURCE_PARTNER = 1;
export const SOURCE_FUSED = 2;
const SOURCES = ['local', 'partner', 'fused'] as const;

/** The index of `identity` in {@link TRACK_IDENTITIES} (the code {@link JointTrackBuffer.identity} holds). */
export function identityCode(identity: TrackIdentity): number {
  return TRACK_IDENTITIES.indexOf(identity);
}

/**
 * One update's joint tracks, track k at index k (local-anchored tracks by local id, then
 * partner-only tracks by node and id). Contract: the contents are valid until the next update
 * of the fuser that owns the buffer (`generation` counts updates); read or copy what must
 * outlive it. Typed arrays may be longer than `count`: only the first `count` entries (and
 * `partnerStart[count]` partner members) are meaningful.
 */
export class JointTrackBuffer {
  /** Joint tracks in this update. */
  count = 0;
  /** The fusion time, UTC µs: every state is aligned to it. */
  tovUs = 0;
  /** Updates written into this buffer so far (1 after the first). */
  generation = 0;
  /** This node's id (the node of every local member). */
  ownNodeId = '';
  /** Track k's state `[e, n, u, vE, vN, vU]` at `k*6`, in this node's ENU (m, m/s). */
  state = new Float64Array(0);
  /** Track k's 6×6 row-major covariance at `k*36`. */
  cov = new Float64Array(0);
  /** Track k's stable joint id. */
  jointId = new Float64Array(0);
  /** Track k's source: {@link SOURCE_LOCAL}, {@link SOURCE_PARTNER} or {@link SOURCE_FUSED}. */
  source = new Uint8Array(0);
  /** Track k's identity, as an index into {@link TRACK_IDENTITIES}. */
  identity = new Uint8Array(0);
  /** Track k's quality, 0 … 1. */
  quality = new Float64Array(0);
  /** Track k's local member, an index into `locals`, or -1 (a partner-only track). */
  localOf = new Int32Array(0);
  /** Track k's partner members are `partnerIdx[partnerStart[k] … partnerStart[k+1])`, in node order. */
  partnerStart = new Int32Array(1);
  /** Indices into `partners`. */
  partnerIdx = new Int32Array(0);
  /** The squared Mahalanobis distance of each partner member to the local one (NaN for a partner-only track). */
  partnerCost = new Float64Array(0);
  /** The local tracks kept by this update (the caller's objects), in id order. */
  readonly locals: LocalTrack[] = [];
  /** The partner tracks kept by this update (the caller's objects), by node then id. */
  readonly partners: PartnerTrack[] = [];

  /** Room for `tracks` joint tracks with `members` partner members in all (contents are not kept when it grows). */
  reserve(tracks: number, members: number): void {
    if (this.jointId.length < tracks) {
      const cap = Math.max(tracks, this.jointId.length * 2, 16);
      this.state = new Float64Array(cap * STATE_DIM);
      this.cov = new Float64Array(cap * COV_SIZE);
      this.jointId = new Float64Array(cap);
      this.source = new Uint8Array(cap);
      this.identity = new Uint8Array(cap);
      this.quality = new Float64Array(cap);
      this.localOf = new Int32Array(cap);
      this.partnerStart = new Int32Array(cap + 1);
    }
    if (this.partnerIdx.length < members) {
      const cap = Math.max(members, this.partnerIdx.length * 2, 16);
      this.partnerIdx = new Int32Array(cap);
      this.partnerCost = new Float64Array(cap);
    }
  }

  /** Track k's source as the {@link JointTrack} names it. */
  sourceOf(k: number): JointTrack['source'] {
    return SOURCES[this.source[k]!]!;
  }

  /** Track k's identity. */
  identityOf(k: number): TrackIdentity {
    return TRACK_IDENTITIES[this.identity[k]!]!;
  }

  /** Track k's members, local first, then partners by node (new objects). */
  membersOf(k: number): MemberRef[] {
    const members: MemberRef[] = [];
    const i = this.localOf[k]!;
    if (i !== -1) {
      const t = this.locals[i]!;
      members.push({
        kind: 'local',
        nodeId: this.ownNodeId,
        trackId: t.trackId,
        sensorId: t.pedigree.sensorId,
        tovUs: t.tovUs,
      });
    }
    for (let q = this.partnerStart[k]!; q < this.partnerStart[k + 1]!; q++) {
      const p = this.partners[this.partnerIdx[q]!]!;
      members.push({
        kind: 'partner',
        nodeId: p.pedigree.nodeId,
        trackId: p.trackId,
        sensorId: p.pedigree.sensorId,
        tovUs: p.tovUs,
      });
    }
    return members;
  }

  /** Track k as a plain {@link JointTrack} (new arrays, independent of the buffer). */
  track(k: number): JointTrack {
    const from = this.partnerStart[k]!;
    const to = this.partnerStart[k + 1]!;
    const associationCost: number[] = [];
    if (this.localOf[k] !== -1) for (let q = from; q < to; q++) associationCost.push(this.partnerCost[q]!);
    return {
      kind: 'joint',
      jointId: this.jointId[k]!,
      source: this.sourceOf(k),
      tovUs: this.tovUs,
      state: copyState(this.state, k * STATE_DIM),
      covariance: copyCovariance(this.cov, k * COV_SIZE),
      identity: this.identityOf(k),
      quality: this.quality[k]!,
      members: this.membersOf(k),
      associationCost,
    };
  }

  /** Every track as plain {@link JointTrack} objects, in order. */
  toTracks(): JointTrack[] {
    const tracks: JointTrack[] = [];
    for (let k = 0; k < this.count; k++) tracks.push(this.track(k));
    return tracks;
  }
}
