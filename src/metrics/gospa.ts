import { euclideanDistance } from './euclidean-distance.js';
import { optimalAssignment } from './optimal-assignment.js';

/**
 * GOSPA, the generalized optimal sub-pattern assignment metric (Rahmathullah, García-Fernández,
 * Svensson, "Generalized optimal sub-pattern assignment metric", FUSION 2017) with α = 2, between
 * a set of estimates and a set of truths at one instant:
 *
 *   d(X, Y) = ( min over assignments γ  Σ_(i,j)∈γ d(x_i, y_j)^p + c^p/2 · (|X| + |Y| − 2|γ|) )^(1/p)
 *
 * where only pairs closer than c may be assigned. It splits into a localisation part (the sum of
 * d^p over assigned pairs), a missed part (c^p/2 per truth left unassigned) and a false part
 * (c^p/2 per estimate left unassigned); the three are in units of distance^p and sum to d^p.
 * The optimal assignment is exact (shortest augmenting path, per connected component of the pairs
 * closer than c).
 */

/** GOSPA parameters. */
export interface GospaParameters {
  /** Cut-off distance c > 0 (same unit as the positions, e.g. metres). */
  readonly c: number;
  /** Order p ≥ 1. */
  readonly p: number;
}

/** GOSPA at one instant, with its parts (α = 2). */
export interface GospaResult {
  /** The GOSPA distance (unit of the positions). */
  readonly distance: number;
  /** Σ d^p over assigned pairs (unit^p). */
  readonly localisation: number;
  /** c^p/2 per unassigned truth (unit^p). */
  readonly missed: number;
  /** c^p/2 per unassigned estimate (unit^p). */
  readonly false: number;
  /** For each truth (input order), the index of its estimate, or -1 when missed. */
  readonly truthToEstimate: readonly number[];
  /** Truths left unassigned (missed), a count. */
  readonly missedCount: number;
  /** Estimates left unassigned (false), a count. */
  readonly falseCount: number;
}

/** Parameters outside their domain (c ≤ 0, p < 1, non-finite). */
export class MetricParameterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricParameterError';
  }
}

/** Throws {@link MetricParameterError} unless c > 0 and 1 ≤ p (finite unless `allowInfiniteP`). */
export function checkCutoffParameters(params: GospaParameters, allowInfiniteP = false): void {
  if (!(Number.isFinite(params.c) && params.c > 0))
    throw new MetricParameterError(`cut-off c must be > 0, got ${params.c}`);
  if (!(params.p >= 1) || (!allowInfiniteP && !Number.isFinite(params.p)))
    throw new MetricParameterError(`order p must be >= 1${allowInfiniteP ? '' : ' and finite'}, got ${params.p}`);
}

/**
 * GOSPA (α = 2) between `estimates` and `truths`, positions as coordinate arrays, Euclidean
 * distance. Pure; throws {@link MetricParameterError} on bad parameters.
 */
export function gospa(
  estimates: readonly (readonly number[])[],
  truths: readonly (readonly number[])[],
  params: GospaParameters,
): GospaResult {
  checkCutoffParameters(params);
  const { c, p } = params;
  const half = c ** p / 2;
  const truthToEstimate = new Array<number>(truths.length).fill(-1);
  let localisation = 0;
  let assigned = 0;
  if (truths.length > 0 && estimates.length > 0) {
    // Cost of assigning truth i to estimate j: min(d, c)^p. A pair at c or farther costs exactly
    // as much as leaving both unassigned (c^p/2 + c^p/2), so the optimum splits into the
    // connected components of the "closer than c" graph: each is solved exactly on its own
    // (the shared optimal assignment), which keeps large sparse pictures fast.
    const capped = c ** p;
    const n = truths.length;
    const distance = truths.map((t) => estimates.map((e) => euclideanDistance(t, e)));
    const parent = Array.from({ length: n + estimates.length }, (_, k) => k);
    const find = (k: number): number => {
      while (parent[k] !== k) k = parent[k] = parent[parent[k]!]!;
      return k;
    };
    for (let i = 0; i < n; i++)
      for (let j = 0; j < estimates.length; j++) if (distance[i]![j]! < c) parent[find(i)] = find(n + j);
    const components = new Map<number, { truths: number[]; estimates: number[] }>();
    const component = (k: number) => {
      const root = find(k);
      let entry = components.get(root);
      if (entry === undefined) components.set(root, (entry = { truths: [], estimates: [] }));
      return entry;
    };
    for (let i = 0; i < n; i++) component(i).truths.push(i);
    for (let j = 0; j < estimates.length; j++) component(n + j).estimates.push(j);
    for (const part of components.values()) {
      if (part.truths.length === 0 || part.estimates.length === 0) continue;
      const cost = part.truths.map((i) => part.estimates.map((j) => Math.min(distance[i]![j]!, c) ** p));
      const { rowToColumn } = optimalAssignment(cost);
      for (const [r, col] of rowToColumn.entries()) {
        if (col < 0) continue;
        const cij = cost[r]![col]!;
        if (cij < capped) {
          truthToEstimate[part.truths[r]!] = part.estimates[col]!;
          localisation += cij;
          assigned++;
        }
      }
    }
  }
  const missedCount = truths.length - assigned;
  const falseCount = estimates.length - assigned;
  const missed = half * missedCount;
  const falsePart = half * falseCount;
  return {
    distance: (localisation + missed + falsePart) ** (1 / p),
    localisation,
    missed,
    false: falsePart,
    truthToEstimate,
    missedCount,
    falseCount,
  };
}
