/**
 * The asset probability as it was before decision 0046 (docs/decisions/0046-*.md): the 8×8 grid
 * quadrature for ellipses about an asset's size. Kept unchanged, for the accuracy comparison in
 * asset-probability-accuracy.property.test.ts only (the new quadrature must be at least as
 * accurate against a precise reference as this one was).
 */
import { boundingCircle, type DefendedAssetConfig, insideArea } from '../../src/control/defended-assets.js';
import { fdlibmExp } from '../../src/control/fdlibm-exp.js';

/** 5-point Gauss–Hermite rule for the standard normal (probabilists'): nodes and weights. */
const GH_NODES = [0, -1.3556261799742659, 1.3556261799742659, -2.8569700138728056, 2.8569700138728056];
const GH_WEIGHTS = [
  0.5333333333333333, 0.2220759220056126, 0.2220759220056126, 0.011257411327720691, 0.011257411327720691,
];
/** Cells per side of the grid that samples an asset's area. */
const AREA_GRID = 8;
/** An ellipse whose largest sigma is under 1/this of the asset's radius counts as small. */
const SMALL_ELLIPSE_RATIO = 5;
/**
 * Beyond this many standard deviations (of the largest axis) from the enclosing circle, the
 * probability is taken as 0. Callers may apply the same test first ({@link AssetProbability.sigmaMaxM}).
 */
export const PRUNE_SIGMAS = 5;

/** Registers of {@link AssetProbability.io}: the ground point's mean and covariance in, P out. */
export const IO_MEAN_E = 0;
export const IO_MEAN_N = 1;
export const IO_SEE = 2;
export const IO_SEN = 3;
export const IO_SNN = 4;
export const IO_P = 5;
const ELL_SEE = 0;
const ELL_SEN = 1;
const ELL_SNN = 2;
const ELL_DET = 3;
const ELL_SIGMA_MAX = 4;

/**
 * Probability that a 2-D Gaussian ground point (mean, covariance) falls inside a defended
 * asset's area, by whichever deterministic quadrature suits the sizes:
 * - ellipse small next to the asset (largest sigma under a fifth of its radius): the 5×5 Gauss–Hermite points of the Gaussian, each tested
 *   for inclusion in the area (exact for a point-like ellipse);
 * - ellipse large next to the asset: the Gaussian density summed over a 8×8 grid over the
 *   asset's bounding box (cells inside it, weights scaled to the area's true size).
 * - ellipse much larger than the asset (smallest sigma over twice its radius): area × density
 *   at the area's centroid.
 * Pairs farther than 5 sigma from the asset's enclosing circle cost one comparison. All tables
 * are built once; `probabilityOf()` allocates nothing.
 */
export class GridAssetProbability {
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
  private readonly ellipse = new Float64Array(5);
  private readonly sampleStart: Int32Array;
  private readonly areaM2: Float64Array;
  private readonly centroidEastM: Float64Array;
  private readonly centroidNorthM: Float64Array;
  private readonly sampleEastM: Float64Array;
  private readonly sampleNorthM: Float64Array;
  private readonly sampleAreaM2: Float64Array;
  /** The areas for the inclusion test: circle (centre, radius²) or polygon (vertex range). */
  private readonly isCircle: Uint8Array;
  private readonly circleEastM: Float64Array;
  private readonly circleNorthM: Float64Array;
  private readonly circleRadius2M2: Float64Array;
  private readonly vertexStart: Int32Array;
  private readonly vertexEastM: Float64Array;
  private readonly vertexNorthM: Float64Array;

