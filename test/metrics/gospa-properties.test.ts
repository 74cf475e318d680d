/**
 * Properties: GOSPA (α = 2) is a metric on finite sets for any c > 0, p ≥ 1 (identity,
 * symmetry, triangle inequality with the same c and p); its parts sum to distance^p; the
 * assignment inside is exact (equals brute force over every assignment on small sets, where a
 * greedy nearest-first choice is not); OSPA is bounded by c.
 */
import fc from 'fast-check';
import t from 'tap';
import { gospa, ospa, optimalAssignment } from '../../src/metrics/index.js';

const coord = fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true });
const point = fc.tuple(coord, coord).map(([x, y]) => [x, y]);
const set = (max: number) => fc.array(point, { maxLength: max });
const params = fc.record({
  c: fc.double({ min: 0.5, max: 40, noNaN: true }),
  p: fc.constantFrom(1, 1.5, 2, 3),
});
const EPS = 1e-9;

t.test('identity: d(X, X) = 0, and d(X, Y) > 0 when the sets differ in size', async (t) => {
  fc.assert(
    fc.property(
      set(8),
      params,
      (x, q) => gospa(x, x, q).distance === 0 && (x.length === 0 || gospa(x, [], q).distance > 0),
    ),
  );
  t.pass();
});

t.test('symmetry: d(X, Y) = d(Y, X)', async (t) => {
  fc.assert(
    fc.property(set(8), set(8), params, (x, y, q) => Math.abs(gospa(x, y, q).distance - gospa(y, x, q).distance) < EPS),
  );
  t.pass();
});

t.test('triangle inequality: d(X, Z) ≤ d(X, Y) + d(Y, Z) with the same c, p', async (t) => {
  fc.assert(
    fc.property(set(6), set(6), set(6), params, (x, y, z, q) => {
      const scale = Math.max(1, q.c);
      return gospa(x, z, q).distance <= gospa(x, y, q).distance + gospa(y, z, q).distance + EPS * scale;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

t.test('parts sum to the total: localisation + missed + false = d^p', async (t) => {
  fc.assert(
    fc.property(set(8), set(8), params, (x, y, q) => {
      const g = gospa(x, y, q);
      const sum = g.localisation + g.missed + g.false;
      return (
        Math.abs(sum - g.distance ** q.p) <= 1e-9 * Math.max(1, sum) &&
        g.missedCount + (y.length - g.missedCount) === y.length
      );
    }),
  );
  t.pass();
});

function permutations(n: number, k: number): number[][] {
  // every injective map of k rows into n columns
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n, k - 1)) for (let j = 0; j < n; j++) if (!rest.includes(j)) out.push([...rest, j]);
  return out;
}

t.test('the assignment is exact: equals brute force over every assignment', async (t) => {
  const matrix = fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 })).chain(([r, c]) =>
    fc.array(fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: c, maxLength: c }), {
      minLength: r,
      maxLength: r,
    }),
  );
  fc.assert(
    fc.property(matrix, (m) => {
      const rows = m.length;
      const cols = m[0]!.length;
      let best = Number.POSITIVE_INFINITY;
      if (rows <= cols) {
        for (const perm of permutations(cols, rows))
          best = Math.min(
            best,
            perm.reduce((s, j, i) => s + m[i]![j]!, 0),
          );
      } else {
        for (const perm of permutations(rows, cols))
          best = Math.min(
            best,
            perm.reduce((s, i, j) => s + m[i]![j]!, 0),
          );
      }
      const a = optimalAssignment(m);
      const used = a.rowToColumn.filter((j) => j >= 0);
      return (
        Math.abs(a.totalCost - best) < 1e-9 &&
        new Set(used).size === Math.min(rows, cols) &&
        used.length === Math.min(rows, cols)
      );
    }),
    { numRuns: 400 },
  );
  t.pass();
});

t.test('a case greedy nearest-first gets wrong: GOSPA takes the optimal pairing', async (t) => {
  // Truths at 0 and 2, estimates at 1.9 and 3.5: greedy nearest-first takes 2↔1.9 (0.1) and
  // leaves 0↔3.5 (3.5), total 3.6; optimal is 0↔1.9 (1.9) and 2↔3.5 (1.5), total 3.4.
  const g = gospa([[1.9], [3.5]], [[0], [2]], { c: 10, p: 1 });
  t.ok(Math.abs(g.localisation - 3.4) < 1e-12, `localisation ${g.localisation}`);
  t.same(g.truthToEstimate, [0, 1]);
});

t.test('OSPA is within [0, c]', async (t) => {
  fc.assert(
    fc.property(set(6), set(6), params, (x, y, q) => {
      const d = ospa(x, y, q);
      return d >= 0 && d <= q.c + EPS;
    }),
  );
  t.pass();
});

t.test('solving per cluster of pairs closer than c equals one dense assignment over all pairs', async (t) => {
  fc.assert(
    fc.property(set(10), set(10), params, (x, y, q) => {
      const g = gospa(x, y, q);
      const capped = y.map((b) => x.map((a) => Math.min(Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!), q.c) ** q.p));
      const dense = optimalAssignment(capped);
      const unassigned = x.length + y.length - 2 * Math.min(x.length, y.length);
      const denseTotal = dense.totalCost + (q.c ** q.p / 2) * unassigned;
      return Math.abs(g.distance ** q.p - denseTotal) <= 1e-9 * Math.max(1, denseTotal);
    }),
    { numRuns: 300 },
  );
  t.pass();
});
