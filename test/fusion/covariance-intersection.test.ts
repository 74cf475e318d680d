/**
 * Covariance intersection is consistent whatever the cross-correlation: for random jointly
 * Gaussian errors (e_a, e_b) with a known 12×12 covariance Σ (any cross-covariance), the fused
 * covariance P bounds the true covariance of the fused error, P − K Σ Kᵀ ⪰ 0 with
 * K = [ω P A⁻¹, (1 − ω) P B⁻¹]. Also: the determinant criterion finds the minimum of det P over
 * ω, and the fast and trace criteria give a valid ω.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  CiWorkspace,
  type OmegaCriterion,
  cholesky,
  covarianceIntersection,
  inverseFromCholesky,
  logDetFromCholesky,
  symmetricEigenvalues,
} from '../../src/fusion/index.js';

const N = 6;

function matMul(a: Float64Array, b: Float64Array, n: number, k: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * m + j]!;
      out[i * m + j] = s;
    }
  return out;
}

function transpose(a: Float64Array, n: number, m: number): Float64Array {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j * n + i] = a[i * m + j]!;
  return out;
}

function inverse(a: Float64Array): Float64Array {
  const l = new Float64Array(36);
  if (!cholesky(a, 0, l, 0, N)) throw new Error('not SPD');
  const out = new Float64Array(36);
  inverseFromCholesky(l, 0, out, 0, N, new Float64Array(N));
  return out;
}

/** A random 12×12 SPD joint covariance with scaled axes (metres and m/s) and arbitrary correlation. */
const jointCovariance = fc
  .record({
    g: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 144, maxLength: 144 }),
    scale: fc.array(fc.double({ min: 0.1, max: 100, noNaN: true }), { minLength: 12, maxLength: 12 }),
    ridge: fc.double({ min: 1e-3, max: 1, noNaN: true }),
  })
  .map(({ g, scale, ridge }) => {
    const gm = Float64Array.from(g);
    const s = matMul(gm, transpose(gm, 12, 12), 12, 12, 12);
    for (let i = 0; i < 12; i++) s[i * 12 + i] = s[i * 12 + i]! + ridge;
    for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) s[i * 12 + j] = s[i * 12 + j]! * scale[i]! * scale[j]!;
    return s;
  });

function block(s: Float64Array, r: number, c: number): Float64Array {
  const out = new Float64Array(36);
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) out[i * 6 + j] = s[(r + i) * 12 + c + j]!;
  return out;
}

function minEigenRelative(m: Float64Array, scaleRef: Float64Array): number {
  const values = new Float64Array(6);
  symmetricEigenvalues(m, 0, 6, values, new Float64Array(36));
  const ref = new Float64Array(6);
  symmetricEigenvalues(scaleRef, 0, 6, ref, new Float64Array(36));
  return values[0]! / ref[5]!;
}

for (const criterion of ['determinant', 'trace', 'fast'] as OmegaCriterion[]) {
  t.test(`${criterion}: the CI covariance bounds the true fused-error covariance (any cross-covariance)`, async (t) => {
    const ws = new CiWorkspace();
    fc.assert(
      fc.property(
        jointCovariance,
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (sigma, means) => {
          const A = block(sigma, 0, 0);
          const B = block(sigma, 6, 6);
          const a = Float64Array.from(means.slice(0, 6));
          const b = Float64Array.from(means.slice(6));
          const x = new Float64Array(6);
          const p = new Float64Array(36);
          const omega = covarianceIntersection(a, 0, A, 0, b, 0, B, 0, x, 0, p, 0, criterion, ws);
          if (!(omega >= 0 && omega <= 1)) return false;
          // K = [ω P A⁻¹ | (1−ω) P B⁻¹], 6×12
          const ka = matMul(p, inverse(A), 6, 6, 6);
          const kb = matMul(p, inverse(B), 6, 6, 6);
          const k = new Float64Array(72);
          for (let i = 0; i < 6; i++)
            for (let j = 0; j < 6; j++) {
              k[i * 12 + j] = omega * ka[i * 6 + j]!;
              k[i * 12 + 6 + j] = (1 - omega) * kb[i * 6 + j]!;
            }
          const truth = matMul(matMul(k, sigma, 6, 12, 12), transpose(k, 6, 12), 6, 12, 6);
          const gap = new Float64Array(36);
          for (let q = 0; q < 36; q++) gap[q] = p[q]! - truth[q]!;
          for (let i = 0; i < 6; i++)
            for (let j = 0; j < i; j++) gap[i * 6 + j] = gap[j * 6 + i] = 0.5 * (gap[i * 6 + j]! + gap[j * 6 + i]!);
          // unbiased too: the fused estimate of equal means is that mean (K sums to the identity)
          return minEigenRelative(gap, p) > -1e-8;
        },
      ),
      { seed: 1704, numRuns: 300 },
    );
    t.pass();
  });
}

