/**
 * Global nearest neighbour association of local tracks (rows) with one partner node's tracks
 * (columns), all aligned to the fusion time in the fusion frame:
 *
 * 1. Gating: a pair is a candidate when the squared Mahalanobis distance of the 6-D state
 *    difference, d² = Δᵀ (P_l + P_p)⁻¹ Δ, is below the chi-square gate. Pairs are found without
 *    testing all n·m: partners are sorted by east, and only those within r_l + r_p in east
 *    (r = √(gate · tr P_pos), a bound that never excludes a gated pair) are tested.
 * 2. Clustering: gated pairs are edges of a bipartite graph; its connected components
 *    (union–find) are solved independently.
 * 3. Assignment per cluster: cost d² − gate for a gated pair, 0 for a non-gated one (= not
 *    associated), solved optimally by the Jonker–Volgenant shortest augmenting path method; a
 *    pair is associated when its cost is negative. This minimises Σ (d² − gate) over all
 *    one-to-one pairings of gated pairs: the GNN assignment with a non-association cost of the
 *    gate.
 *
 * Rows and columns are in canonical (id) order, so the result does not depend on input order.
 */
import { AssignmentWorkspace, solveShortestAugmentingPath } from '../common/linear-assignment.js';
import { COV_SIZE, STATE_DIM } from './matrix.js';
import { cholesky6, mahalanobisSquared6 } from './matrix6.js';

/** Tracks packed for the hot path: state i at `i*6`, covariance i at `i*36`. */
export interface PackedTracks {
  readonly count: number;
  readonly state: Float64Array;
  readonly cov: Float64Array;
}

/** Gated pairs (local index, partner index, d²), growable typed arrays. */
export class EdgeList {
  count = 0;
  local = new Int32Array(256);
  partner = new Int32Array(256);
  cost = new Float64Array(256);

  /** Appends one pair. */
  push(local: number, partner: number, cost: number): void {
    if (this.count === this.local.length) {
      const cap = this.count * 2;
      const l = new Int32Array(cap);
      l.set(this.local);
      const p = new Int32Array(cap);
      p.set(this.partner);
      const c = new Float64Array(cap);
      c.set(this.cost);
      this.local = l;
      this.partner = p;
      this.cost = c;
    }
    this.local[this.count] = local;
    this.partner[this.count] = partner;
    this.cost[this.count] = cost;
    this.count++;
  }
}

/** What one association produced. */
export interface AssociationStats {
  gatedPairs: number;
  clusters: number;
  largestCluster: number;
}

/** Scratch of {@link Associator}, grown on demand. */
export class Associator {
  readonly edges = new EdgeList();
  private order = new Int32Array(0);
  private east = new Float64Array(0);
  private radiusL = new Float64Array(0);
  private radiusP = new Float64Array(0);
  private parent = new Int32Array(0);
  private clusterOf = new Int32Array(0);
  private edgeOrder = new Int32Array(0);
  private clusterStart = new Int32Array(0);
  private stampL = new Int32Array(0);
  private stampP = new Int32Array(0);
  private rowOf = new Int32Array(0);
  private colOf = new Int32Array(0);
  private rows: number[] = [];
  private cols: number[] = [];
  private cursor = new Int32Array(0);
  private readonly pairs: number[] = [];
  private readonly pairOrder: number[] = [];
  private matrix = new Float64Array(64);
  private rowToCol = new Int32Array(64);
  private readonly sum = new Float64Array(COV_SIZE);
  private readonly chol = new Float64Array(COV_SIZE);
  private readonly diff = new Float64Array(STATE_DIM);
  private readonly ws = new AssignmentWorkspace();

  private grow(nL: number, nP: number): void {
    const n = nL + nP;
    if (this.parent.length < n) {
      const cap = Math.max(n, this.parent.length * 2);
      this.parent = new Int32Array(cap);
      this.clusterOf = new Int32Array(cap);
    }
    if (this.order.length < nP) {
      const cap = Math.max(nP, this.order.length * 2);
      this.order = new Int32Array(cap);
      this.east = new Float64Array(cap);
      this.radiusP = new Float64Array(cap);
      this.stampP = new Int32Array(cap);
      this.colOf = new Int32Array(cap);
    }
    if (this.radiusL.length < nL) {
      const cap = Math.max(nL, this.radiusL.length * 2);
      this.radiusL = new Float64Array(cap);
      this.stampL = new Int32Array(cap);
      this.rowOf = new Int32Array(cap);
    }
  }

