import {
  AXIS_STRIDE,
  axisPredictUpdate,
  createAxisIo,
  IO_ACCEL_MPS2,
  IO_DT_S,
  IO_LOG_LIKELIHOOD,
  IO_Q_M2_PER_S3,
  IO_R_POS_M2,
  IO_R_VEL_M2,
  IO_Z_POS_M,
  IO_Z_VEL_MPS,
} from './axis-kalman.js';
import {
  FILTER_EAST,
  FILTER_NORTH,
  FILTER_UP_BALLISTIC,
  FILTER_UP_CV,
  IMM_BALLISTIC,
  IMM_CV,
  IMM_DRAG,
  IMM_MANOEUVRE,
  IMM_MODEL_STRIDE as MODEL_STRIDE,
  IMM_MODELS,
  IMM_PROB,
} from './filter-layout.js';

/** Names of the models, by index (events, reports). */
export const IMM_MODEL_NAMES = ['constant-velocity', 'ballistic', 'ballistic-drag', 'manoeuvre'] as const;

/** Sea-level density and scale height of the drag model's exponential atmosphere. */
const RHO0_KG_PER_M3 = 1.225;
const SCALE_HEIGHT_M = 7200;

/** IMM parameters (from the tracking config). */
export interface ImmParameters {
  /** Process noise of the constant-velocity model, m²/s³. */
  readonly cvProcessNoiseM2PerS3: number;
  /** Process noise of the ballistic models, m²/s³. */
  readonly ballisticProcessNoiseM2PerS3: number;
  /** Process noise of the manoeuvre model, m²/s³. */
  readonly manoeuvreProcessNoiseM2PerS3: number;
  /** Ballistic coefficient assumed by the drag model, kg/m². */
  readonly dragBallisticCoefficientKgPerM2: number;
  /** Probability a model stays in force from one update to the next (the rest split evenly). */
  readonly stayProbability: number;
  readonly gravityMps2: number;
}

/**
 * Interacting multiple models (Blom & Bar-Shalom) over the tracker's per-axis position-velocity
 * filters (axis-kalman.ts): four motion models run side by side on every track, each three axis
 * filters (east, north, up):
 *
 * - `IMM_CV`: constant velocity, low process noise;
 * - `IMM_BALLISTIC`: gravity as a known input, no drag;
 * - `IMM_DRAG`: gravity and drag −ρ(h)·|v|·v/(2β) of an assumed ballistic coefficient β in an
 *   exponential atmosphere, as a known input evaluated on the model's own mixed state;
 * - `IMM_MANOEUVRE`: constant velocity with high process noise (turns, weaves, dives).
 *
 * Each update: mix the model states by the Markov switching matrix and the model
 * probabilities, predict-update each model with the measurement, weigh each by its likelihood
 * (product over the three axes), and combine. Axes stay decoupled inside a model; the combined
 * covariance keeps each axis's 2×2 block (the cross-axis terms of the mixture spread are
 * dropped). Everything lives in one Float64Array block per track and a few scratch arrays:
 * no allocation per update. The block's layout is in filter-layout.ts. One `ImmFilter` is the
 * scratch of one tracker: reused by every update of every track.
 */
export class ImmFilter {
  private readonly io = createAxisIo();
  private readonly mixed = new Float64Array(IMM_MODELS * MODEL_STRIDE);
  private readonly mixWeights = new Float64Array(IMM_MODELS * IMM_MODELS);
  private readonly predicted = new Float64Array(IMM_MODELS);
  private readonly logLikelihood = new Float64Array(IMM_MODELS);
  private readonly q = new Float64Array(IMM_MODELS);

  constructor(private readonly params: ImmParameters) {
    this.q[IMM_CV] = params.cvProcessNoiseM2PerS3;
    this.q[IMM_BALLISTIC] = params.ballisticProcessNoiseM2PerS3;
    this.q[IMM_DRAG] = params.ballisticProcessNoiseM2PerS3;
    this.q[IMM_MANOEUVRE] = params.manoeuvreProcessNoiseM2PerS3;
  }

