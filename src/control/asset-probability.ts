import { boundingCircle, type DefendedAssetConfig } from './defended-assets.js';
import {
  ELL_COS,
  ELL_DET,
  ELL_LENGTH,
  ELL_SEE,
  ELL_SEN,
  ELL_SIGMA_MAJOR,
  ELL_SIGMA_MAX,
  ELL_SIGMA_MINOR,
  ELL_SIN,
  ELL_SNN,
  IO_MEAN_E,
  IO_MEAN_N,
  IO_P,
  IO_SEE,
  IO_SEN,
  IO_SNN,
} from './asset-registers.js';
import { normalCdfFast } from './normal-quadrature.js';
import { PrincipalAxisQuadrature } from './principal-axis-quadrature.js';

/** 5-point Gauss–Hermite rule for the standard normal (probabilists'): nodes and weights. */
const GH_NODES = [0, -1.3556261799742659, 1.3556261799742659, -2.8569700138728056, 2.8569700138728056];
const GH_WEIGHTS = [
  0.5333333333333333, 0.2220759220056126, 0.2220759220056126, 0.011257411327720691, 0.011257411327720691,
];
/** An ellipse whose largest sigma is under 1/this of the asset's radius counts as small. */
const SMALL_ELLIPSE_RATIO = 5;
/**
 * Beyond this many standard deviations (of the largest axis) from the enclosing circle, the
 * probability is taken as 0. Callers may apply the same test first ({@link AssetProbability.sigmaMaxM}).
 */
export const PRUNE_SIGMAS = 5;

export { IO_MEAN_E, IO_MEAN_N, IO_P, IO_SEE, IO_SEN, IO_SNN } from './asset-registers.js';

/**
 * Probability that a 2-D Gaussian ground point (mean, covariance) falls inside a defended
 * asset's area, by whichever deterministic quadrature suits the sizes:
 * - ellipse small next to the asset (largest sigma under a fifth of its radius): the 5×5
 *   Gauss–Hermite points of the Gaussian, each tested for inclusion in the area (exact for a
 *   point-like ellipse);
 * - ellipse about the asset's size: a 1-D integral along the ellipse's major axis of the major
 *   axis's density × the minor-axis probability mass inside the area's chord (two normal CDFs per
 *   chord), over the part of the chord range within 6 sigma, by 4-point Gauss–Legendre on
 *   stretches of at most 3 major-axis sigmas — for a polygon also cut at its vertices and where
 *   its edges cross the major axis (docs/decisions/0046-principal-axis-quadrature.md; accuracy
 *   against a precise reference in test/control/asset-probability-accuracy.property.test.ts);
 * - ellipse much larger than the asset (smallest sigma over twice its radius): area × density
 *   at the area's centroid;
 * - whatever the sizes, a covariance with no east–north correlation (every crossing track's)
 *   over a rectangle with edges along east and north: the product of the two 1-D normal masses.
 * Pairs farther than 5 sigma from the asset's enclosing circle cost one comparison. All tables
 * are built once; `probabilityOf()` allocates nothing. Polygons are taken as simple (not
 * self-intersecting), as the config schema states.
 */
export class AssetProbability {
  readonly count: number;
  readonly centerEastM: Float64Array;
  readonly centerNorthM: Float64Array;
  readonly radiusM: Float64Array;
  /**
   * In-out registers of {@link probabilityOf}: `io[IO_MEAN_E]`, `io[IO_MEAN_N]`, `io[IO_SEE]`,
   * `io[IO_SEN]`, `io[IO_SNN]` in, `io[IO_P]` out. The hot path passes its doubles through this
   * typed array instead of as call arguments: a call V8 does not inline boxes every double
   * argument and result into a fresh heap number, which for 1,000 tracks × 20 assets was about
   * 1.6 MB of garbage per evaluation and made the scavenger run every few ticks.
   */
  readonly io = new Float64Array(6);
  /** The prepared covariance of {@link setEllipse} (floored; ELL_* registers). */
  private readonly ellipse = new Float64Array(ELL_LENGTH);
  private readonly areaM2: Float64Array;
  private readonly centroidEastM: Float64Array;
  private readonly centroidNorthM: Float64Array;
  /** The areas: circle (centre, radius, radius²) or polygon (vertex range, orientation ±1). */
  readonly isCircle: Uint8Array;
  readonly circleEastM: Float64Array;
  readonly circleNorthM: Float64Array;
  readonly circleRadiusM: Float64Array;
  readonly circleRadius2M2: Float64Array;
  readonly vertexStart: Int32Array;
  readonly vertexEastM: Float64Array;
  readonly vertexNorthM: Float64Array;
  readonly orientation: Float64Array;
  /** 1 for a rectangle with edges along east and north, its extent in rect*. */
  private readonly isAxisRectangle: Uint8Array;
  private readonly rectMinEastM: Float64Array;
  private readonly rectMaxEastM: Float64Array;
  private readonly rectMinNorthM: Float64Array;
  private readonly rectMaxNorthM: Float64Array;
  /** The quadrature for ellipses about an asset's size (shares the tables above). */
  private readonly quadrature: PrincipalAxisQuadrature;