  /**
   * Finds the gated pairs of `local` × partners `[pFrom, pTo)` of `partner` into `this.edges`
   * (partner indices absolute). Pairs whose summed covariance is not positive definite are skipped.
   */
  gate(local: PackedTracks, partner: PackedTracks, pFrom: number, pTo: number, gateChi2: number): void {
    const nL = local.count;
    const nP = pTo - pFrom;
    this.grow(nL, nP);
    const edges = this.edges;
    edges.count = 0;
    const { order, east, radiusL, radiusP } = this;
    let maxRadiusP = 0;
    for (let k = 0; k < nP; k++) {
      const j = pFrom + k;
      const c = j * COV_SIZE;
      radiusP[k] = Math.sqrt(gateChi2 * (partner.cov[c]! + partner.cov[c + 7]! + partner.cov[c + 14]!));
      if (radiusP[k]! > maxRadiusP) maxRadiusP = radiusP[k]!;
      order[k] = k;
    }
    const ps = partner.state;
    // the comparator returns small integers, not the double difference: the same order (only the
    // sign counts) without allocating a heap number per comparison
    const sorted = order.subarray(0, nP).sort((a, b) => {
      const ea = ps[(pFrom + a) * 6]!;
      const eb = ps[(pFrom + b) * 6]!;
      return ea < eb ? -1 : ea > eb ? 1 : a - b;
    });
    for (let k = 0; k < nP; k++) east[k] = ps[(pFrom + sorted[k]!) * 6]!;
    const ls = local.state;
    const { sum, chol, diff } = this;
    for (let i = 0; i < nL; i++) {
      const c = i * COV_SIZE;
      radiusL[i] = Math.sqrt(gateChi2 * (local.cov[c]! + local.cov[c + 7]! + local.cov[c + 14]!));
    }
    for (let i = 0; i < nL; i++) {
      const xi = ls[i * 6]!;
      const yi = ls[i * 6 + 1]!;
      const zi = ls[i * 6 + 2]!;
      const ri = radiusL[i]!;
      // first partner with east ≥ xi − ri − maxRadiusP
      let lo = 0;
      let hi = nP;
      const from = xi - ri - maxRadiusP;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (east[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      const to = xi + ri + maxRadiusP;
      for (let k = lo; k < nP && east[k]! <= to; k++) {
        const kk = sorted[k]!;
        const j = pFrom + kk;
        const bound = ri + radiusP[kk]!;
        const dx = ps[j * 6]! - xi;
        const dy = ps[j * 6 + 1]! - yi;
        const dz = ps[j * 6 + 2]! - zi;
        if (dx * dx + dy * dy + dz * dz > bound * bound) continue;
        const lc = i * COV_SIZE;
        const pc = j * COV_SIZE;
        for (let q = 0; q < COV_SIZE; q++) sum[q] = local.cov[lc + q]! + partner.cov[pc + q]!;
        if (!cholesky6(sum, 0, chol, 0)) continue;
        for (let q = 0; q < STATE_DIM; q++) diff[q] = ls[i * 6 + q]! - ps[j * 6 + q]!;
        const d2 = mahalanobisSquared6(chol, 0, diff, 0);
        if (d2 < gateChi2) edges.push(i, j, d2);
      }
    }
  }

  private find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  }

  /**
   * Clusters `this.edges` (from {@link gate}) and solves each cluster; calls `onMatch(local,
   * partner, d²)` for every associated pair, in canonical order (clusters by their lowest local
   * index; pairs by local index). `pFrom`/`pTo` is the partner range of the gating.
   */
  assign(
    nL: number,
    pFrom: number,
    pTo: number,
    gateChi2: number,
    onMatch: (local: number, partner: number, d2: number) => void,
  ): AssociationStats {
    const nP = pTo - pFrom;
    const edges = this.edges;
    const stats: AssociationStats = { gatedPairs: edges.count, clusters: 0, largestCluster: 0 };
    if (edges.count === 0) return stats;
    const { parent, clusterOf } = this;
    for (let x = 0; x < nL + nP; x++) {
      parent[x] = x;
      clusterOf[x] = -1;
    }
    for (let e = 0; e < edges.count; e++) {
      const a = this.find(edges.local[e]!);
      const b = this.find(nL + edges.partner[e]! - pFrom);
      // the lower index becomes the root, so a cluster's root is its lowest local
      if (a < b) parent[b] = a;
      else if (b < a) parent[a] = b;
    }
    // number clusters in order of their root (lowest local index first)
    let clusters = 0;
    if (this.edgeOrder.length < edges.count)
      this.edgeOrder = new Int32Array(Math.max(edges.count, this.edgeOrder.length * 2));
    if (this.clusterStart.length < nL + 2)
      this.clusterStart = new Int32Array(Math.max(nL + 2, this.clusterStart.length * 2));
    // clusterOf[root] = cluster number, in root order
    for (let e = 0; e < edges.count; e++) {
      const root = this.find(edges.local[e]!);
      if (clusterOf[root] === -1) clusterOf[root] = -2;
    }
    for (let x = 0; x < nL; x++) if (clusterOf[x] === -2) clusterOf[x] = clusters++;
    const start = this.clusterStart;
    start.fill(0, 0, clusters + 1);
    for (let e = 0; e < edges.count; e++) start[clusterOf[this.find(edges.local[e]!)]! + 1]!++;
    for (let c = 0; c < clusters; c++) start[c + 1] = start[c + 1]! + start[c]!;
    if (this.cursor.length < clusters) this.cursor = new Int32Array(Math.max(clusters, this.cursor.length * 2));
    const cursor = this.cursor;
    cursor.set(start.subarray(0, clusters));
    for (let e = 0; e < edges.count; e++) {
      const cl = clusterOf[this.find(edges.local[e]!)]!;
      this.edgeOrder[cursor[cl]!++] = e;
    }
    stats.clusters = clusters;
    const { stampL, stampP, rowOf, colOf, rows, cols } = this;
    stampL.fill(-1, 0, nL);
    stampP.fill(-1, 0, nP);
    for (let cl = 0; cl < clusters; cl++) {
      // overwritten, then cut (emptying the lists would drop their storage)
      let nr = 0;
      let nc = 0;
      for (let k = start[cl]!; k < start[cl + 1]!; k++) {
        const e = this.edgeOrder[k]!;
        const i = edges.local[e]!;
        const j = edges.partner[e]! - pFrom;
        if (stampL[i] !== cl) {
          stampL[i] = cl;
          rows[nr++] = i;
        }
        if (stampP[j] !== cl) {
          stampP[j] = cl;
          cols[nc++] = j;
        }
      }
      rows.length = nr;
      cols.length = nc;
      sortSmallInts(rows);
      sortSmallInts(cols);
      for (let r = 0; r < rows.length; r++) rowOf[rows[r]!] = r;
      for (let c = 0; c < cols.length; c++) colOf[cols[c]!] = c;
      const size = rows.length + cols.length;
      if (size > stats.largestCluster) stats.largestCluster = size;
      const transpose = rows.length > cols.length;
      const n = transpose ? cols.length : rows.length;
      const m = transpose ? rows.length : cols.length;
      if (this.matrix.length < n * m) this.matrix = new Float64Array(Math.max(n * m, this.matrix.length * 2));
      if (this.rowToCol.length < n) this.rowToCol = new Int32Array(Math.max(n, this.rowToCol.length * 2));
      const matrix = this.matrix;
      matrix.fill(0, 0, n * m);
      for (let k = start[cl]!; k < start[cl + 1]!; k++) {
        const e = this.edgeOrder[k]!;
        const r = rowOf[edges.local[e]!]!;
        const c = colOf[edges.partner[e]! - pFrom]!;
        matrix[transpose ? c * m + r : r * m + c] = edges.cost[e]! - gateChi2;
      }
      solveShortestAugmentingPath(matrix, n, m, this.rowToCol, this.ws);
      // report pairs by local index
      if (!transpose) {
        for (let r = 0; r < n; r++) {
          const c = this.rowToCol[r]!;
          const v = matrix[r * m + c]!;
          if (v < 0) onMatch(rows[r]!, pFrom + cols[c]!, v + gateChi2);
        }
      } else {
        // rows of the solve are partners; collect then report in local order (each local once)
        const pairs = this.pairs;
        let np = 0;
        for (let r = 0; r < n; r++) {
          const c = this.rowToCol[r]!;
          const v = matrix[r * m + c]!;
          if (v < 0) {
            pairs[np * 3] = c;
            pairs[np * 3 + 1] = r;
            pairs[np * 3 + 2] = v + gateChi2;
            np++;
          }
        }
        const idx = this.pairOrder;
        for (let q = 0; q < np; q++) idx[q] = q;
        idx.length = np;
        // insertion sort by local (distinct within a cluster: the order is the one a sort gives)
        for (let a = 1; a < np; a++) {
          const q = idx[a]!;
          let b = a - 1;
          while (b >= 0 && pairs[idx[b]! * 3]! > pairs[q * 3]!) {
            idx[b + 1] = idx[b]!;
            b--;
          }
          idx[b + 1] = q;
        }
        for (let a = 0; a < np; a++) {
          const q = idx[a]!;
          onMatch(rows[pairs[q * 3]!]!, pFrom + cols[pairs[q * 3 + 1]!]!, pairs[q * 3 + 2]!);
        }
      }
    }
    return stats;
  }
}

/** Sorts distinct integers ascending in place (insertion sort for the usual small cluster: no allocation). */
function sortSmallInts(a: number[]): void {
  if (a.length > 32) {
    a.sort((x, y) => x - y);
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * The GNN total cost Σ (d² − gate) of an association (negative; 0 when nothing associates).
 * For tests and the benchmark's dense comparison.
 */
export function gnnTotal(pairs: readonly { d2: number }[], gateChi2: number): number {
  let total = 0;
  for (const p of pairs) total += p.d2 - gateChi2;
  return total;
}
