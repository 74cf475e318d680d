/**
 * Track-to-track fusion of this node's local tracks with its partners' shared tracks, one
 * update at a time:
 *
 * 1. intake: malformed, future-dated (beyond `maxFutureUs`), stale (older than `maxAgeUs`),
 *    duplicate and not-positive-definite inputs are left out with a reason; of two reports of
 *    one partner track the newer is used (the older is `superseded`);
 * 2. frames: partner states go into this node's ENU (src/geo, exact through ECEF);
 * 3. time alignment: every input is predicted (constant velocity + process noise) to the
 *    fusion time; a partner report older than the last fusion time (out of sequence) is
 *    predicted forward and used like any other, one stamped slightly after it is retrodicted;
 * 4. association per partner node (GNN: gating, clusters, Jonker–Volgenant; see association.ts);
 * 5. fusion of each local track with its associated partner tracks by covariance
 *    intersection (sequentially, node by node: safe for any cross-correlation);
 * 6. stable joint ids (joint-ids.ts) and pedigree: every joint track lists its members.
 *
 * Pure and deterministic: the same inputs (in any order) and the same previous updates give
 * the same output. Scratch buffers are kept and reused between updates; {@link TrackFuser.update}
 * writes the joint picture into one packed buffer that the next update overwrites (no object
 * per track), {@link TrackFuser.fuse} gives it as plain objects.
 */
import { LocalFrame } from '../geo/index.js';
import { Associator } from './association.js';
import { CiWorkspace, covarianceIntersection } from './covariance-intersection.js';
import { FrameConverter } from './frames.js';
import { FusionIntake, type RejectInput } from './fusion-intake.js';
import {
  FusionConfigError,
  type FusionOptions,
  type FusionStats,
  type FusionUpdate,
  type ResolvedFusionOptions,
  resolveFusionOptions,
} from './fusion-options.js';
import { JointIdTable } from './joint-ids.js';
import { JointTrackBuffer } from './joint-track-buffer.js';
import { fillJointTracks } from './joint-tracks.js';
import { COV_SIZE, STATE_DIM } from './matrix.js';
import { cholesky6 } from './matrix6.js';
import { PackedTrackStore, isSymmetricAt, stageTrack } from './packed-tracks.js';
import { predictConstantVelocity } from './predict.js';
import type { LocalTrack, PartnerTrack, Rejection } from './tracks.js';

/**
 * What {@link TrackFuser.update} gives: the joint picture at `tovUs` in the fuser's packed
 * buffer (valid until the fuser's next update: read or copy what must outlive it), what was
 * left out, and counts.
 */
export interface PackedFusionUpdate {
  readonly tovUs: number;
  readonly picture: JointTrackBuffer;
  readonly rejected: readonly Rejection[];
  readonly stats: FusionStats;
}

/** The fusion engine of one node: keeps the joint id table, the last fusion time and scratch. */
export class TrackFuser {
  private readonly resolved: ResolvedFusionOptions;
  private readonly frames: FrameConverter;
  private readonly ids = new JointIdTable();
  private readonly intake = new FusionIntake();
  private readonly associator = new Associator();
  private readonly ci = new CiWorkspace();
  private readonly locals = new PackedTrackStore();
  private readonly partners = new PackedTrackStore();
  private readonly picture = new JointTrackBuffer();
  private matchedPartner = new Int32Array(0);
  private matchCost = new Float64Array(0);
  private readonly chol = new Float64Array(COV_SIZE);
  private readonly outState = new Float64Array(STATE_DIM);
  private readonly outCov = new Float64Array(COV_SIZE);
  private lastFusedUs = Number.NEGATIVE_INFINITY;

  /** Throws FusionConfigError for a non-positive gate, noise or bound, and GeoError for a bad site. */
  constructor(readonly options: FusionOptions) {
    this.resolved = resolveFusionOptions(options);
    this.frames = new FrameConverter(new LocalFrame(options.site));
  }

  /** The fusion frame (this node's ENU). */
  get frame(): LocalFrame {
    return this.frames.fusion;
  }

  /**
   * Fuses `locals` and `partners` at `fusionTimeUs` (UTC µs) into plain {@link JointTrack}
   * objects (the packed picture of {@link update}, copied out). Never throws for bad track
   * data: such inputs are in `rejected`. Throws FusionConfigError for a non-finite fusion time.
   */
  fuse(fusionTimeUs: number, locals: readonly LocalTrack[], partners: readonly PartnerTrack[]): FusionUpdate {
    const { tovUs, picture, rejected, stats } = this.update(fusionTimeUs, locals, partners);
    return { tovUs, tracks: picture.toTracks(), rejected, stats };
  }