  constructor(private readonly assets: readonly DefendedAssetConfig[]) {
    this.count = assets.length;
    this.centerEastM = new Float64Array(this.count);
    this.centerNorthM = new Float64Array(this.count);
    this.radiusM = new Float64Array(this.count);
    this.areaM2 = new Float64Array(this.count);
    this.centroidEastM = new Float64Array(this.count);
    this.centroidNorthM = new Float64Array(this.count);
    this.isCircle = new Uint8Array(this.count);
    this.circleEastM = new Float64Array(this.count);
    this.circleNorthM = new Float64Array(this.count);
    this.circleRadiusM = new Float64Array(this.count);
    this.circleRadius2M2 = new Float64Array(this.count);
    this.vertexStart = new Int32Array(this.count + 1);
    this.orientation = new Float64Array(this.count);
    this.isAxisRectangle = new Uint8Array(this.count);
    this.rectMinEastM = new Float64Array(this.count);
    this.rectMaxEastM = new Float64Array(this.count);
    this.rectMinNorthM = new Float64Array(this.count);
    this.rectMaxNorthM = new Float64Array(this.count);
    const ve: number[] = [];
    const vn: number[] = [];
    let maxVertices = 0;
    assets.forEach((asset, i) => {
      const area = asset.area;
      this.vertexStart[i] = ve.length;
      const c = boundingCircle(asset.area);
      this.centerEastM[i] = c.eastM;
      this.centerNorthM[i] = c.northM;
      this.radiusM[i] = c.radiusM;
      if (area.kind === 'circle') {
        this.isCircle[i] = 1;
        this.circleEastM[i] = area.eastM;
        this.circleNorthM[i] = area.northM;
        this.circleRadiusM[i] = area.radiusM;
        this.circleRadius2M2[i] = area.radiusM * area.radiusM;
        this.areaM2[i] = Math.PI * area.radiusM * area.radiusM;
        this.centroidEastM[i] = area.eastM;
        this.centroidNorthM[i] = area.northM;
        return;
      }
      const v = area.vertices;
      maxVertices = Math.max(maxVertices, v.length);
      for (const p of v) {
        ve.push(p.eastM);
        vn.push(p.northM);
      }
      // Shoelace area and centroid, relative to the bounding circle's centre (less cancellation).
      let twiceArea = 0;
      let ce = 0;
      let cn = 0;
      for (let k = 0, j = v.length - 1; k < v.length; j = k++) {
        const xj = v[j]!.eastM - c.eastM;
        const yj = v[j]!.northM - c.northM;
        const xk = v[k]!.eastM - c.eastM;
        const yk = v[k]!.northM - c.northM;
        const cross = xj * yk - xk * yj;
        twiceArea += cross;
        ce += (xj + xk) * cross;
        cn += (yj + yk) * cross;
      }
      this.areaM2[i] = Math.abs(twiceArea) / 2;
      if (isAxisRectangle(v)) {
        this.isAxisRectangle[i] = 1;
        this.rectMinEastM[i] = Math.min(...v.map((p) => p.eastM));
        this.rectMaxEastM[i] = Math.max(...v.map((p) => p.eastM));
        this.rectMinNorthM[i] = Math.min(...v.map((p) => p.northM));
        this.rectMaxNorthM[i] = Math.max(...v.map((p) => p.northM));
      }
      this.orientation[i] = twiceArea >= 0 ? 1 : -1;
      this.centroidEastM[i] = twiceArea !== 0 ? c.eastM + ce / (3 * twiceArea) : c.eastM;
      this.centroidNorthM[i] = twiceArea !== 0 ? c.northM + cn / (3 * twiceArea) : c.northM;
    });
    this.vertexStart[this.count] = ve.length;
    this.vertexEastM = Float64Array.from(ve);
    this.vertexNorthM = Float64Array.from(vn);
    this.quadrature = new PrincipalAxisQuadrature(this, maxVertices);
  }

