/**
 * Constant-velocity prediction with continuous white-noise acceleration (spectral density q,
 * m²/s³, the same on each axis), in place on a packed state (6) and covariance (36):
 *
 *   x' = F x,  F = [I dt·I; 0 I]
 *   P' = F P Fᵀ + Q,  Q = q [|dt|³/3·I, dt|dt|/2·I; dt|dt|/2·I, |dt|·I]
 *
 * A negative dt retrodicts (a partner report stamped after the fusion time): the state runs
 * backwards and the noise is still added (|dt|), so the covariance only ever grows.
 */

/** Predicts the state at `sOff` and covariance at `cOff` by `dtS` seconds. Allocates nothing. */
export function predictConstantVelocity(
  state: Float64Array,
  sOff: number,
  cov: Float64Array,
  cOff: number,
  dtS: number,
  qM2PerS3: number,
): void {
  if (dtS === 0) return;
  for (let i = 0; i < 3; i++) state[sOff + i] = state[sOff + i]! + dtS * state[sOff + 3 + i]!;
  const dt = dtS;
  const adt = Math.abs(dt);
  const qpp = (qM2PerS3 * adt * adt * adt) / 3;
  const qpv = (qM2PerS3 * dt * adt) / 2;
  const qvv = qM2PerS3 * adt;
  // blocks: A = Ppp, B = Ppv, C = Pvp (= Bᵀ), D = Pvv
  // A' = A + dt(B + C) + dt² D; B' = B + dt D; C' = C + dt D
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) {
      const a = cOff + i * 6 + j;
      const b = cOff + i * 6 + j + 3;
      const c = cOff + (i + 3) * 6 + j;
      const d = cOff + (i + 3) * 6 + j + 3;
      const dv = cov[d]!;
      cov[a] = cov[a]! + dt * (cov[b]! + cov[c]!) + dt * dt * dv;
      cov[b] = cov[b]! + dt * dv;
      cov[c] = cov[c]! + dt * dv;
    }
  for (let i = 0; i < 3; i++) {
    cov[cOff + i * 7] = cov[cOff + i * 7]! + qpp;
    cov[cOff + i * 6 + i + 3] = cov[cOff + i * 6 + i + 3]! + qpv;
    cov[cOff + (i + 3) * 6 + i] = cov[cOff + (i + 3) * 6 + i]! + qpv;
    cov[cOff + (i + 3) * 7] = cov[cOff + (i + 3) * 7]! + qvv;
  }
}
