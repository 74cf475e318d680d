/**
 * Bringing a shared state into the fusion frame (this node's ENU): the position by the rigid
 * transform between the frames (p' = R p + t, built once per source site through ECEF with
 * src/geo: exact up to rounding), the velocity and the covariance by the rotation between the frames'
 * axes, P' = R P Rᵀ with R = diag(R₃, R₃). The rotation of each distinct source frame is
 * computed once and cached (bounded: at most `maxFrames` sites, oldest forgotten first).
 */
import { type GeodeticPosition, LocalFrame } from '../geo/index.js';
import type { TrackFrame } from './tracks.js';

interface FrameCache {
  readonly from: LocalFrame | null; // null: ECEF
  readonly origin: GeodeticPosition | null;
  readonly rotation: Float64Array; // 3×3, source axes → fusion ENU axes
  readonly translation: Float64Array; // the source origin in fusion ENU: p' = R p + t
}

/** Converts states and covariances from partner frames into one fusion frame. */
export class FrameConverter {
  private readonly cache = new Map<string, FrameCache>();
  private readonly tmp = new Float64Array(36);
  /** The input state and covariance, read once from the caller's arrays. */
  private readonly inState = new Float64Array(6);
  private readonly inCov = new Float64Array(36);

  /**
   * @param fusion this node's frame.
   * @param maxFrames how many distinct source sites to keep rotations for (default 64).
   */
  constructor(
    readonly fusion: LocalFrame,
    private readonly maxFrames = 64,
  ) {}

  private entry(frame: TrackFrame): FrameCache {
    // keyed by site id, the origin compared numerically (no string building per track)
    const key = frame.kind === 'ecef' ? '\u0000ecef' : frame.siteId;
    const found = this.cache.get(key);
    if (found !== undefined) {
      if (frame.kind === 'ecef') return found;
      const o = found.origin!;
      const f = frame.origin;
      if (o.latDeg === f.latDeg && o.lonDeg === f.lonDeg && o.heightM === f.heightM) return found;
      this.cache.delete(key); // the same id with another origin: a moved site
    }
    const from = frame.kind === 'ecef' ? null : new LocalFrame(frame.origin);
    const rotation = new Float64Array(9);
    const axes = [
      { eastM: 1, northM: 0, upM: 0 },
      { eastM: 0, northM: 1, upM: 0 },
      { eastM: 0, northM: 0, upM: 1 },
    ];
    for (let j = 0; j < 3; j++) {
      const unit = axes[j]!;
      const v =
        from === null
          ? this.fusion.rotateToEnu({ x: unit.eastM, y: unit.northM, z: unit.upM })
          : this.fusion.vectorFromFrame(from, unit);
      rotation[0 * 3 + j] = v.eastM;
      rotation[1 * 3 + j] = v.northM;
      rotation[2 * 3 + j] = v.upM;
    }
    if (this.cache.size >= this.maxFrames) this.cache.delete(this.cache.keys().next().value!);
    // both frames are rigid transforms of ECEF, so is the map between them: p' = R p + t
    const o =
      from === null
        ? this.fusion.enuOfEcef({ x: 0, y: 0, z: 0 })
        : this.fusion.enuFromFrame(from, { eastM: 0, northM: 0, upM: 0 });
    const translation = Float64Array.from([o.eastM, o.northM, o.upM]);
    const made = { from, origin: frame.kind === 'ecef' ? null : { ...frame.origin }, rotation, translation };
    this.cache.set(key, made);
    return made;
  }

  /**
   * Writes `state` (6) and `covariance` (36), given in `frame`, into `outState` at `sOff` and
   * `outCov` at `cOff` in the fusion frame. Throws GeoError for an ENU frame whose origin is
   * not a valid site.
   */
  convert(
    frame: TrackFrame,
    state: ArrayLike<number>,
    covariance: ArrayLike<number>,
    outState: Float64Array,
    sOff: number,
    outCov: Float64Array,
    cOff: number,
  ): void {
    const entry = this.entry(frame);
    const x = this.inState;
    const p = this.inCov;
    for (let q = 0; q < 6; q++) x[q] = state[q]!;
    for (let q = 0; q < 36; q++) p[q] = covariance[q]!;
    this.apply(entry, outState, sOff, outCov, cOff);
  }

