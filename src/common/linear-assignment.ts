/**
 * Optimal linear assignment on a rectangular cost matrix (n rows ≤ m columns, row-major, every
 * entry finite): each row gets a distinct column and the sum of the chosen costs is minimal.
 *
 * Two independent solvers:
 * - {@link solveShortestAugmentingPath}: the Jonker–Volgenant shortest augmenting path method in
 *   the form of Crouse (2016), "On implementing 2D rectangular assignment algorithms", IEEE
 *   TAES 52(4) — for each row a Dijkstra search over reduced costs with dual potentials, then
 *   an augmentation. The track fusion runs it per gated cluster (small matrices), and the
 *   picture metrics (GOSPA, OSPA, SIAP) per cluster of pairs closer than the cut-off.
 * - {@link solveDenseHungarian}: the O(n²m) Hungarian (Kuhn–Munkres) method with potentials over
 *   the full matrix — the dense baseline the fusion benchmark compares against, and the test
 *   oracle of the first.
 *
 * Both are deterministic: on equal costs the lower column index wins, so a canonical ordering
 * of rows and columns (by track id) makes the result independent of input order.
 */

/** Scratch arrays of the solvers, grown on demand and reused (no allocation in steady state). */
export class AssignmentWorkspace {
  u = new Float64Array(16);
  v = new Float64Array(16);
  shortest = new Float64Array(16);
  path = new Int32Array(16);
  row4col = new Int32Array(16);
  col4row = new Int32Array(16);
  remaining = new Int32Array(16);
  scannedRow = new Uint8Array(16);
  scannedCol = new Uint8Array(16);

  /** Makes room for n rows and m columns. */
  ensure(n: number, m: number): void {
    const size = Math.max(n, m) + 1;
    if (this.u.length >= size) return;
    const cap = Math.max(size, this.u.length * 2);
    this.u = new Float64Array(cap);
    this.v = new Float64Array(cap);
    this.shortest = new Float64Array(cap);
    this.path = new Int32Array(cap);
    this.row4col = new Int32Array(cap);
    this.col4row = new Int32Array(cap);
    this.remaining = new Int32Array(cap);
    this.scannedRow = new Uint8Array(cap);
    this.scannedCol = new Uint8Array(cap);
  }
}

/** Thrown when the sizes are not n ≤ m or an entry is not finite. */
export class AssignmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssignmentError';
  }
}

function check(cost: Float64Array, n: number, m: number): void {
  if (n > m) throw new AssignmentError(`assignment: ${n} rows > ${m} columns (transpose first)`);
  if (cost.length < n * m) throw new AssignmentError('assignment: cost matrix shorter than n·m');
}

/**
 * Jonker–Volgenant shortest augmenting path (Crouse 2016). Writes each row's column into
 * `rowToCol` (length ≥ n) and returns the total cost. O(n²m) worst case; fast on the small
 * clusters the fusion gives it.
 */
export function solveShortestAugmentingPath(
  cost: Float64Array,
  n: number,
  m: number,
  rowToCol: Int32Array,
  ws: AssignmentWorkspace = new AssignmentWorkspace(),
): number {
  check(cost, n, m);
  ws.ensure(n, m);
  const { u, v, shortest, path, row4col, col4row, remaining, scannedRow, scannedCol } = ws;
  u.fill(0, 0, n);
  v.fill(0, 0, m);
  row4col.fill(-1, 0, m);
  col4row.fill(-1, 0, n);
  for (let curRow = 0; curRow < n; curRow++) {
    let minVal = 0;
    let i = curRow;
    let numRemaining = m;
    for (let it = 0; it < m; it++) remaining[it] = m - 1 - it;
    scannedRow.fill(0, 0, n);
    scannedCol.fill(0, 0, m);
    shortest.fill(Infinity, 0, m);
    let sink = -1;
    while (sink === -1) {
      scannedRow[i] = 1;
      let lowest = Infinity;
      let index = -1;
      const base = i * m;
      const ui = u[i]!;
      for (let it = 0; it < numRemaining; it++) {
        const j = remaining[it]!;
        const r = minVal + cost[base + j]! - ui - v[j]!;
        if (r < shortest[j]!) {
          path[j] = i;
          shortest[j] = r;
        }
        const s = shortest[j]!;
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      if (index < 0 || lowest === Infinity) throw new AssignmentError('assignment: no feasible assignment');
      minVal = lowest;
      const j = remaining[index]!;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j]!;
      scannedCol[j] = 1;
      remaining[index] = remaining[--numRemaining]!;
    }
    u[curRow] = u[curRow]! + minVal;
    for (let r = 0; r < n; r++) if (scannedRow[r] === 1 && r !== curRow) u[r] = u[r]! + minVal - shortest[col4row[r]!]!;
    for (let c = 0; c < m; c++) if (scannedCol[c] === 1) v[c] = v[c]! - (minVal - shortest[c]!);
    let j = sink;
    for (;;) {
      const r = path[j]!;
      row4col[j] = r;
      const previous = col4row[r]!;
      col4row[r] = j;
      j = previous;
      if (r === curRow) break;
    }
  }
  let total = 0;
  for (let r = 0; r < n; r++) {
    rowToCol[r] = col4row[r]!;
    total += cost[r * m + col4row[r]!]!;
  }
  return total;
}

/**
 * The Hungarian (Kuhn–Munkres) method with row and column potentials over the full n×m matrix,
 * O(n²m). Writes each row's column into `rowToCol` and returns the total cost. Allocates its
 * O(n + m) scratch per call (it is the baseline, not the hot path).
 */
export function solveDenseHungarian(cost: Float64Array, n: number, m: number, rowToCol: Int32Array): number {
  check(cost, n, m);
  // 1-based, column 0 is the virtual start
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // row matched to column j (0 = none)
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = Infinity;
      let j1 = 0;
      const base = (i0 - 1) * m - 1;
      const ui0 = u[i0]!;
      for (let j = 1; j <= m; j++) {
        if (used[j] === 1) continue;
        const cur = cost[base + j]! - ui0 - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      if (j1 === 0) throw new AssignmentError('assignment: no feasible assignment');
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
  let total = 0;
  for (let j = 1; j <= m; j++) {
    const row = p[j]!;
    if (row !== 0) {
      rowToCol[row - 1] = j - 1;
      total += cost[(row - 1) * m + j - 1]!;
    }
  }
  return total;
}