  /** Starts every model of the block at `o` on a position-velocity measurement; equal probabilities. */
  init(block: Float64Array, o: number, z: Float64Array, rPosM2: number, rVelM2: number): void {
    for (let j = 0; j < IMM_MODELS; j++) {
      for (let axis = 0; axis < 3; axis++) {
        const a = o + j * MODEL_STRIDE + axis * AXIS_STRIDE;
        block[a] = z[axis]!;
        block[a + 1] = z[3 + axis]!;
        block[a + 2] = rPosM2;
        block[a + 3] = 0;
        block[a + 4] = rVelM2;
      }
      block[o + IMM_PROB + j] = 1 / IMM_MODELS;
    }
  }

  /**
   * One tracker step on the IMM block at `o`: {@link update}, then the combined estimate written
   * to the track's axis filters at `filters[fo]` (layout FILTER_*; both vertical filters get the
   * combined vertical axis). Returns the probability of the ballistic models (with and without
   * drag), which classes the track.
   */
  step(
    block: Float64Array,
    o: number,
    dtS: number,
    z: Float64Array,
    rPosM2: number,
    rVelM2: number,
    filters: Float64Array,
    fo: number,
  ): number {
    this.update(block, o, dtS, z, rPosM2, rVelM2);
    this.combineAxis(block, o, 0, filters, fo + FILTER_EAST);
    this.combineAxis(block, o, 1, filters, fo + FILTER_NORTH);
    this.combineAxis(block, o, 2, filters, fo + FILTER_UP_CV);
    for (let k = 0; k < AXIS_STRIDE; k++) filters[fo + FILTER_UP_BALLISTIC + k] = filters[fo + FILTER_UP_CV + k]!;
    return block[o + IMM_PROB + IMM_BALLISTIC]! + block[o + IMM_PROB + IMM_DRAG]!;
  }