  /**
   * P(point inside asset `i`) for a ground point ~ N([meanE, meanN], [[see, sen], [sen, snn]]).
   * A degenerate covariance (not positive definite) is floored at 1 m². Convenience form of
   * {@link probabilityOf} (same result; may allocate for the boxed arguments).
   */
  probability(i: number, meanE: number, meanN: number, see: number, sen: number, snn: number): number {
    const io = this.io;
    io[IO_MEAN_E] = meanE;
    io[IO_MEAN_N] = meanN;
    io[IO_SEE] = see;
    io[IO_SEN] = sen;
    io[IO_SNN] = snn;
    this.probabilityOf(i);
    return io[IO_P]!;
  }

  /**
   * {@link probability} of asset `i` with its inputs and result in {@link io}: allocates nothing.
   * Calls {@link setEllipse} first (the covariance in `io` may have changed).
   */
  probabilityOf(i: number): void {
    this.setEllipse();
    this.probabilityWithEllipse(i);
  }

  /**
   * Prepares the covariance in `io` (floored, its determinant and largest sigma) for any number
   * of {@link probabilityWithEllipse} calls with the same covariance: the per-asset work of a
   * track whose impact ellipse is tested against every asset is then only the asset's own part.
   */
  setEllipse(): void {
    const io = this.io;
    const ell = this.ellipse;
    let see = io[IO_SEE]!;
    let sen = io[IO_SEN]!;
    let snn = io[IO_SNN]!;
    if (!(see >= 1)) see = 1;
    if (!(snn >= 1)) snn = 1;
    let det = see * snn - sen * sen;
    if (!(det > 1e-9 * see * snn)) {
      sen = 0;
      det = see * snn;
    }
    ell[ELL_SEE] = see;
    ell[ELL_SEN] = sen;
    ell[ELL_SNN] = snn;
    ell[ELL_DET] = det;
    ell[ELL_SIGMA_MAX] = Math.sqrt(Math.max(see, snn));
    // Principal axes: λ₁ ≥ λ₂ (λ₂ = det/λ₁, no cancellation), eigenvector of λ₁ from the
    // better-conditioned row; a circle-shaped covariance takes east as its major axis.
    const lambda1 = (see + snn) / 2 + Math.sqrt(((see - snn) / 2) ** 2 + sen * sen);
    let ax = see >= snn ? lambda1 - snn : sen;
    let ay = see >= snn ? sen : lambda1 - see;
    const len = Math.sqrt(ax * ax + ay * ay);
    if (len > 0) {
      ax /= len;
      ay /= len;
    } else {
      ax = 1;
      ay = 0;
    }
    ell[ELL_COS] = ax;
    ell[ELL_SIN] = ay;
    ell[ELL_SIGMA_MAJOR] = Math.sqrt(lambda1);
    ell[ELL_SIGMA_MINOR] = Math.sqrt(det / lambda1);
  }

  /**
   * The largest standard deviation (m) of the covariance of the last {@link setEllipse}: a pair
   * with (mean − centre)² > (radius + PRUNE_SIGMAS × this)², computed in that order, has
   * probability exactly 0 from {@link probabilityWithEllipse}, so a caller may skip the call.
   */
  sigmaMaxM(): number {
    return this.ellipse[ELL_SIGMA_MAX]!;
  }

