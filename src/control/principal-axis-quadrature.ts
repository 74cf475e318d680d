import { ELL_COS, ELL_SIGMA_MAJOR, ELL_SIGMA_MINOR, ELL_SIN, IO_MEAN_E, IO_MEAN_N, IO_P } from './asset-registers.js';
import { fdlibmExp } from './fdlibm-exp.js';
import { GL4_NODES, GL4_WEIGHTS, INV_SQRT_2PI, normalCdfFast } from './normal-quadrature.js';

/** Half-width of the integration window along each principal axis, in that axis's sigmas. */
const WINDOW_SIGMAS = 6;
/** Longest stretch, in major-axis sigmas, one 4-point Gauss–Legendre rule covers. */
const PIECE_SIGMAS = 3;

/** The area tables of AssetProbability the quadrature reads (shared, not copied). */
export interface AreaTables {
  readonly isCircle: Uint8Array;
  readonly circleEastM: Float64Array;
  readonly circleNorthM: Float64Array;
  readonly circleRadiusM: Float64Array;
  readonly circleRadius2M2: Float64Array;
  /** Polygon `i`'s vertices are `vertexStart[i] … vertexStart[i + 1] − 1`. */
  readonly vertexStart: Int32Array;
  readonly vertexEastM: Float64Array;
  readonly vertexNorthM: Float64Array;
  /** +1 for a counter-clockwise polygon, −1 for a clockwise one. */
  readonly orientation: Float64Array;
}

/**
 * P(a 2-D Gaussian ground point inside an asset's area) for an ellipse about the asset's size,
 * by a 1-D integral along the ellipse's major axis (docs/decisions/0046-principal-axis-quadrature.md).
 * Inputs: the mean in `io[IO_MEAN_E]`, `io[IO_MEAN_N]`, the principal axes in `ell` (ELL_COS,
 * ELL_SIN, ELL_SIGMA_MAJOR, ELL_SIGMA_MINOR, as AssetProbability.setEllipse prepares them); the
 * result goes to `io[IO_P]`, clamped to [0, 1]. Deterministic (fixed nodes, fixed order) and
 * allocation-free (scratch sized for the largest polygon at construction).
 */
export class PrincipalAxisQuadrature {
  /** Scratch of the polygon quadrature: vertices in the ellipse's frame, edge slopes, breakpoints. */
  private readonly frameU: Float64Array;
  private readonly frameV: Float64Array;
  private readonly edgeSlope: Float64Array;
  private readonly breakU: Float64Array;

  constructor(
    private readonly tables: AreaTables,
    maxVertices: number,
  ) {
    this.frameU = new Float64Array(maxVertices);
    this.frameV = new Float64Array(maxVertices);
    this.edgeSlope = new Float64Array(maxVertices);
    this.breakU = new Float64Array(2 * maxVertices + 2);
  }

  /**
   * P(inside circle `i`) in the ellipse's principal frame (u along the major axis, v along the
   * minor, origin at the mean): ∫ φ(u/σ₁)/σ₁ · [Φ((v_c + h(u))/σ₂) − Φ((v_c − h(u))/σ₂)] du with
   * the half-chord h(u) = √(r² − (u − u_c)²), by 4-point Gauss–Legendre on equal stretches of at
   * most 3 σ₁ of the chord range within 6 σ₁ of the mean (narrowed where the circle meets the
   * ±6 σ₂ band only in part).
   */
  circleMass(i: number, io: Float64Array, ell: Float64Array): void {
    const c = ell[ELL_COS]!;
    const s = ell[ELL_SIN]!;
    const sigma1 = ell[ELL_SIGMA_MAJOR]!;
    const sigma2 = ell[ELL_SIGMA_MINOR]!;
    const dE = this.tables.circleEastM[i]! - io[IO_MEAN_E]!;
    const dN = this.tables.circleNorthM[i]! - io[IO_MEAN_N]!;
    const uc = c * dE + s * dN;
    const vc = c * dN - s * dE;
    const r = this.tables.circleRadiusM[i]!;
    const r2 = this.tables.circleRadius2M2[i]!;
    let halfWidth = r;
    const gap = (vc < 0 ? -vc : vc) - WINDOW_SIGMAS * sigma2;
    if (gap > 0) {
      if (gap >= r) {
        io[IO_P] = 0;
        return;
      }
      halfWidth = Math.sqrt(r2 - gap * gap);
    }
    const window = WINDOW_SIGMAS * sigma1;
    const lo = uc - halfWidth > -window ? uc - halfWidth : -window;
    const hi = uc + halfWidth < window ? uc + halfWidth : window;
    if (!(hi > lo)) {
      io[IO_P] = 0;
      return;
    }
    const inv1 = 1 / sigma1;
    const inv2 = 1 / sigma2;
    const pieces = Math.ceil((hi - lo) / (PIECE_SIGMAS * sigma1));
    const half = (hi - lo) / (2 * pieces);
    let sum = 0;
    for (let piece = 0; piece < pieces; piece++) {
      const mid = lo + (2 * piece + 1) * half;
      for (let k = 0; k < 4; k++) {
        const u = mid + half * GL4_NODES[k]!;
        const x = u - uc;
        const h2 = r2 - x * x;
        if (!(h2 > 0)) continue;
        const h = Math.sqrt(h2);
        const z = u * inv1;
        const mass = normalCdfFast((vc + h) * inv2) - normalCdfFast((vc - h) * inv2);
        sum += GL4_WEIGHTS[k]! * fdlibmExp(-0.5 * z * z) * mass;
      }
    }
    const p = sum * half * inv1 * INV_SQRT_2PI;
    io[IO_P] = p > 1 ? 1 : p;
  }

