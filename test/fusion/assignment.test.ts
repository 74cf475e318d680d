/**
 * The sparse GNN association: the per-cluster association (pre-gate, clusters, Jonker–Volgenant
 * per cluster, from src/common) gives the same total cost as one dense Hungarian over the full,
 * ungated matrix. The solvers themselves are tested in test/common/linear-assignment.test.ts.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  Associator,
  CHI2_6DOF_99,
  COV_SIZE,
  STATE_DIM,
  cholesky,
  mahalanobisSquared,
  solveDenseHungarian,
} from '../../src/fusion/index.js';

/** Random tracks: clumps of targets seen by both sides, plus separate ones. */
function randomPicture(seed: number, nL: number, nP: number, spreadM: number) {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const make = (n: number) => {
    const state = new Float64Array(n * STATE_DIM);
    const cov = new Float64Array(n * COV_SIZE);
    for (let i = 0; i < n; i++) {
      for (let q = 0; q < 3; q++) state[i * 6 + q] = (rnd() - 0.5) * spreadM;
      for (let q = 3; q < 6; q++) state[i * 6 + q] = (rnd() - 0.5) * 60;
      // random SPD: diag + a rank-one correlation
      const u = Array.from({ length: 6 }, () => rnd() - 0.5);
      for (let a = 0; a < 6; a++)
        for (let b = 0; b < 6; b++)
          cov[i * COV_SIZE + a * 6 + b] =
            (a === b ? (a < 3 ? 100 + 900 * rnd() : 4 + 20 * rnd()) : 0) + 50 * u[a]! * u[b]!;
    }
    return { count: n, state, cov };
  };
  return { local: make(nL), partner: make(nP) };
}

function denseGnnTotal(
  local: { count: number; state: Float64Array; cov: Float64Array },
  partner: { count: number; state: Float64Array; cov: Float64Array },
  gate: number,
): number {
  const transpose = local.count > partner.count;
  const n = transpose ? partner.count : local.count;
  const m = transpose ? local.count : partner.count;
  const cost = new Float64Array(n * m);
  const sum = new Float64Array(36);
  const l = new Float64Array(36);
  const d = new Float64Array(6);
  const tmp = new Float64Array(6);
  for (let i = 0; i < local.count; i++)
    for (let j = 0; j < partner.count; j++) {
      for (let q = 0; q < 36; q++) sum[q] = local.cov[i * 36 + q]! + partner.cov[j * 36 + q]!;
      if (!cholesky(sum, 0, l, 0, 6)) throw new Error('not SPD');
      for (let q = 0; q < 6; q++) d[q] = local.state[i * 6 + q]! - partner.state[j * 6 + q]!;
      const d2 = mahalanobisSquared(l, 0, d, 0, 6, tmp);
      cost[transpose ? j * m + i : i * m + j] = d2 < gate ? d2 - gate : 0;
    }
  return solveDenseHungarian(cost, n, m, new Int32Array(n));
}

t.test('sparse per-cluster GNN total = dense Hungarian over the full ungated matrix', async (t) => {
  let withPairs = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 1, max: 30 }),
      fc.constantFrom(100, 300, 1000, 5000),
      (seed, nL, nP, spread) => {
        const { local, partner } = randomPicture(seed, nL, nP, spread);
        const associator = new Associator();
        associator.gate(local, partner, 0, nP, CHI2_6DOF_99);
        let sparse = 0;
        const usedL = new Set<number>();
        const usedP = new Set<number>();
        associator.assign(nL, 0, nP, CHI2_6DOF_99, (i, j, d2) => {
          if (usedL.has(i) || usedP.has(j)) throw new Error('not one-to-one');
          usedL.add(i);
          usedP.add(j);
          sparse += d2 - CHI2_6DOF_99;
        });
        if (usedL.size > 0) withPairs++;
        const dense = denseGnnTotal(local, partner, CHI2_6DOF_99);
        return Math.abs(sparse - dense) < 1e-7;
      },
    ),
    { seed: 1703, numRuns: 400 },
  );
  t.ok(withPairs > 100, `instances with associations: ${withPairs}`);
});

t.test('a partner range: only partners in [from, to) are gated, indices stay absolute', async (t) => {
  const { local, partner } = randomPicture(7, 10, 20, 200);
  const associator = new Associator();
  associator.gate(local, partner, 5, 15, 1e9);
  const seen = new Set<number>();
  for (let e = 0; e < associator.edges.count; e++) seen.add(associator.edges.partner[e]!);
  t.same(
    [...seen].sort((a, b) => a - b),
    [5, 6, 7, 8, 9, 10, 11, 12, 13, 14],
  );
  t.equal(associator.edges.count, 100, 'an infinite gate gates every pair');
});
