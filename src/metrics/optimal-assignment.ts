/**
 * Exact minimum-cost assignment on a rectangular cost matrix given as rows of numbers: a thin
 * adapter over the shared solver in src/common/linear-assignment.ts (the Jonker–Volgenant
 * shortest augmenting path method, the same code the track fusion runs per gated cluster).
 * O(n²·m) for n rows ≤ m columns; a matrix with more rows than columns is solved transposed.
 * Deterministic: the same matrix gives the same assignment.
 */
import { solveShortestAugmentingPath } from '../common/linear-assignment.js';

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
  const rowToColumn = new Array<number>(rows).fill(-1);
  const columnToRow = new Array<number>(columns).fill(-1);
  if (rows === 0 || columns === 0) return { rowToColumn, columnToRow, totalCost: 0 };
  // The solver wants n ≤ m, row-major: transpose when there are more rows than columns.
  const swap = rows > columns;
  const n = swap ? columns : rows;
  const m = swap ? rows : columns;
  const packed = new Float64Array(n * m);
  for (let i = 0; i < rows; i++) for (let j = 0; j < columns; j++) packed[swap ? j * m + i : i * m + j] = cost[i]![j]!;
  const match = new Int32Array(n);
  solveShortestAugmentingPath(packed, n, m, match);
  let totalCost = 0;
  for (let k = 0; k < n; k++) {
    const row = swap ? match[k]! : k;
    const column = swap ? k : match[k]!;
    rowToColumn[row] = column;
    columnToRow[column] = row;
  }
  // Summed in column order (the order the earlier Hungarian form used).
  for (let j = 0; j < columns; j++) if (columnToRow[j]! >= 0) totalCost += cost[columnToRow[j]!]![j]!;
  return { rowToColumn, columnToRow, totalCost };
}
