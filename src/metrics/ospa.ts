import { euclideanDistance } from './euclidean-distance.js';
import { type GospaParameters, checkCutoffParameters } from './gospa.js';
import { optimalAssignment } from './optimal-assignment.js';

/**
 * OSPA, the optimal sub-pattern assignment distance (Schuhmacher, Vo, Vo, "A consistent metric
 * for performance evaluation of multi-object filters", IEEE TSP 2008), between two sets at one
 * instant, Euclidean base distance cut off at c:
 *
 *   d(X, Y) = ( (1/n) · ( min over π  Σ_{i≤m} min(d(x_i, y_π(i)), c)^p + c^p·(n − m) ) )^(1/p),  m ≤ n
 *
 * and for p = ∞: min over π of the largest cut-off distance when m = n (an exact bottleneck
 * assignment), else c.
 * Two empty sets are at distance 0. Pure; exact assignment (shortest augmenting path); throws
 * MetricParameterError on c ≤ 0 or p < 1.
 */
export function ospa(
  a: readonly (readonly number[])[],
  b: readonly (readonly number[])[],
  params: GospaParameters,
): number {
  checkCutoffParameters(params, true);
  const { c, p } = params;
  const n = Math.max(a.length, b.length);
  if (n === 0) return 0;
  const m = Math.min(a.length, b.length);
  const cut = a.map((x) => b.map((y) => Math.min(euclideanDistance(x, y), c)));
  if (p === Number.POSITIVE_INFINITY) {
    if (m !== n) return c;
    return bottleneck(cut);
  }
  const { totalCost } = optimalAssignment(cut.map((row) => row.map((d) => d ** p)));
  return ((totalCost + c ** p * (n - m)) / n) ** (1 / p);
}

/**
 * The smallest threshold t such that a perfect matching uses only entries ≤ t (square matrix):
 * binary search over the distinct entries, feasibility by an exact assignment of 0/1 costs.
 */
function bottleneck(square: readonly (readonly number[])[]): number {
  const values = [...new Set(square.flat())].sort((x, y) => x - y);
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const threshold = values[mid]!;
    const { totalCost } = optimalAssignment(square.map((row) => row.map((d) => (d <= threshold ? 0 : 1))));
    if (totalCost === 0) hi = mid;
    else lo = mid + 1;
  }
  return values[lo]!;
}