  /**
   * {@link convert} in place: the state at `state[sOff]` and the covariance at `cov[cOff]`, given
   * in `frame`, are replaced by their values in the fusion frame. Throws GeoError (and leaves
   * them unchanged) for an ENU frame whose origin is not a valid site.
   */
  convertInPlace(frame: TrackFrame, state: Float64Array, sOff: number, cov: Float64Array, cOff: number): void {
    const entry = this.entry(frame);
    const x = this.inState;
    const p = this.inCov;
    for (let q = 0; q < 6; q++) x[q] = state[sOff + q]!;
    for (let q = 0; q < 36; q++) p[q] = cov[cOff + q]!;
    this.apply(entry, state, sOff, cov, cOff);
  }

  /**
   * p' = R p + t, v' = R v and P' = R6 P R6ᵀ (then symmetrised) of the input in the scratch
   * (`inState`, `inCov`). Unrolled over the 3×3 rotation; every element is the sum the general
   * loops form, in their order (test/fusion/frames.property.test.ts checks it bit for bit).
   */
  private apply(entry: FrameCache, outState: Float64Array, sOff: number, outCov: Float64Array, cOff: number): void {
    const r = entry.rotation;
    const t = entry.translation;
    const x = this.inState;
    const p = this.inCov;
    const r0 = r[0]!;
    const r1 = r[1]!;
    const r2 = r[2]!;
    const r3 = r[3]!;
    const r4 = r[4]!;
    const r5 = r[5]!;
    const r6 = r[6]!;
    const r7 = r[7]!;
    const r8 = r[8]!;
    const x0 = x[0]!;
    const x1 = x[1]!;
    const x2 = x[2]!;
    const x3 = x[3]!;
    const x4 = x[4]!;
    const x5 = x[5]!;
    outState[sOff + 0] = t[0]! + r0 * x0 + r1 * x1 + r2 * x2;
    outState[sOff + 3] = r0 * x3 + r1 * x4 + r2 * x5;
    outState[sOff + 1] = t[1]! + r3 * x0 + r4 * x1 + r5 * x2;
    outState[sOff + 4] = r3 * x3 + r4 * x4 + r5 * x5;
    outState[sOff + 2] = t[2]! + r6 * x0 + r7 * x1 + r8 * x2;
    outState[sOff + 5] = r6 * x3 + r7 * x4 + r8 * x5;
    // tmp = R6 · P (R6 block-diagonal): row block 0 from input rows 0–2, row block 1 from rows 3–5
    const tmp = this.tmp;
    for (let j = 0; j < 6; j++) {
      const p0 = p[j]!;
      const p1 = p[6 + j]!;
      const p2 = p[12 + j]!;
      const p3 = p[18 + j]!;
      const p4 = p[24 + j]!;
      const p5 = p[30 + j]!;
      tmp[j] = r0 * p0 + r1 * p1 + r2 * p2;
      tmp[6 + j] = r3 * p0 + r4 * p1 + r5 * p2;
      tmp[12 + j] = r6 * p0 + r7 * p1 + r8 * p2;
      tmp[18 + j] = r0 * p3 + r1 * p4 + r2 * p5;
      tmp[24 + j] = r3 * p3 + r4 * p4 + r5 * p5;
      tmp[30 + j] = r6 * p3 + r7 * p4 + r8 * p5;
    }
    // out = tmp · R6ᵀ
    for (let i = 0; i < 6; i++) {
      const o = cOff + i * 6;
      const t0 = tmp[i * 6]!;
      const t1 = tmp[i * 6 + 1]!;
      const t2 = tmp[i * 6 + 2]!;
      const t3 = tmp[i * 6 + 3]!;
      const t4 = tmp[i * 6 + 4]!;
      const t5 = tmp[i * 6 + 5]!;
      outCov[o] = t0 * r0 + t1 * r1 + t2 * r2;
      outCov[o + 1] = t0 * r3 + t1 * r4 + t2 * r5;
      outCov[o + 2] = t0 * r6 + t1 * r7 + t2 * r8;
      outCov[o + 3] = t3 * r0 + t4 * r1 + t5 * r2;
      outCov[o + 4] = t3 * r3 + t4 * r4 + t5 * r5;
      outCov[o + 5] = t3 * r6 + t4 * r7 + t5 * r8;
    }
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (outCov[cOff + i * 6 + j]! + outCov[cOff + j * 6 + i]!);
        outCov[cOff + i * 6 + j] = m;
        outCov[cOff + j * 6 + i] = m;
      }
  }
}