  constructor(private readonly assets: readonly DefendedAssetConfig[]) {
    this.count = assets.length;
    this.centerEastM = new Float64Array(this.count);
    this.centerNorthM = new Float64Array(this.count);
    this.radiusM = new Float64Array(this.count);
    this.sampleStart = new Int32Array(this.count + 1);
    this.areaM2 = new Float64Array(this.count);
    this.centroidEastM = new Float64Array(this.count);
    this.centroidNorthM = new Float64Array(this.count);
    this.isCircle = new Uint8Array(this.count);
    this.circleEastM = new Float64Array(this.count);
    this.circleNorthM = new Float64Array(this.count);
    this.circleRadius2M2 = new Float64Array(this.count);
    this.vertexStart = new Int32Array(this.count + 1);
    const ve: number[] = [];
    const vn: number[] = [];
    const e: number[] = [];
    const n: number[] = [];
    const w: number[] = [];
    assets.forEach((asset, i) => {
      const area = asset.area;
      this.vertexStart[i] = ve.length;
      if (area.kind === 'circle') {
        this.isCircle[i] = 1;
        this.circleEastM[i] = area.eastM;
        this.circleNorthM[i] = area.northM;
        this.circleRadius2M2[i] = area.radiusM * area.radiusM;
      } else {
        for (const v of area.vertices) {
          ve.push(v.eastM);
          vn.push(v.northM);
        }
      }
      const c = boundingCircle(asset.area);
      this.centerEastM[i] = c.eastM;
      this.centerNorthM[i] = c.northM;
      this.radiusM[i] = c.radiusM;
      this.sampleStart[i] = e.length;
      const box = boundingBox(asset);
      const cellE = (box.maxE - box.minE) / AREA_GRID;
      const cellN = (box.maxN - box.minN) / AREA_GRID;
      const first = e.length;
      for (let a = 0; a < AREA_GRID; a++)
        for (let b = 0; b < AREA_GRID; b++) {
          const pe = box.minE + (a + 0.5) * cellE;
          const pn = box.minN + (b + 0.5) * cellN;
          if (!insideArea(asset.area, pe, pn)) continue;
          e.push(pe);
          n.push(pn);
          w.push(cellE * cellN);
        }
      // Scale the cells so they add up to the area's true size.
      const trueArea = areaM2(asset);
      this.areaM2[i] = trueArea;
      let ce = 0;
      let cn = 0;
      let cw = 0;
      for (let k = first; k < w.length; k++) {
        ce += e[k]! * w[k]!;
        cn += n[k]! * w[k]!;
        cw += w[k]!;
      }
      this.centroidEastM[i] = cw > 0 ? ce / cw : c.eastM;
      this.centroidNorthM[i] = cw > 0 ? cn / cw : c.northM;
      const gridArea = w.slice(first).reduce((s, x) => s + x, 0);
      for (let k = first; k < w.length; k++) w[k] = gridArea > 0 ? (w[k]! * trueArea) / gridArea : 0;
    });
    this.sampleStart[this.count] = e.length;
    this.vertexStart[this.count] = ve.length;
    this.sampleEastM = Float64Array.from(e);
    this.sampleNorthM = Float64Array.from(n);
    this.sampleAreaM2 = Float64Array.from(w);
    this.vertexEastM = Float64Array.from(ve);
    this.vertexNorthM = Float64Array.from(vn);
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
    const inv00 = snn / det;
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
    const inv01 = -sen / det;
    const inv11 = see / det;
    const norm = 1 / (2 * Math.PI * Math.sqrt(det));
    let p = 0;
    const end = this.sampleStart[i + 1]!;
    const sE = this.sampleEastM;
    const sN = this.sampleNorthM;
    const sA = this.sampleAreaM2;
    for (let k = this.sampleStart[i]!; k < end; k++) {
      const x = sE[k]! - meanE;
      const y = sN[k]! - meanN;
      p += sA[k]! * fdlibmExp(-0.5 * (inv00 * x * x + 2 * inv01 * x * y + inv11 * y * y));
    }
    p *= norm;
    io[IO_P] = p > 1 ? 1 : p;
  }
}

function areaM2(asset: DefendedAssetConfig): number {
  const a = asset.area;
  if (a.kind === 'circle') return Math.PI * a.radiusM * a.radiusM;
  let s = 0;
  for (let i = 0, j = a.vertices.length - 1; i < a.vertices.length; j = i++)
    s += a.vertices[j]!.eastM * a.vertices[i]!.northM - a.vertices[i]!.eastM * a.vertices[j]!.northM;
  return Math.abs(s) / 2;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

function boundingBox(asset: DefendedAssetConfig): { minE: number; maxE: number; minN: number; maxN: number } {
  const a = asset.area;
  if (a.kind === 'circle')
    return {
      minE: a.eastM - a.radiusM,
      maxE: a.eastM + a.radiusM,
      minN: a.northM - a.radiusM,
      maxN: a.northM + a.radiusM,
    };
  return {
    minE: Math.min(...a.vertices.map((v) => v.eastM)),
    maxE: Math.max(...a.vertices.map((v) => v.eastM)),
    minN: Math.min(...a.vertices.map((v) => v.northM)),
    maxN: Math.max(...a.vertices.map((v) => v.northM)),
  };
}
