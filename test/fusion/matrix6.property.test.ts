/**
 * The unrolled 6×6 kernels of the fusion's hot path (matrix6.ts, inverse6.ts) are bit for bit
 * the general loops of matrix.ts with n = 6: on random symmetric positive-definite matrices of
 * the scales tracks have (positions to 1e6 m², velocities to 1e3 m²/s², correlated), on
 * near-singular ones and on indefinite ones, every output element is Object.is-equal (so even
 * the sign of a zero agrees), and the positive-definite verdict is the same.
 */
import fc from 'fast-check';
import t from 'tap';
import { inverseFromCholesky6 } from '../../src/fusion/inverse6.js';
import { cholesky, choleskySolve, inverseFromCholesky, mahalanobisSquared } from '../../src/fusion/matrix.js';
import { cholesky6, choleskySolve6, choleskySolveColumns6, mahalanobisSquared6 } from '../../src/fusion/matrix6.js';

const N = 6;

/** A = G Gᵀ·s + ε I with G random, row scales s_i (positions and velocities differ by orders). */
const spd = fc
  .record({
    g: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 36, maxLength: 36 }),
    scale: fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: 6, maxLength: 6 }),
    ridge: fc.constantFrom(0, 1e-12, 1e-3, 1),
    indefinite: fc.boolean(),
    offset: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ g, scale, ridge, indefinite, offset }) => {
    const a = new Float64Array(offset * 36 + 36);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < N; k++) s += g[i * N + k]! * g[j * N + k]!;
        a[offset * 36 + i * N + j] = s * scale[i]! * scale[j]! + (i === j ? ridge : 0);
      }
    // an indefinite matrix now and then: the verdict (false) must agree too
    if (indefinite) a[offset * 36 + 4 * 7] = -a[offset * 36 + 4 * 7]! - 1;
    return { a, offset: offset * 36 };
  });

const vector = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 6, maxLength: 6 });

function sameBits(got: Float64Array, want: Float64Array): boolean {
  for (let k = 0; k < want.length; k++) if (!Object.is(got[k], want[k])) return false;
  return true;
}

t.test(
  'cholesky6, choleskySolve6, choleskySolveColumns6, inverseFromCholesky6 and mahalanobisSquared6 equal the general loops bit for bit',
  (t) => {
    fc.assert(
      fc.property(spd, vector, ({ a, offset }, b) => {
        const lRef = new Float64Array(36 + 36);
        const lFast = new Float64Array(36 + 36);
        const okRef = cholesky(a, offset, lRef, 36, N);
        const okFast = cholesky6(a, offset, lFast, 36);
        if (okRef !== okFast) return false;
        if (!okRef) return true;
        for (let k = 0; k < 72; k++) if (!Object.is(lRef[k], lFast[k])) return false;
        // solve
        const xRef = Float64Array.from([0, 0, ...b]);
        const xFast = Float64Array.from([0, 0, ...b]);
        choleskySolve(lRef, 36, xRef, 2, N);
        choleskySolve6(lFast, 36, xFast, 2);
        for (let k = 0; k < 8; k++) if (!Object.is(xRef[k], xFast[k])) return false;
        // six columns at once (the covariance intersection's M⁻¹D): each column as choleskySolve6
        const cols = new Float64Array(36 + 36);
        for (let k = 0; k < 36; k++) cols[36 + k] = b[k % 6]! * (1 + k) - a[offset + k]!;
        const xCols = new Float64Array(36 + 1);
        choleskySolveColumns6(lFast, 36, cols, 36, xCols, 1);
        for (let j = 0; j < N; j++) {
          const col = new Float64Array(N);
          for (let i = 0; i < N; i++) col[i] = cols[36 + i * N + j]!;
          choleskySolve(lRef, 36, col, 0, N);
          for (let i = 0; i < N; i++) if (!Object.is(xCols[1 + i * N + j], col[i])) return false;
        }
        // inverse
        const iRef = new Float64Array(40);
        const iFast = new Float64Array(40);
        inverseFromCholesky(lRef, 36, iRef, 4, N, new Float64Array(N));
        inverseFromCholesky6(lFast, 36, iFast, 4);
        for (let k = 0; k < 40; k++) if (!Object.is(iRef[k], iFast[k])) return false;
        // Mahalanobis
        const d = Float64Array.from([7, ...b]);
        const mRef = mahalanobisSquared(lRef, 36, d, 1, N, new Float64Array(N));
        const mFast = mahalanobisSquared6(lFast, 36, d, 1);
        return Object.is(mRef, mFast);
      }),
      { numRuns: 3000 },
    );
    t.end();
  },
);

t.test('a failed factorisation leaves the output untouched and says so', (t) => {
  const a = new Float64Array(36);
  for (let i = 0; i < N; i++) a[i * 7] = 1;
  a[5 * 7] = 0; // singular
  const l = new Float64Array(36).fill(42);
  t.equal(cholesky6(a, 0, l, 0), false);
  t.equal(cholesky(a, 0, new Float64Array(36), 0, N), false);
  t.ok(sameBits(l, new Float64Array(36).fill(42)), 'l untouched');
  a[5 * 7] = Infinity;
  t.equal(cholesky6(a, 0, l, 0), false);
  t.equal(cholesky(a, 0, new Float64Array(36), 0, N), false);
  a[5 * 7] = Number.NaN;
  t.equal(cholesky6(a, 0, l, 0), false);
  t.end();
});