  /**
   * P(inside polygon `i`) in the ellipse's principal frame: the same integral as
   * {@link circleMass}, the minor-axis mass of the chord at u being Σ over the edges the line
   * u = const crosses of ±Φ(v_edge(u)/σ₂) (the sign from the edge's direction and the polygon's
   * orientation: exact for a simple polygon, convex or not). The integrand bends at the vertices,
   * so the range within 6 σ₁ is cut at every vertex, and where an edge crosses the major axis (a
   * thin ellipse's mass steps there), and each stretch gets 4-point Gauss–Legendre (split further
   * into equal parts of at most 3 σ₁).
   */
  polygonMass(i: number, io: Float64Array, ell: Float64Array): void {
    const c = ell[ELL_COS]!;
    const s = ell[ELL_SIN]!;
    const sigma1 = ell[ELL_SIGMA_MAJOR]!;
    const sigma2 = ell[ELL_SIGMA_MINOR]!;
    const meanE = io[IO_MEAN_E]!;
    const meanN = io[IO_MEAN_N]!;
    const v0 = this.tables.vertexStart[i]!;
    const n = this.tables.vertexStart[i + 1]! - v0;
    const fu = this.frameU;
    const fv = this.frameV;
    const slope = this.edgeSlope;
    const breaks = this.breakU;
    const window = WINDOW_SIGMAS * sigma1;
    let minU = Infinity;
    let maxU = -Infinity;
    for (let k = 0; k < n; k++) {
      const dE = this.tables.vertexEastM[v0 + k]! - meanE;
      const dN = this.tables.vertexNorthM[v0 + k]! - meanN;
      const u = c * dE + s * dN;
      fu[k] = u;
      fv[k] = c * dN - s * dE;
      if (u < minU) minU = u;
      if (u > maxU) maxU = u;
    }
    const lo = minU > -window ? minU : -window;
    const hi = maxU < window ? maxU : window;
    if (!(hi > lo)) {
      io[IO_P] = 0;
      return;
    }
    // Edge k runs from vertex k − 1 to vertex k. Breakpoints (sorted): lo, the vertices inside,
    // the points where an edge crosses the major axis (where a thin ellipse's mass steps), hi.
    let nb = 1;
    breaks[0] = lo;
    for (let k = 0, j = n - 1; k < n; j = k++) {
      const du = fu[k]! - fu[j]!;
      slope[k] = du !== 0 ? (fv[k]! - fv[j]!) / du : 0;
      nb = insertBreak(breaks, nb, fu[k]!, lo, hi);
      if (fv[k]! > 0 !== fv[j]! > 0) nb = insertBreak(breaks, nb, fu[j]! - (fv[j]! * du) / (fv[k]! - fv[j]!), lo, hi);
    }
    breaks[nb++] = hi;
    const inv1 = 1 / sigma1;
    const inv2 = 1 / sigma2;
    let sum = 0;
    for (let b = 1; b < nb; b++) {
      const from = breaks[b - 1]!;
      const width = breaks[b]! - from;
      if (!(width > 0)) continue;
      const pieces = Math.ceil(width / (PIECE_SIGMAS * sigma1));
      const half = width / (2 * pieces);
      for (let q = 0; q < 4 * pieces; q++) {
        const mid = from + (2 * (q >> 2) + 1) * half;
        const u = mid + half * GL4_NODES[q & 3]!;
        let mass = 0;
        for (let k = 0, j = n - 1; k < n; j = k++) {
          const uk = fu[k]!;
          const uj = fu[j]!;
          if (uk > u !== uj > u) {
            const cdf = normalCdfFast((fv[j]! + (u - uj) * slope[k]!) * inv2);
            mass += uk > uj ? -cdf : cdf;
          }
        }
        const z = u * inv1;
        sum += half * GL4_WEIGHTS[q & 3]! * fdlibmExp(-0.5 * z * z) * mass;
      }
    }
    const p = this.tables.orientation[i]! * sum * inv1 * INV_SQRT_2PI;
    io[IO_P] = p > 1 ? 1 : p < 0 ? 0 : p;
  }
}

/** Inserts `u` into the sorted `breaks[0, count)` when lo < u < hi; returns the new count. */
function insertBreak(breaks: Float64Array, count: number, u: number, lo: number, hi: number): number {
  if (!(u > lo && u < hi)) return count;
  let m = count;
  while (breaks[m - 1]! > u) {
    breaks[m] = breaks[m - 1]!;
    m--;
  }
  breaks[m] = u;
  return count + 1;
}