t.test('determinant: ω minimises det P (a grid finds nothing lower)', async (t) => {
  const ws = new CiWorkspace();
  fc.assert(
    fc.property(jointCovariance, (sigma) => {
      const A = block(sigma, 0, 0);
      const B = block(sigma, 6, 6);
      const z = new Float64Array(6);
      const p = new Float64Array(36);
      const x = new Float64Array(6);
      covarianceIntersection(z, 0, A, 0, z, 0, B, 0, x, 0, p, 0, 'determinant', ws);
      const l = new Float64Array(36);
      cholesky(p, 0, l, 0, 6);
      const best = logDetFromCholesky(l, 0, 6);
      const ia = inverse(A);
      const ib = inverse(B);
      for (let g = 0; g <= 100; g++) {
        const w = g / 100;
        const m = new Float64Array(36);
        for (let q = 0; q < 36; q++) m[q] = w * ia[q]! + (1 - w) * ib[q]!;
        if (!cholesky(m, 0, l, 0, 6)) continue;
        if (-logDetFromCholesky(l, 0, 6) < best - 1e-9) return false;
      }
      return true;
    }),
    { seed: 1705, numRuns: 200 },
  );
  t.pass();
});

t.test(
  'known cases: a much better estimate dominates; a symmetric pair gives ω = 1/2; the fast ω; NaN for a non-SPD input',
  async (t) => {
    const ws = new CiWorkspace();
    const I = (s: number): Float64Array => {
      const m = new Float64Array(36);
      for (let i = 0; i < 6; i++) m[i * 7] = s;
      return m;
    };
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float64Array.from([2, 2, 3, 4, 5, 6]);
    const x = new Float64Array(6);
    const p = new Float64Array(36);
    // A = 1·I, B = 100·I: det P is minimal at ω = 1 (take a alone)
    const omega = covarianceIntersection(a, 0, I(1), 0, b, 0, I(100), 0, x, 0, p, 0, 'determinant', ws);
    t.equal(omega, 1);
    t.same([...x], [...a]);
    t.ok(Math.abs(p[0]! - 1) < 1e-12);
    // A = diag(1,1,1,100,100,100), B = diag(100,100,100,1,1,1): symmetric, ω = 1/2,
    // P = diag(2/1.01 …) and x mixes position from a and velocity from b
    const A = I(1);
    const B = I(100);
    for (let i = 3; i < 6; i++) {
      A[i * 7] = 100;
      B[i * 7] = 1;
    }
    const w = covarianceIntersection(a, 0, A, 0, b, 0, B, 0, x, 0, p, 0, 'determinant', ws);
    t.ok(Math.abs(w - 0.5) < 1e-9, `ω ${w}`);
    t.ok(Math.abs(p[0]! - 1 / (0.5 + 0.005)) < 1e-9);
    t.ok(Math.abs(x[0]! - (0.5 * 1 + 0.005 * 2) / 0.505) < 1e-9);
    // not positive definite: NaN, outputs untouched
    const bad = I(1);
    bad[0] = -1;
    x.fill(7);
    t.ok(Number.isNaN(covarianceIntersection(a, 0, bad, 0, b, 0, B, 0, x, 0, p, 0, 'trace', ws)));
    t.equal(x[0], 7);
    // fast: Niehsen's closed form
    t.ok(Math.abs(covarianceIntersection(a, 0, I(1), 0, b, 0, I(3), 0, x, 0, p, 0, 'fast', ws) - 0.75) < 1e-12);
  },
);

t.test('the check can fail: fusion that assumes independence is inconsistent for correlated errors', async (t) => {
  let inconsistent = 0;
  fc.assert(
    fc.property(jointCovariance, (sigma) => {
      const A = block(sigma, 0, 0);
      const B = block(sigma, 6, 6);
      const ia = inverse(A);
      const ib = inverse(B);
      const info = new Float64Array(36);
      for (let q = 0; q < 36; q++) info[q] = ia[q]! + ib[q]!;
      const p = inverse(info);
      const ka = matMul(p, ia, 6, 6, 6);
      const kb = matMul(p, ib, 6, 6, 6);
      const k = new Float64Array(72);
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < 6; j++) {
          k[i * 12 + j] = ka[i * 6 + j]!;
          k[i * 12 + 6 + j] = kb[i * 6 + j]!;
        }
      const truth = matMul(matMul(k, sigma, 6, 12, 12), transpose(k, 6, 12), 6, 12, 6);
      const gap = new Float64Array(36);
      for (let q = 0; q < 36; q++) gap[q] = p[q]! - truth[q]!;
      for (let i = 0; i < 6; i++)
        for (let j = 0; j < i; j++) gap[i * 6 + j] = gap[j * 6 + i] = 0.5 * (gap[i * 6 + j]! + gap[j * 6 + i]!);
      if (minEigenRelative(gap, p) < -1e-6) inconsistent++;
      return true;
    }),
    { seed: 1704, numRuns: 300 },
  );
  t.ok(inconsistent > 30, `independence-assuming fusion inconsistent in ${inconsistent} of 300`);
});
