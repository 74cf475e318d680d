/**
 * The shared assignment solvers (used by the track fusion per gated cluster and by the picture
 * metrics): the Jonker–Volgenant shortest augmenting path and the dense Hungarian agree with
 * brute force on small matrices and with each other on larger ones.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  AssignmentError,
  AssignmentWorkspace,
  solveDenseHungarian,
  solveShortestAugmentingPath,
} from '../../src/common/linear-assignment.js';

function bruteForce(cost: Float64Array, n: number, m: number): number {
  let best = Infinity;
  const used = new Array<boolean>(m).fill(false);
  const walk = (row: number, sum: number): void => {
    if (row === n) {
      best = Math.min(best, sum);
      return;
    }
    for (let c = 0; c < m; c++) {
      if (used[c]) continue;
      used[c] = true;
      walk(row + 1, sum + cost[row * m + c]!);
      used[c] = false;
    }
  };
  walk(0, 0);
  return best;
}

const matrix = (maxN: number, maxM: number) =>
  fc
    .record({ n: fc.integer({ min: 1, max: maxN }), extra: fc.integer({ min: 0, max: maxM - maxN }) })
    .chain(({ n, extra }) =>
      fc
        .array(fc.oneof(fc.integer({ min: -20, max: 20 }), fc.double({ min: -100, max: 100, noNaN: true })), {
          minLength: n * (n + extra),
          maxLength: n * (n + extra),
        })
        .map((values) => ({ n, m: n + extra, cost: Float64Array.from(values) })),
    );

function checkAssignment(rowToCol: Int32Array, n: number, m: number): boolean {
  const seen = new Set<number>();
  for (let r = 0; r < n; r++) {
    const c = rowToCol[r]!;
    if (c < 0 || c >= m || seen.has(c)) return false;
    seen.add(c);
  }
  return true;
}

t.test('both solvers match brute force on small rectangular matrices (integer ties included)', async (t) => {
  fc.assert(
    fc.property(matrix(5, 7), ({ n, m, cost }) => {
      const a = new Int32Array(n);
      const b = new Int32Array(n);
      const sap = solveShortestAugmentingPath(cost, n, m, a);
      const dense = solveDenseHungarian(cost, n, m, b);
      const brute = bruteForce(cost, n, m);
      return (
        checkAssignment(a, n, m) &&
        checkAssignment(b, n, m) &&
        Math.abs(sap - brute) < 1e-9 &&
        Math.abs(dense - brute) < 1e-9
      );
    }),
    { seed: 1701, numRuns: 1500 },
  );
  t.pass();
});

t.test('the two solvers agree on larger matrices', async (t) => {
  fc.assert(
    fc.property(matrix(40, 60), ({ n, m, cost }) => {
      const a = new Int32Array(n);
      const b = new Int32Array(n);
      return Math.abs(solveShortestAugmentingPath(cost, n, m, a) - solveDenseHungarian(cost, n, m, b)) < 1e-7;
    }),
    { seed: 1702, numRuns: 200 },
  );
  t.pass();
});

t.test('a known instance, and more rows than columns is a typed error', async (t) => {
  // the classic 3×3 example: optimum 5 (0→1, 1→0, 2→2)
  const cost = Float64Array.from([4, 1, 3, 2, 0, 5, 3, 2, 2]);
  const a = new Int32Array(3);
  t.equal(solveShortestAugmentingPath(cost, 3, 3, a), 5);
  t.same([...a], [1, 0, 2]);
  t.equal(solveDenseHungarian(cost, 3, 3, new Int32Array(3)), 5);
  t.throws(() => solveShortestAugmentingPath(new Float64Array(6), 3, 2, new Int32Array(3)), AssignmentError);
  t.throws(() => solveDenseHungarian(new Float64Array(6), 3, 2, new Int32Array(3)), AssignmentError);
});

t.test('a reused workspace gives the same answers as a fresh one, growing on demand', async (t) => {
  const ws = new AssignmentWorkspace();
  fc.assert(
    fc.property(matrix(30, 40), ({ n, m, cost }) => {
      const a = new Int32Array(n);
      const b = new Int32Array(n);
      const shared = solveShortestAugmentingPath(cost, n, m, a, ws);
      const fresh = solveShortestAugmentingPath(cost, n, m, b);
      return shared === fresh && a.every((c, i) => c === b[i]);
    }),
    { seed: 1704, numRuns: 200 },
  );
  t.pass();
});