  /**
   * Fuses `locals` and `partners` at `fusionTimeUs` (UTC µs) into the fuser's packed picture,
   * which this call overwrites (the previous update's picture is gone; so are the kept input
   * lists it refers to). The same picture, bit for bit, as {@link fuse}. Never throws for bad
   * track data: such inputs are in `rejected`. Throws FusionConfigError for a non-finite fusion time.
   */
  update(fusionTimeUs: number, locals: readonly LocalTrack[], partners: readonly PartnerTrack[]): PackedFusionUpdate {
    if (!Number.isFinite(fusionTimeUs)) throw new FusionConfigError('fusion: the fusion time must be finite');
    const rejected: Rejection[] = [];
    let retrodicted = 0;
    let outOfSequence = 0;
    const reject: RejectInput = (kind, t, reason) => {
      rejected.push({
        kind,
        nodeId: typeof t?.pedigree?.nodeId === 'string' ? t.pedigree.nodeId : '',
        trackId: typeof t?.trackId === 'string' ? t.trackId : '',
        reason,
      });
    };
    const out = this.picture;
    // the kept lists are overwritten, then cut (emptying them first would drop their storage)
    const keptLocals = out.locals;
    const keptPartners = out.partners;

    // ---- locals: validate, dedupe, order by id
    const localList = this.intake.admitLocals(locals, fusionTimeUs, this.resolved, reject);
    const L = this.locals;
    L.reserve(localList.length);
    let k = 0;
    for (let n = 0; n < localList.length; n++) {
      const t = localList[n]!;
      // copied first, then checked on the copy (the same values): each input array is read once
      stageTrack(L, k, t.state, t.covariance);
      if (!isSymmetricAt(L.cov, k * COV_SIZE)) {
        reject('local', t, 'bad-covariance');
        continue;
      }
      if (!this.alignAndCheck(L, k, t.tovUs, fusionTimeUs)) {
        reject('local', t, 'bad-covariance');
        continue;
      }
      if (t.tovUs > fusionTimeUs) retrodicted++;
      keptLocals[k++] = t;
    }
    keptLocals.length = k;
    L.count = k;

    // ---- partners: validate, keep the newest report per (node, track), order by node then id
    const partnerList = this.intake.admitPartners(
      partners,
      fusionTimeUs,
      this.options.ownNodeId,
      this.resolved,
      reject,
    );
    const P = this.partners;
    P.reserve(partnerList.length);
    k = 0;
    for (let n = 0; n < partnerList.length; n++) {
      const t = partnerList[n]!;
      stageTrack(P, k, t.state, t.covariance);
      if (!isSymmetricAt(P.cov, k * COV_SIZE)) {
        reject('partner', t, 'bad-covariance');
        continue;
      }
      try {
        this.frames.convertInPlace(t.frame, P.state, k * STATE_DIM, P.cov, k * COV_SIZE);
      } catch {
        reject('partner', t, 'malformed');
        continue;
      }
      if (!this.alignAndCheck(P, k, t.tovUs, fusionTimeUs)) {
        reject('partner', t, 'bad-covariance');
        continue;
      }
      if (t.tovUs > fusionTimeUs) retrodicted++;
      if (t.tovUs < this.lastFusedUs) outOfSequence++;
      keptPartners[k++] = t;
    }
    keptPartners.length = k;
    P.count = k;

    // ---- association and fusion, partner node by partner node, into the picture's first L.count tracks
    out.reserve(L.count + P.count, P.count);
    const F = out;
    F.state.set(L.state.subarray(0, L.count * STATE_DIM));
    F.cov.set(L.cov.subarray(0, L.count * COV_SIZE));
    if (this.matchedPartner.length < P.count) {
      this.matchedPartner = new Int32Array(Math.max(P.count, this.matchedPartner.length * 2));
      this.matchCost = new Float64Array(this.matchedPartner.length);
    }
    const matchedPartner = this.matchedPartner;
    const matchCost = this.matchCost;
    matchedPartner.fill(-1, 0, P.count);
    let gatedPairs = 0;
    let clusters = 0;
    let largestCluster = 0;
    let fusedPairs = 0;
    const onMatch = (i: number, j: number, d2: number): void => {
      const omega = covarianceIntersection(
        F.state,
        i * STATE_DIM,
        F.cov,
        i * COV_SIZE,
        P.state,
        j * STATE_DIM,
        P.cov,
        j * COV_SIZE,
        this.outState,
        0,
        this.outCov,
        0,
        this.resolved.omega,
        this.ci,
      );
      if (Number.isNaN(omega)) return; // cannot happen for checked inputs; leave both unfused
      F.state.set(this.outState, i * STATE_DIM);
      F.cov.set(this.outCov, i * COV_SIZE);
      matchedPartner[j] = i;
      matchCost[j] = d2;
      fusedPairs++;
    };
    for (let from = 0; from < P.count;) {
      const node = keptPartners[from]!.pedigree.nodeId;
      let to = from + 1;
      while (to < P.count && keptPartners[to]!.pedigree.nodeId === node) to++;
      this.associator.gate(L, P, from, to, this.resolved.gateChi2);
      const stats = this.associator.assign(L.count, from, to, this.resolved.gateChi2, onMatch);
      gatedPairs += stats.gatedPairs;
      clusters += stats.clusters;
      largestCluster = Math.max(largestCluster, stats.largestCluster);
      from = to;
    }

    fillJointTracks(
      { fusionTimeUs, ownNodeId: this.options.ownNodeId, partnerStore: P, matchedPartner, matchCost },
      out,
      this.ids,
    );
    this.lastFusedUs = Math.max(this.lastFusedUs, fusionTimeUs);
    return {
      tovUs: fusionTimeUs,
      picture: out,
      rejected,
      stats: {
        locals: L.count,
        partners: P.count,
        gatedPairs,
        clusters,
        largestCluster,
        fusedPairs,
        outOfSequence,
        retrodicted,
      },
    };
  }

  /** Symmetrises (rounding only: inputs were checked), predicts entry k of `store` to `atUs` and checks its covariance is positive definite. */
  private alignAndCheck(store: PackedTrackStore, k: number, tovUs: number, atUs: number): boolean {
    const c = k * COV_SIZE;
    const cov = store.cov;
    for (let i = 0; i < STATE_DIM; i++)
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (cov[c + i * STATE_DIM + j]! + cov[c + j * STATE_DIM + i]!);
        cov[c + i * STATE_DIM + j] = m;
        cov[c + j * STATE_DIM + i] = m;
      }
    if (!cholesky6(cov, c, this.chol, 0)) return false;
    predictConstantVelocity(
      store.state,
      k * STATE_DIM,
      cov,
      c,
      (atUs - tovUs) / 1e6,
      this.resolved.processNoiseM2PerS3,
    );
    return true;
  }
}