  /** {@link probabilityOf} for the mean in `io` and the covariance of the last {@link setEllipse}. */
  probabilityWithEllipse(i: number): void {
    const io = this.io;
    const ell = this.ellipse;
    const meanE = io[IO_MEAN_E]!;
    const meanN = io[IO_MEAN_N]!;
    const sigmaMax = ell[ELL_SIGMA_MAX]!;
    const dE = meanE - this.centerEastM[i]!;
    const dN = meanN - this.centerNorthM[i]!;
    const r = this.radiusM[i]!;
    const reach = r + PRUNE_SIGMAS * sigmaMax;
    if (dE * dE + dN * dN > reach * reach) {
      io[IO_P] = 0;
      return;
    }
    const see = ell[ELL_SEE]!;
    const sen = ell[ELL_SEN]!;
    const snn = ell[ELL_SNN]!;
    const det = ell[ELL_DET]!;
    if (sen === 0 && this.isAxisRectangle[i] === 1) {
      // Uncorrelated east and north (every crossing track's closest approach) over a rectangle
      // along east and north: the probability is a product of two 1-D masses, in closed form.
      const invE = 1 / Math.sqrt(see);
      const invN = 1 / Math.sqrt(snn);
      const pE =
        normalCdfFast((this.rectMaxEastM[i]! - meanE) * invE) - normalCdfFast((this.rectMinEastM[i]! - meanE) * invE);
      const pN =
        normalCdfFast((this.rectMaxNorthM[i]! - meanN) * invN) - normalCdfFast((this.rectMinNorthM[i]! - meanN) * invN);
      const p = pE * pN;
      io[IO_P] = p > 1 ? 1 : p < 0 ? 0 : p;
      return;
    }
    if (sigmaMax * SMALL_ELLIPSE_RATIO <= r) {
      // Cholesky factor of the covariance: x = mean + L z.
      const l11 = Math.sqrt(see);
      const l21 = sen / l11;
      const l22 = Math.sqrt(Math.max(snn - l21 * l21, 1e-9));
      const circle = this.isCircle[i] === 1;
      const cE = this.circleEastM[i]!;
      const cN = this.circleNorthM[i]!;
      const r2 = this.circleRadius2M2[i]!;
      const v0 = this.vertexStart[i]!;
      const v1 = this.vertexStart[i + 1]!;
      const vE = this.vertexEastM;
      const vN = this.vertexNorthM;
      let p = 0;
      for (let a = 0; a < 5; a++) {
        const za = GH_NODES[a]!;
        const x = meanE + l11 * za;
        for (let b = 0; b < 5; b++) {
          const zb = GH_NODES[b]!;
          const y = meanN + l21 * za + l22 * zb;
          // The inclusion test of insideArea (defended-assets.ts), inlined on the tables.
          let inside = false;
          if (circle) {
            const de = x - cE;
            const dn = y - cN;
            inside = de * de + dn * dn <= r2;
          } else {
            for (let k = v0, j = v1 - 1; k < v1; j = k++) {
              const aN = vN[k]!;
              const bN = vN[j]!;
              if (aN > y !== bN > y) {
                const aE = vE[k]!;
                const crossE = aE + ((y - aN) * (vE[j]! - aE)) / (bN - aN);
                if (x < crossE) inside = !inside;
              }
            }
          }
          if (inside) p += GH_WEIGHTS[a]! * GH_WEIGHTS[b]!;
        }
      }
      io[IO_P] = p > 1 ? 1 : p;
      return;
    }
    const halfTrace = (see + snn) / 2;
    const lambdaMin = halfTrace - Math.sqrt(((see - snn) / 2) ** 2 + sen * sen);
    if (lambdaMin > 4 * r * r) {
      const x = this.centroidEastM[i]! - meanE;
      const y = this.centroidNorthM[i]! - meanN;
      const q = (snn * x * x - 2 * sen * x * y + see * y * y) / det;
      const p1 = (this.areaM2[i]! * Math.exp(-0.5 * q)) / (2 * Math.PI * Math.sqrt(det));
      io[IO_P] = p1 > 1 ? 1 : p1;
      return;
    }
    if (this.isCircle[i] === 1) this.quadrature.circleMass(i, io, ell);
    else this.quadrature.polygonMass(i, io, ell);
  }
}

/** True for four vertices whose edges run alternately along east and along north. */
function isAxisRectangle(v: readonly { eastM: number; northM: number }[]): boolean {
  if (v.length !== 4) return false;
  const alongEastFirst = v[0]!.northM === v[1]!.northM;
  for (let k = 0; k < 4; k++) {
    const a = v[k]!;
    const b = v[(k + 1) % 4]!;
    const alongEast = k % 2 === 0 ? alongEastFirst : !alongEastFirst;
    if (alongEast ? a.northM !== b.northM || a.eastM === b.eastM : a.eastM !== b.eastM || a.northM === b.northM)
      return false;
  }
  return true;
}
