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
 * the same output. Scratch buffers are kept and reused between updates.
 */
import { type GeodeticPosition, LocalFrame } from '../geo/index.js';
import { Associator, type PackedTracks } from './association.js';
import { CiWorkspace, type OmegaCriterion, covarianceIntersection } from './covariance-intersection.js';
import { FrameConverter } from './frames.js';
import { JointIdTable, localKey, partnerKey } from './joint-ids.js';
import { COV_SIZE, STATE_DIM, cholesky } from './matrix.js';
import { predictConstantVelocity } from './predict.js';
import {
  type JointTrack,
  type LocalTrack,
  type MemberRef,
  type PartnerTrack,
  type Rejection,
  type RejectReason,
  combineIdentity,
  isSymmetric,
  isWellFormed,
} from './tracks.js';

/** The chi-square 99 % point for 6 degrees of freedom: the default gate. */
export const CHI2_6DOF_99 = 16.811893829770927;

/** Settings of a {@link TrackFuser}. Every field but `site` and `ownNodeId` has a default. */
export interface FusionOptions {
  /** This node's site: the origin of the fusion frame (ENU). */
  readonly site: GeodeticPosition;
  /** This node's id (partner reports claiming it are rejected as malformed: an echo). */
  readonly ownNodeId: string;
  /** Gate on the squared Mahalanobis distance of the 6-D state difference. Default 16.81 (χ²₆, 99 %). */
  readonly gateChi2?: number;
  /** White-noise acceleration spectral density for the alignment, m²/s³. Default 10. */
  readonly processNoiseM2PerS3?: number;
  /** How covariance intersection picks ω. Default `determinant`. */
  readonly omega?: OmegaCriterion;
  /** Inputs older than this before the fusion time are `stale`. Default 30 s. */
  readonly maxAgeUs?: number;
  /** Inputs stamped more than this after the fusion time are `future-dated`. Default 2 s. */
  readonly maxFutureUs?: number;
  /** At most this many local and this many partner tracks per update; the rest `over-capacity`. Default 10,000. */
  readonly maxTracks?: number;
}

/** Counts of one update. */
export interface FusionStats {
  readonly locals: number;
  readonly partners: number;
  readonly gatedPairs: number;
  readonly clusters: number;
  /** Members (local + partner) of the largest cluster. */
  readonly largestCluster: number;
  readonly fusedPairs: number;
  /** Partner reports older than the previous fusion time, used after prediction. */
  readonly outOfSequence: number;
  /** Reports stamped after the fusion time, retrodicted to it. */
  readonly retrodicted: number;
}

/** What one update gives: the joint picture at `tovUs`, what was left out, and counts. */
export interface FusionUpdate {
  readonly tovUs: number;
  /** Local-anchored tracks by local id, then partner-only tracks by node and id. */
  readonly tracks: readonly JointTrack[];
  readonly rejected: readonly Rejection[];
  readonly stats: FusionStats;
}

/** Thrown for options that cannot work (not for bad track data: that is rejected and counted). */
export class FusionConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FusionConfigError';
  }
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A plain-array copy of `length` values at `offset` (plain arrays: JSON-safe, cheap to allocate). */
function copyOut(source: Float64Array, offset: number, length: number): number[] {
  const out = new Array<number>(length);
  for (let q = 0; q < length; q++) out[q] = source[offset + q]!;
  return out;
}

class Store implements PackedTracks {
  count = 0;
  state = new Float64Array(0);
  cov = new Float64Array(0);
  reserve(n: number): void {
    if (this.state.length >= n * STATE_DIM) return;
    const cap = Math.max(n, (this.state.length / STATE_DIM) * 2, 16);
    this.state = new Float64Array(cap * STATE_DIM);
    this.cov = new Float64Array(cap * COV_SIZE);
  }
}

