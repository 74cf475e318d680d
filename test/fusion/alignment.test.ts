/**
 * Time alignment and frames: the constant-velocity prediction equals F P Fᵀ + Q computed the
 * long way (forwards and backwards); a partner state given in the ENU of another site (or ECEF)
 * lands in this node's ENU where src/geo puts it, its covariance rotated (R P Rᵀ: the
 * Mahalanobis distance of a rotated difference is unchanged).
 */
import fc from 'fast-check';
import t from 'tap';
import { LocalFrame, geodeticToEcef } from '../../src/geo/index.js';
import {
  FrameConverter,
  cholesky,
  mahalanobisSquared,
  predictConstantVelocity,
  symmetricEigenvalues,
} from '../../src/fusion/index.js';

function mul(a: number[], b: number[], n: number): number[] {
  const out = new Array<number>(n * n).fill(0);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j]! += a[i * n + k]! * b[k * n + j]!;
  return out;
}
const tr = (a: number[], n: number): number[] => a.map((_, q) => a[(q % n) * n + Math.floor(q / n)]!);

const spd = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 36, maxLength: 36 }).map((g) => {
  const p = mul(g, tr(g, 6), 6);
  for (let i = 0; i < 6; i++) p[i * 7]! += 0.5;
  return p;
});

t.test('prediction = F P Fᵀ + Q (white-noise acceleration), forwards and backwards', async (t) => {
  fc.assert(
    fc.property(
      spd,
      fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 6, maxLength: 6 }),
      fc.double({ min: -5, max: 20, noNaN: true }),
      fc.double({ min: 0, max: 100, noNaN: true }),
      (p, x, dt, q) => {
        const f = new Array<number>(36).fill(0);
        for (let i = 0; i < 6; i++) f[i * 7] = 1;
        for (let i = 0; i < 3; i++) f[i * 6 + i + 3] = dt;
        const a = Math.abs(dt);
        const qm = new Array<number>(36).fill(0);
        for (let i = 0; i < 3; i++) {
          qm[i * 7] = (q * a ** 3) / 3;
          qm[i * 6 + i + 3] = qm[(i + 3) * 6 + i] = (q * dt * a) / 2;
          qm[(i + 3) * 7] = q * a;
        }
        const expected = mul(mul(f, p, 6), tr(f, 6), 6).map((v, k) => v + qm[k]!);
        const state = Float64Array.from(x);
        const cov = Float64Array.from(p);
        predictConstantVelocity(state, 0, cov, 0, dt, q);
        const scale = Math.max(1, ...expected.map(Math.abs));
        for (let k = 0; k < 36; k++) if (Math.abs(cov[k]! - expected[k]!) > 1e-9 * scale) return false;
        for (let i = 0; i < 3; i++)
          if (Math.abs(state[i]! - (x[i]! + dt * x[i + 3]!)) > 1e-9 * (1 + Math.abs(x[i]!))) return false;
        // the covariance stays positive definite
        const values = new Float64Array(6);
        symmetricEigenvalues(cov, 0, 6, values, new Float64Array(36));
        return values[0]! > 0;
      },
    ),
    { seed: 1710, numRuns: 500 },
  );
  t.pass();
});

const alpha = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const bravo = { latDeg: 52.6, lonDeg: 5.4, heightM: 40 };

t.test('a state in the ENU of another site lands where src/geo puts it; the covariance is rotated', async (t) => {
  const own = new LocalFrame(alpha);
  const other = new LocalFrame(bravo);
  const converter = new FrameConverter(own);
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -150_000, max: 150_000, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.array(fc.double({ min: -900, max: 900, noNaN: true }), { minLength: 3, maxLength: 3 }),
      spd,
      fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 6, maxLength: 6 }),
      (pos, vel, p, d) => {
        const state = [...pos, ...vel];
        const outState = new Float64Array(6);
        const outCov = new Float64Array(36);
        converter.convert({ kind: 'enu', siteId: 'bravo', origin: bravo }, state, p, outState, 0, outCov, 0);
        const where = own.enuFromFrame(other, { eastM: pos[0]!, northM: pos[1]!, upM: pos[2]! });
        const v = own.vectorFromFrame(other, { eastM: vel[0]!, northM: vel[1]!, upM: vel[2]! });
        const near = (a: number, b: number, tol: number): boolean => Math.abs(a - b) <= tol;
        if (!near(outState[0]!, where.eastM, 1e-6) || !near(outState[1]!, where.northM, 1e-6)) return false;
        if (!near(outState[2]!, where.upM, 1e-6) || !near(outState[3]!, v.eastM, 1e-9)) return false;
        // a difference d in bravo's axes, rotated into alpha's, has the same Mahalanobis distance
        const rp = own.vectorFromFrame(other, { eastM: d[0]!, northM: d[1]!, upM: d[2]! });
        const rv = own.vectorFromFrame(other, { eastM: d[3]!, northM: d[4]!, upM: d[5]! });
        const dr = Float64Array.from([rp.eastM, rp.northM, rp.upM, rv.eastM, rv.northM, rv.upM]);
        const l1 = new Float64Array(36);
        const l2 = new Float64Array(36);
        cholesky(Float64Array.from(p), 0, l1, 0, 6);
        cholesky(outCov, 0, l2, 0, 6);
        const tmp = new Float64Array(6);
        const m1 = mahalanobisSquared(l1, 0, Float64Array.from(d), 0, 6, tmp);
        const m2 = mahalanobisSquared(l2, 0, dr, 0, 6, tmp);
        return Math.abs(m1 - m2) <= 1e-7 * Math.max(1, m1);
      },
    ),
    { seed: 1711, numRuns: 500 },
  );
  // ECEF input: the site's own ECEF position is the ENU origin
  const out = new Float64Array(6);
  const cov = new Float64Array(36);
  const e = geodeticToEcef(alpha);
  const diag = new Array<number>(36).fill(0).map((_, k) => (k % 7 === 0 ? 1 : 0));
  converter.convert({ kind: 'ecef' }, [e.x, e.y, e.z, 0, 0, 0], diag, out, 0, cov, 0);
  t.ok(Math.hypot(out[0]!, out[1]!, out[2]!) < 1e-6);
  t.ok(Math.abs(cov[0]! - 1) < 1e-12 && Math.abs(cov[1]!) < 1e-12, 'identity stays identity');
});