  /**
   * One IMM cycle on the block at `o`: dtS >= 0 since its state, measurement z = [east, north,
   * up, eastMps, northMps, upMps] with variances rPosM2, rVelM2.
   */
  update(block: Float64Array, o: number, dtS: number, z: Float64Array, rPosM2: number, rVelM2: number): void {
    const p = this.params;
    const stay = p.stayProbability;
    const move = (1 - stay) / (IMM_MODELS - 1);
    const w = this.mixWeights;
    const c = this.predicted;
    // c_j = Σ_i π_ij μ_i; w[i·M + j] = π_ij μ_i / c_j.
    for (let j = 0; j < IMM_MODELS; j++) {
      let cj = 0;
      for (let i = 0; i < IMM_MODELS; i++) {
        const v = (i === j ? stay : move) * block[o + IMM_PROB + i]!;
        w[i * IMM_MODELS + j] = v;
        cj += v;
      }
      c[j] = cj;
      for (let i = 0; i < IMM_MODELS; i++) w[i * IMM_MODELS + j] = cj > 0 ? w[i * IMM_MODELS + j]! / cj : 0;
    }
    // Mixed initial state and covariance of each model, per axis.
    const m = this.mixed;
    for (let j = 0; j < IMM_MODELS; j++) {
      for (let axis = 0; axis < 3; axis++) {
        const out = j * MODEL_STRIDE + axis * AXIS_STRIDE;
        let x0 = 0;
        let x1 = 0;
        for (let i = 0; i < IMM_MODELS; i++) {
          const wi = w[i * IMM_MODELS + j]!;
          const a = o + i * MODEL_STRIDE + axis * AXIS_STRIDE;
          x0 += wi * block[a]!;
          x1 += wi * block[a + 1]!;
        }
        let p00 = 0;
        let p01 = 0;
        let p11 = 0;
        for (let i = 0; i < IMM_MODELS; i++) {
          const wi = w[i * IMM_MODELS + j]!;
          const a = o + i * MODEL_STRIDE + axis * AXIS_STRIDE;
          const d0 = block[a]! - x0;
          const d1 = block[a + 1]! - x1;
          p00 += wi * (block[a + 2]! + d0 * d0);
          p01 += wi * (block[a + 3]! + d0 * d1);
          p11 += wi * (block[a + 4]! + d1 * d1);
        }
        m[out] = x0;
        m[out + 1] = x1;
        m[out + 2] = p00;
        m[out + 3] = p01;
        m[out + 4] = p11;
      }
    }
    // Model-matched predict-update, from the mixed state, back into the block.
    const io = this.io;
    io[IO_DT_S] = dtS;
    io[IO_R_POS_M2] = rPosM2;
    io[IO_R_VEL_M2] = rVelM2;
    let maxLl = -Infinity;
    for (let j = 0; j < IMM_MODELS; j++) {
      const base = o + j * MODEL_STRIDE;
      for (let k = 0; k < MODEL_STRIDE; k++) block[base + k] = m[j * MODEL_STRIDE + k]!;
      let dragK = 0;
      if (j === IMM_DRAG) {
        const vx = block[base + 1]!;
        const vy = block[base + AXIS_STRIDE + 1]!;
        const vz = block[base + 2 * AXIS_STRIDE + 1]!;
        const upM = block[base + 2 * AXIS_STRIDE]!;
        const rho = RHO0_KG_PER_M3 * Math.exp(-(upM > 0 ? upM : 0) / SCALE_HEIGHT_M);
        dragK = (rho * Math.sqrt(vx * vx + vy * vy + vz * vz)) / (2 * p.dragBallisticCoefficientKgPerM2);
      }
      io[IO_Q_M2_PER_S3] = this.q[j]!;
      let ll = 0;
      for (let axis = 0; axis < 3; axis++) {
        const a = base + axis * AXIS_STRIDE;
        let accel = -dragK * block[a + 1]!;
        if (axis === 2 && (j === IMM_BALLISTIC || j === IMM_DRAG)) accel -= p.gravityMps2;
        io[IO_ACCEL_MPS2] = accel;
        io[IO_Z_POS_M] = z[axis]!;
        io[IO_Z_VEL_MPS] = z[3 + axis]!;
        axisPredictUpdate(block, a, io);
        ll += io[IO_LOG_LIKELIHOOD]!;
      }
      this.logLikelihood[j] = ll;
      if (ll > maxLl) maxLl = ll;
    }
    // μ_j ∝ c_j · Λ_j (log-sum-exp: likelihoods of far-off models underflow).
    let sum = 0;
    for (let j = 0; j < IMM_MODELS; j++) {
      const v = c[j]! * Math.exp(this.logLikelihood[j]! - maxLl);
      block[o + IMM_PROB + j] = v;
      sum += v;
    }
    for (let j = 0; j < IMM_MODELS; j++) {
      // A floor keeps every model alive, so that a switch back is always possible.
      const mu = sum > 0 ? block[o + IMM_PROB + j]! / sum : 1 / IMM_MODELS;
      block[o + IMM_PROB + j] = mu < 1e-6 ? 1e-6 : mu;
    }
  }

  /**
   * The combined estimate of axis `axis` (0 east, 1 north, 2 up) of the block at `o`, written
   * as one axis filter [p, v, P00, P01, P11] at `out[outOffset]`.
   */
  combineAxis(block: Float64Array, o: number, axis: number, out: Float64Array, outOffset: number): void {
    let x0 = 0;
    let x1 = 0;
    let total = 0;
    for (let j = 0; j < IMM_MODELS; j++) total += block[o + IMM_PROB + j]!;
    for (let j = 0; j < IMM_MODELS; j++) {
      const mu = block[o + IMM_PROB + j]! / total;
      const a = o + j * MODEL_STRIDE + axis * AXIS_STRIDE;
      x0 += mu * block[a]!;
      x1 += mu * block[a + 1]!;
    }
    let p00 = 0;
    let p01 = 0;
    let p11 = 0;
    for (let j = 0; j < IMM_MODELS; j++) {
      const mu = block[o + IMM_PROB + j]! / total;
      const a = o + j * MODEL_STRIDE + axis * AXIS_STRIDE;
      const d0 = block[a]! - x0;
      const d1 = block[a + 1]! - x1;
      p00 += mu * (block[a + 2]! + d0 * d0);
      p01 += mu * (block[a + 3]! + d0 * d1);
      p11 += mu * (block[a + 4]! + d1 * d1);
    }
    out[outOffset] = x0;
    out[outOffset + 1] = x1;
    out[outOffset + 2] = p00;
    out[outOffset + 3] = p01;
    out[outOffset + 4] = p11;
  }
}