/** The fusion engine of one node: keeps the joint id table, the last fusion time and scratch. */
export class TrackFuser {
  private readonly gateChi2: number;
  private readonly q: number;
  private readonly omega: OmegaCriterion;
  private readonly maxAgeUs: number;
  private readonly maxFutureUs: number;
  private readonly maxTracks: number;
  private readonly frames: FrameConverter;
  private readonly ids = new JointIdTable();
  private readonly associator = new Associator();
  private readonly ci = new CiWorkspace();
  private readonly locals = new Store();
  private readonly partners = new Store();
  private readonly fused = new Store();
  private readonly chol = new Float64Array(COV_SIZE);
  private readonly outState = new Float64Array(STATE_DIM);
  private readonly outCov = new Float64Array(COV_SIZE);
  private lastFusedUs = Number.NEGATIVE_INFINITY;

  /** Throws FusionConfigError for a non-positive gate, noise or bound, and GeoError for a bad site. */
  constructor(readonly options: FusionOptions) {
    this.gateChi2 = options.gateChi2 ?? CHI2_6DOF_99;
    this.q = options.processNoiseM2PerS3 ?? 10;
    this.omega = options.omega ?? 'determinant';
    this.maxAgeUs = options.maxAgeUs ?? 30_000_000;
    this.maxFutureUs = options.maxFutureUs ?? 2_000_000;
    this.maxTracks = options.maxTracks ?? 10_000;
    for (const [name, v] of [
      ['gateChi2', this.gateChi2],
      ['maxAgeUs', this.maxAgeUs],
      ['maxTracks', this.maxTracks],
    ] as const)
      if (!(v > 0) || !Number.isFinite(v)) throw new FusionConfigError(`fusion: ${name} must be a positive number`);
    if (!(this.q >= 0) || !Number.isFinite(this.q))
      throw new FusionConfigError('fusion: processNoiseM2PerS3 must be ≥ 0');
    if (!(this.maxFutureUs >= 0)) throw new FusionConfigError('fusion: maxFutureUs must be ≥ 0');
    if (!['determinant', 'trace', 'fast'].includes(this.omega))
      throw new FusionConfigError(`fusion: omega must be determinant, trace or fast`);
    if (typeof options.ownNodeId !== 'string' || options.ownNodeId.length === 0)
      throw new FusionConfigError('fusion: ownNodeId must be a non-empty string');
    this.frames = new FrameConverter(new LocalFrame(options.site));
  }

  /** The fusion frame (this node's ENU). */
  get frame(): LocalFrame {
    return this.frames.fusion;
  }

  private timeReason(tovUs: number, atUs: number): RejectReason | undefined {
    if (tovUs - atUs > this.maxFutureUs) return 'future-dated';
    if (atUs - tovUs > this.maxAgeUs) return 'stale';
    return undefined;
  }

