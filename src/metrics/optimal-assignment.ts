/**
 * Exact minimum-cost assignment on a rectangular cost matrix: the Hungarian method in its
 * shortest-augmenting-path form (Kuhn–Munkres with Jonker–Volgenant style potentials), O(n²·m)
 * for n rows ≤ m columns. Deterministic: the same matrix gives the same assignment.
 */

/** Result of {@link optimalAssignment}. */
export interface Assignment {
  /** For each row, its column, or -1 when the row is left unassigned (more rows than columns). */
  readonly rowToColumn: readonly number[];
  /** For each column, its row, or -1. */
  readonly columnToRow: readonly number[];
  /** Sum of the chosen costs. */
  readonly totalCost: number;
}

/** A cost matrix that is not rectangular or holds a non-finite cost. */
export class AssignmentInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssignmentInputError';
  }
}

/**
 * Assign every row to a distinct column (or every column to a distinct row, whichever side is
 * smaller) minimising the total cost. `cost[i][j]` is the cost of row i to column j; all rows
 * must have the same length and every cost must be finite (throws {@link AssignmentInputError}).
 * An empty matrix (no rows or no columns) assigns nothing at cost 0.
 */
export function optimalAssignment(cost: readonly (readonly number[])[]): Assignment {
  const rows = cost.length;
  const columns = rows === 0 ? 0 : cost[0]!.length;
  for (const [i, row] of cost.entries()) {
    if (row.length !== columns)
      throw new AssignmentInputError(`cost row ${i} has ${row.length} columns, expected ${columns}`);
    for (const value of row)
      if (!Number.isFinite(value)) throw new AssignmentInputError(`cost row ${i} holds ${value}`);
  }
  if (rows === 0 || columns === 0) {
    return {
      rowToColumn: new Array<number>(rows).fill(-1),
      columnToRow: new Array<number>(columns).fill(-1),
      totalCost: 0,
    };
  }
  if (rows <= columns) return solve(rows, columns, (i, j) => cost[i]![j]!, false);
  const transposed = solve(columns, rows, (i, j) => cost[j]![i]!, true);
  return transposed;
}

/** Hungarian method for n ≤ m; `swap` says the caller transposed the matrix. */
function solve(n: number, m: number, at: (i: number, j: number) => number, swap: boolean): Assignment {
  // 1-based arrays as in the classical formulation; index 0 is the virtual start column.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: row assigned to column j (1-based), 0 = none
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j] === 1) continue;
        const reduced = at(i0 - 1, j - 1) - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j] === 1) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else {
          minv[j] = minv[j]! - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowOf = new Array<number>(m).fill(-1);
  const colOf = new Array<number>(n).fill(-1);
  let totalCost = 0;
  for (let j = 1; j <= m; j++) {
    if (p[j] !== 0) {
      rowOf[j - 1] = p[j]! - 1;
      colOf[p[j]! - 1] = j - 1;
      totalCost += at(p[j]! - 1, j - 1);
    }
  }
  return swap
    ? { rowToColumn: rowOf, columnToRow: colOf, totalCost }
    : { rowToColumn: colOf, columnToRow: rowOf, totalCost };
}
