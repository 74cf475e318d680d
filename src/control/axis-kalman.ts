/**
 * One axis of a position-velocity Kalman filter, stored as 5 numbers in a Float64Array so that a
 * track table holds thousands of filters without objects: [p, v, P00, P01, P11].
 *
 * Model: p' = p + v·dt + ½·a·dt², v' = v + a·dt with a known acceleration `a` (0, or -g on the
 * vertical axis of the ballistic model) and white-acceleration process noise of spectral density
 * q (m²/s³): Q = q·[[dt³/3, dt²/2], [dt²/2, dt]]. Measurement: position and velocity (the radar
 * reports both), R = diag(rp, rv).
 */
export const AXIS_STRIDE = 5;
const P = 0;
const V = 1;
const P00 = 2;
const P01 = 3;
const P11 = 4;

/** Starts a filter on a measurement. */
export function axisInit(
  f: Float64Array,
  o: number,
  posM: number,
  velMps: number,
  rPosM2: number,
  rVelM2: number,
): void {
  f[o + P] = posM;
  f[o + V] = velMps;
  f[o + P00] = rPosM2;
  f[o + P01] = 0;
  f[o + P11] = rVelM2;
}

/** Slots of an {@link AxisUpdate}'s `io` array. */
export const IO_DT_S = 0;
export const IO_ACCEL_MPS2 = 1;
export const IO_Q_M2_PER_S3 = 2;
export const IO_Z_POS_M = 3;
export const IO_Z_VEL_MPS = 4;
export const IO_R_POS_M2 = 5;
export const IO_R_VEL_M2 = 6;
/** Written by the update: innovation log-likelihood up to a constant. */
export const IO_LOG_LIKELIHOOD = 7;

/**
 * Predict-then-update parameters and result, passed through a Float64Array rather than as
 * number arguments and a number result: V8 boxes doubles crossing a call it does not inline, and
 * the tick path must not allocate.
 */
export function createAxisIo(): Float64Array {
  return new Float64Array(8);
}

/**
 * Predicts by io[IO_DT_S] (>= 0) with acceleration io[IO_ACCEL_MPS2] and process noise
 * io[IO_Q_M2_PER_S3], then updates with the position and velocity measurement io[IO_Z_*]
 * (variances io[IO_R_*]), in place. Writes the innovation log-likelihood up to a constant,
 * -½(yᵀS⁻¹y + ln det S), to io[IO_LOG_LIKELIHOOD]: it compares models of one axis fed the same
 * measurement.
 */
export function axisPredictUpdate(f: Float64Array, o: number, io: Float64Array): void {
  const dt = io[IO_DT_S]!;
  const accelMps2 = io[IO_ACCEL_MPS2]!;
  const qM2PerS3 = io[IO_Q_M2_PER_S3]!;
  const zPosM = io[IO_Z_POS_M]!;
  const zVelMps = io[IO_Z_VEL_MPS]!;
  const rPosM2 = io[IO_R_POS_M2]!;
  const rVelM2 = io[IO_R_VEL_M2]!;
  const dt2 = dt * dt;
  const p = f[o + P]! + f[o + V]! * dt + 0.5 * accelMps2 * dt2;
  const v = f[o + V]! + accelMps2 * dt;
  const a00 = f[o + P00]!;
  const a01 = f[o + P01]!;
  const a11 = f[o + P11]!;
  const c00 = a00 + 2 * dt * a01 + dt2 * a11 + (qM2PerS3 * dt2 * dt) / 3;
  const c01 = a01 + dt * a11 + (qM2PerS3 * dt2) / 2;
  const c11 = a11 + qM2PerS3 * dt;
  const s00 = c00 + rPosM2;
  const s01 = c01;
  const s11 = c11 + rVelM2;
  const det = s00 * s11 - s01 * s01;
  const i00 = s11 / det;
  const i01 = -s01 / det;
  const i11 = s00 / det;
  // K = C·S⁻¹
  const k00 = c00 * i00 + c01 * i01;
  const k01 = c00 * i01 + c01 * i11;
  const k10 = c01 * i00 + c11 * i01;
  const k11 = c01 * i01 + c11 * i11;
  const y0 = zPosM - p;
  const y1 = zVelMps - v;
  f[o + P] = p + k00 * y0 + k01 * y1;
  f[o + V] = v + k10 * y0 + k11 * y1;
  // P = (I - K)·C, symmetrised by computing the upper triangle only.
  f[o + P00] = (1 - k00) * c00 - k01 * c01;
  f[o + P01] = (1 - k00) * c01 - k01 * c11;
  f[o + P11] = -k10 * c01 + (1 - k11) * c11;
  const mahalanobis = y0 * (i00 * y0 + i01 * y1) + y1 * (i01 * y0 + i11 * y1);
  io[IO_LOG_LIKELIHOOD] = -0.5 * (mahalanobis + Math.log(det));
}

/** Predicted position variance after `dtS` without changing the filter (association gates). */
export function axisPredictedPosVarM2(f: Float64Array, o: number, dtS: number, qM2PerS3: number): number {
  const dt2 = dtS * dtS;
  return f[o + P00]! + 2 * dtS * f[o + P01]! + dt2 * f[o + P11]! + (qM2PerS3 * dt2 * dtS) / 3;
}