  /**
   * Fuses `locals` and `partners` at `fusionTimeUs` (UTC µs). Never throws for bad track data:
   * such inputs are in `rejected`. Throws FusionConfigError for a non-finite fusion time.
   */
  fuse(fusionTimeUs: number, locals: readonly LocalTrack[], partners: readonly PartnerTrack[]): FusionUpdate {
    if (!Number.isFinite(fusionTimeUs)) throw new FusionConfigError('fusion: the fusion time must be finite');
    const rejected: Rejection[] = [];
    let retrodicted = 0;
    let outOfSequence = 0;
    const reject = (
      kind: 'local' | 'partner',
      t: { pedigree?: { nodeId?: unknown }; trackId?: unknown },
      reason: RejectReason,
    ): void => {
      rejected.push({
        kind,
        nodeId: typeof t?.pedigree?.nodeId === 'string' ? t.pedigree.nodeId : '',
        trackId: typeof t?.trackId === 'string' ? t.trackId : '',
        reason,
      });
    };

    // ---- locals: validate, dedupe, order by id
    const localByid = new Map<string, LocalTrack>();
    for (const t of locals) {
      if (!isWellFormed(t) || t.kind !== 'local') {
        reject('local', t, 'malformed');
        continue;
      }
      const why = this.timeReason(t.tovUs, fusionTimeUs);
      if (why !== undefined) {
        reject('local', t, why);
        continue;
      }
      const held = localByid.get(t.trackId);
      if (held === undefined) localByid.set(t.trackId, t);
      else if (t.tovUs > held.tovUs) {
        reject('local', held, 'duplicate');
        localByid.set(t.trackId, t);
      } else reject('local', t, 'duplicate');
    }
    let localList = [...localByid.values()].sort((a, b) => byString(a.trackId, b.trackId));
    if (localList.length > this.maxTracks) {
      for (const t of localList.slice(this.maxTracks)) reject('local', t, 'over-capacity');
      localList = localList.slice(0, this.maxTracks);
    }
    const L = this.locals;
    L.reserve(localList.length);
    const keptLocals: LocalTrack[] = [];
    for (const t of localList) {
      const k = keptLocals.length;
      if (!isSymmetric(t.covariance)) {
        reject('local', t, 'bad-covariance');
        continue;
      }
      for (let q = 0; q < STATE_DIM; q++) L.state[k * STATE_DIM + q] = t.state[q]!;
      for (let q = 0; q < COV_SIZE; q++) L.cov[k * COV_SIZE + q] = t.covariance[q]!;
      if (!this.alignAndCheck(L, k, t.tovUs, fusionTimeUs)) {
        reject('local', t, 'bad-covariance');
        continue;
      }
      if (t.tovUs > fusionTimeUs) retrodicted++;
      keptLocals.push(t);
    }
    L.count = keptLocals.length;

    // ---- partners: validate, keep the newest report per (node, track), order by node then id
    const partnerByKey = new Map<string, PartnerTrack>();
    for (const t of partners) {
      if (!isWellFormed(t) || t.kind !== 'partner' || t.pedigree.nodeId === this.options.ownNodeId) {
        reject('partner', t, 'malformed');
        continue;
      }
      const why = this.timeReason(t.tovUs, fusionTimeUs);
      if (why !== undefined) {
        reject('partner', t, why);
        continue;
      }
      const key = partnerKey(t.pedigree.nodeId, t.trackId);
      const held = partnerByKey.get(key);
      if (held === undefined) partnerByKey.set(key, t);
      else if (t.tovUs > held.tovUs) {
        reject('partner', held, 'superseded');
        partnerByKey.set(key, t);
      } else reject('partner', t, 'superseded');
    }
    let partnerEntries = [...partnerByKey.entries()].sort(
      ([, a], [, b]) => byString(a.pedigree.nodeId, b.pedigree.nodeId) || byString(a.trackId, b.trackId),
    );
    if (partnerEntries.length > this.maxTracks) {
      for (const [, t] of partnerEntries.slice(this.maxTracks)) reject('partner', t, 'over-capacity');
      partnerEntries = partnerEntries.slice(0, this.maxTracks);
    }
    const P = this.partners;
    P.reserve(partnerEntries.length);
    const keptPartners: PartnerTrack[] = [];
    const keptPartnerKeys: string[] = [];
    for (const [key, t] of partnerEntries) {
      const k = keptPartners.length;
      if (!isSymmetric(t.covariance)) {
        reject('partner', t, 'bad-covariance');
        continue;
      }
      try {
        this.frames.convert(t.frame, t.state, t.covariance, P.state, k * STATE_DIM, P.cov, k * COV_SIZE);
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
      keptPartners.push(t);
      keptPartnerKeys.push(key);
    }
    P.count = keptPartners.length;

    // ---- association and fusion, partner node by partner node
    const F = this.fused;
    F.reserve(L.count);
    F.state.set(L.state.subarray(0, L.count * STATE_DIM));
    F.cov.set(L.cov.subarray(0, L.count * COV_SIZE));
    F.count = L.count;
    const matchedPartner = new Int32Array(P.count).fill(-1);
    const partnersOf: (number[] | undefined)[] = new Array<number[] | undefined>(L.count);
    const costsOf: (number[] | undefined)[] = new Array<number[] | undefined>(L.count);
    let gatedPairs = 0;
    let clusters = 0;
    let largestCluster = 0;
    let fusedPairs = 0;
    for (let from = 0; from < P.count;) {
      const node = keptPartners[from]!.pedigree.nodeId;
      let to = from + 1;
      while (to < P.count && keptPartners[to]!.pedigree.nodeId === node) to++;
      this.associator.gate(L, P, from, to, this.gateChi2);
      const stats = this.associator.assign(L.count, from, to, this.gateChi2, (i, j, d2) => {
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
          this.omega,
          this.ci,
        );
        if (Number.isNaN(omega)) return; // cannot happen for checked inputs; leave both unfused
        F.state.set(this.outState, i * STATE_DIM);
        F.cov.set(this.outCov, i * COV_SIZE);
        matchedPartner[j] = i;
        (partnersOf[i] ??= []).push(j);
        (costsOf[i] ??= []).push(d2);
        fusedPairs++;
      });
      gatedPairs += stats.gatedPairs;
      clusters += stats.clusters;
      largestCluster = Math.max(largestCluster, stats.largestCluster);
      from = to;
    }

    // ---- joint tracks and their ids
    const groups: string[][] = [];
    const hasLocal: boolean[] = [];
    const own = this.options.ownNodeId;
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
    for (let i = 0; i < L.count; i++) {
      const keys = [localKey(keptLocals[i]!.trackId)];
      for (const j of partnersOf[i] ?? [])
        keys.push(partnerKey(keptPartners[j]!.pedigree.nodeId, keptPartners[j]!.trackId));
      groups.push(keys);
      hasLocal.push(true);
    }
    for (let j = 0; j < P.count; j++) {
      if (matchedPartner[j] !== -1) continue;
      groups.push([keptPartnerKeys[j]!]);
      hasLocal.push(false);
    }
    const jointIds = this.ids.assign(groups, hasLocal);
    const tracks: JointTrack[] = [];
    for (let i = 0; i < L.count; i++) {
      const t = keptLocals[i]!;
      const js = partnersOf[i];
      let identity = t.identity;
      let quality = t.quality;
      const members: MemberRef[] = [localRef(t)];
      if (js !== undefined)
        for (const j of js) {
          const p = keptPartners[j]!;
          identity = combineIdentity(identity, p.identity);
          quality = Math.max(quality, p.quality);
          members.push(partnerRef(p));
        }
      tracks.push({
        kind: 'joint',
        jointId: jointIds[tracks.length]!,
        source: js !== undefined ? 'fused' : 'local',
        tovUs: fusionTimeUs,
        state: copyOut(F.state, i * STATE_DIM, STATE_DIM),
        covariance: copyOut(F.cov, i * COV_SIZE, COV_SIZE),
        identity,
        quality,
        members,
        associationCost: costsOf[i] ?? [],
      });
    }
    for (let j = 0; j < P.count; j++) {
      if (matchedPartner[j] !== -1) continue;
      const p = keptPartners[j]!;
      tracks.push({
        kind: 'joint',
        jointId: jointIds[tracks.length]!,
        source: 'partner',
        tovUs: fusionTimeUs,
        state: copyOut(P.state, j * STATE_DIM, STATE_DIM),
        covariance: copyOut(P.cov, j * COV_SIZE, COV_SIZE),
        identity: p.identity,
        quality: p.quality,
        members: [partnerRef(p)],
        associationCost: [],
      });
    }
    this.lastFusedUs = Math.max(this.lastFusedUs, fusionTimeUs);
    return {
      tovUs: fusionTimeUs,
      tracks,
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
  private alignAndCheck(store: Store, k: number, tovUs: number, atUs: number): boolean {
    const c = k * COV_SIZE;
    const cov = store.cov;
    for (let i = 0; i < STATE_DIM; i++)
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (cov[c + i * STATE_DIM + j]! + cov[c + j * STATE_DIM + i]!);
        cov[c + i * STATE_DIM + j] = m;
        cov[c + j * STATE_DIM + i] = m;
      }
    if (!cholesky(cov, c, this.chol, 0, STATE_DIM)) return false;
    predictConstantVelocity(store.state, k * STATE_DIM, cov, c, (atUs - tovUs) / 1e6, this.q);
    return true;
  }
}
