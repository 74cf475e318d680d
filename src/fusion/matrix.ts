/**
 * Small dense symmetric-matrix kernels for the fusion (6×6 state covariances, row-major, in
 * Float64Arrays at an offset so that a packed store of many matrices needs no per-track objects).
 * Every function writes into caller-owned arrays and allocates nothing.
 */

/** Dimension of a track state: position east, north, up (m) and velocity (m/s). */
export const STATE_DIM = 6;
/** Entries of one state covariance. */
export const COV_SIZE = STATE_DIM * STATE_DIM;

/**
 * Cholesky factor L (lower, row-major n×n at `lOff`) of the symmetric matrix at `aOff` (only its
 * lower triangle is read). Returns false, leaving `l` partly written, when the matrix is not
 * positive definite (a pivot ≤ 0 or not finite).
 */
export function cholesky(a: Float64Array, aOff: number, l: Float64Array, lOff: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[aOff + i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[lOff + i * n + k]! * l[lOff + j * n + k]!;
      if (i === j) {
        if (!(sum > 0) || !Number.isFinite(sum)) return false;
        l[lOff + i * n + i] = Math.sqrt(sum);
      } else {
        l[lOff + i * n + j] = sum / l[lOff + j * n + j]!;
      }
    }
    for (let j = i + 1; j < n; j++) l[lOff + i * n + j] = 0;
  }
  return true;
}

/** Solves L Lᵀ x = b in place (`b` at `bOff`, length n) with the Cholesky factor at `lOff`. */
export function choleskySolve(l: Float64Array, lOff: number, b: Float64Array, bOff: number, n: number): void {
  for (let i = 0; i < n; i++) {
    let sum = b[bOff + i]!;
    for (let k = 0; k < i; k++) sum -= l[lOff + i * n + k]! * b[bOff + k]!;
    b[bOff + i] = sum / l[lOff + i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[bOff + i]!;
    for (let k = i + 1; k < n; k++) sum -= l[lOff + k * n + i]! * b[bOff + k]!;
    b[bOff + i] = sum / l[lOff + i * n + i]!;
  }
}

/** log det of the matrix whose Cholesky factor is at `lOff`. */
export function logDetFromCholesky(l: Float64Array, lOff: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.log(l[lOff + i * n + i]!);
  return 2 * sum;
}

/**
 * Inverse (at `outOff`) of a symmetric positive-definite matrix given by its Cholesky factor,
 * column by column; `col` is scratch of length ≥ n. The result is symmetrised exactly.
 */
export function inverseFromCholesky(
  l: Float64Array,
  lOff: number,
  out: Float64Array,
  outOff: number,
  n: number,
  col: Float64Array,
): void {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) col[i] = i === j ? 1 : 0;
    choleskySolve(l, lOff, col, 0, n);
    for (let i = 0; i < n; i++) out[outOff + i * n + j] = col[i]!;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (out[outOff + i * n + j]! + out[outOff + j * n + i]!);
      out[outOff + i * n + j] = m;
      out[outOff + j * n + i] = m;
    }
}

/**
 * Squared Mahalanobis distance dᵀ S⁻¹ d for the difference `d` (length n, at `dOff`) and the
 * Cholesky factor of S at `lOff`; `tmp` is scratch of length ≥ n.
 */
export function mahalanobisSquared(
  l: Float64Array,
  lOff: number,
  d: Float64Array,
  dOff: number,
  n: number,
  tmp: Float64Array,
): number {
  // forward substitution only: |L⁻¹ d|²
  let sum2 = 0;
  for (let i = 0; i < n; i++) {
    let sum = d[dOff + i]!;
    for (let k = 0; k < i; k++) sum -= l[lOff + i * n + k]! * tmp[k]!;
    const y = sum / l[lOff + i * n + i]!;
    tmp[i] = y;
    sum2 += y * y;
  }
  return sum2;
}

/**
 * Eigenvalues of a symmetric n×n matrix (cyclic Jacobi rotations, at most 50 sweeps), written
 * ascending into `values`; `work` is scratch of length ≥ n². For checks and tests, not the hot path.
 */
export function symmetricEigenvalues(
  a: Float64Array,
  aOff: number,
  n: number,
  values: Float64Array,
  work: Float64Array,
): void {
  for (let i = 0; i < n * n; i++) work[i] = a[aOff + i]!;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += work[p * n + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = work[p * n + q]!;
        if (apq === 0) continue;
        const theta = (work[q * n + q]! - work[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = work[k * n + p]!;
          const akq = work[k * n + q]!;
          work[k * n + p] = c * akp - s * akq;
          work[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = work[p * n + k]!;
          const aqk = work[q * n + k]!;
          work[p * n + k] = c * apk - s * aqk;
          work[q * n + k] = s * apk + c * aqk;
        }
      }
  }
  for (let i = 0; i < n; i++) values[i] = work[i * n + i]!;
  values.subarray(0, n).sort();
}
