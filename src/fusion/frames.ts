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
    state: readonly number[],
    covariance: readonly number[],
    outState: Float64Array,
    sOff: number,
    outCov: Float64Array,
    cOff: number,
  ): void {
    const { rotation: r, translation: t } = this.entry(frame);
    for (let i = 0; i < 3; i++) {
      outState[sOff + i] = t[i]! + r[i * 3]! * state[0]! + r[i * 3 + 1]! * state[1]! + r[i * 3 + 2]! * state[2]!;
      outState[sOff + 3 + i] = r[i * 3]! * state[3]! + r[i * 3 + 1]! * state[4]! + r[i * 3 + 2]! * state[5]!;
    }
    // tmp = R6 · P (R6 block-diagonal), then out = tmp · R6ᵀ
    const tmp = this.tmp;
    for (let i = 0; i < 6; i++) {
      const bi = i < 3 ? 0 : 3;
      const ri = (i - bi) * 3;
      for (let j = 0; j < 6; j++)
        tmp[i * 6 + j] =
          r[ri]! * covariance[bi * 6 + j]! +
          r[ri + 1]! * covariance[(bi + 1) * 6 + j]! +
          r[ri + 2]! * covariance[(bi + 2) * 6 + j]!;
    }
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++) {
        const bj = j < 3 ? 0 : 3;
        const rj = (j - bj) * 3;
        outCov[cOff + i * 6 + j] =
          tmp[i * 6 + bj]! * r[rj]! + tmp[i * 6 + bj + 1]! * r[rj + 1]! + tmp[i * 6 + bj + 2]! * r[rj + 2]!;
      }
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < i; j++) {
        const m = 0.5 * (outCov[cOff + i * 6 + j]! + outCov[cOff + j * 6 + i]!);
        outCov[cOff + i * 6 + j] = m;
        outCov[cOff + j * 6 + i] = m;
      }
  }
}
