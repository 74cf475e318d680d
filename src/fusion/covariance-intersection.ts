/**
 * Covariance intersection (Julier & Uhlmann 1997): fuses two estimates (a, A) and (b, B) whose
 * cross-correlation is unknown, consistently for every possible cross-covariance:
 *
 *   P⁻¹ = ω A⁻¹ + (1 − ω) B⁻¹,   x = P (ω A⁻¹ a + (1 − ω) B⁻¹ b),   ω ∈ [0, 1].
 *
 * The weight ω is chosen by one of:
 * - `determinant` (default): minimises det P — equivalently maximises the concave
 *   log det(ω A⁻¹ + (1 − ω) B⁻¹) — by safeguarded Newton iteration on its derivative
 *   tr(M⁻¹ D), D = A⁻¹ − B⁻¹ (at most 30 steps, |Δω| < 1e-7). Invariant to the units of the state axes
 *   (metres vs metres per second), which the trace is not.
 * - `trace`: minimises tr P by golden-section search (at most 40 steps, |Δω| < 1e-7).
 * - `fast`: Niehsen's (2002) closed form ω = tr B / (tr A + tr B): no iteration, still
 *   consistent (any ω is), less tight.
 */
import { inverseFromCholesky6 } from './inverse6.js';
import { STATE_DIM as N } from './matrix.js';
import { cholesky6, choleskySolveColumns6 } from './matrix6.js';

/** How ω is chosen. */
export type OmegaCriterion = 'determinant' | 'trace' | 'fast';

/** Scratch of {@link covarianceIntersection}; one per caller, reused (allocates nothing per call). */
export class CiWorkspace {
  readonly ia = new Float64Array(36);
  readonly ib = new Float64Array(36);
  readonly d = new Float64Array(36);
  readonly m = new Float64Array(36);
  readonly l = new Float64Array(36);
  readonly x = new Float64Array(36);
  readonly y = new Float64Array(6);
  /** tr(M⁻¹D) and tr((M⁻¹D)²) of the last {@link derivatives} (fields, not a returned object: no allocation). */
  d1 = 0;
  d2 = 0;
}

function mix(ws: CiWorkspace, omega: number): boolean {
  const { ia, ib, m, l } = ws;
  for (let k = 0; k < 36; k++) m[k] = omega * ia[k]! + (1 - omega) * ib[k]!;
  return cholesky6(m, 0, l, 0);
}

/** tr(M⁻¹D) and tr((M⁻¹D)²) at ω into `ws.d1`, `ws.d2`; NaN when M is not positive definite. */
function derivatives(ws: CiWorkspace, omega: number): void {
  if (!mix(ws, omega)) {
    ws.d1 = Number.NaN;
    ws.d2 = Number.NaN;
    return;
  }
  const { l, d, x } = ws;
  // X = M⁻¹ D, column by column (each column exactly choleskySolve6 of that column of D)
  choleskySolveColumns6(l, 0, d, 0, x, 0);
  let d1 = 0;
  let d2 = 0;
  for (let i = 0; i < N; i++) {
    d1 += x[i * N + i]!;
    for (let k = 0; k < N; k++) d2 += x[i * N + k]! * x[k * N + i]!;
  }
  ws.d1 = d1;
  ws.d2 = d2;
}

function traceOfInverse(ws: CiWorkspace, omega: number): number {
  if (!mix(ws, omega)) return Infinity;
  inverseFromCholesky6(ws.l, 0, ws.x, 0);
  let t = 0;
  for (let i = 0; i < N; i++) t += ws.x[i * N + i]!;
  return t;
}

function omegaByDeterminant(ws: CiWorkspace): number {
  // g(ω) = log det M(ω) is concave: g' = tr(M⁻¹D) decreases. Start in the middle; only the end
  // on the side g' points to can hold the optimum, so check that one end only.
  let lo = 0;
  let hi = 1;
  let omega = 0.5;
  derivatives(ws, omega);
  const midD1 = ws.d1;
  const midD2 = ws.d2;
  if (midD1 > 0) {
    lo = 0.5;
    derivatives(ws, 1);
    if (!(ws.d1 < 0)) return 1;
  } else {
    hi = 0.5;
    derivatives(ws, 0);
    if (!(ws.d1 > 0)) return 0;
  }
  let d1 = midD1;
  let d2 = midD2;
  for (let step = 0; step < 30; step++) {
    // Newton on g': ω − g'/g'', g'' = −tr((M⁻¹D)²) < 0; bisect when it leaves the bracket
    let next = d2 > 0 ? omega + d1 / d2 : Number.NaN;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - omega) < 1e-7 || hi - lo < 1e-7) return next;
    omega = next;
    derivatives(ws, omega);
    d1 = ws.d1;
    d2 = ws.d2;
    if (d1 > 0) lo = omega;
    else hi = omega;
  }
  return omega;
}

function omegaByTrace(ws: CiWorkspace): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = 0;
  let hi = 1;
  let c = hi - phi * (hi - lo);
  let e = lo + phi * (hi - lo);
  let fc = traceOfInverse(ws, c);
  let fe = traceOfInverse(ws, e);
  for (let step = 0; step < 40 && hi - lo > 1e-7; step++) {
    if (fc <= fe) {
      hi = e;
      e = c;
      fe = fc;
      c = hi - phi * (hi - lo);
      fc = traceOfInverse(ws, c);
    } else {
      lo = c;
      c = e;
      fc = fe;
      e = lo + phi * (hi - lo);
      fe = traceOfInverse(ws, e);
    }
  }
  const mid = 0.5 * (lo + hi);
  // the ends are candidates too (the optimum may sit on a bound)
  const f0 = traceOfInverse(ws, 0);
  const f1 = traceOfInverse(ws, 1);
  const fm = traceOfInverse(ws, mid);
  return f0 <= fm && f0 <= f1 ? 0 : f1 <= fm ? 1 : mid;
}

/**
 * Fuses (a at `aOff`, A at `aCovOff`) with (b, B) into `x` (6, at `xOff`) and `p` (36, at
 * `pOff`) and returns ω, or NaN (outputs untouched) when A or B is not positive definite.
 * The outputs may alias neither input.
 */
export function covarianceIntersection(
  a: Float64Array,
  aOff: number,
  aCov: Float64Array,
  aCovOff: number,
  b: Float64Array,
  bOff: number,
  bCov: Float64Array,
  bCovOff: number,
  x: Float64Array,
  xOff: number,
  p: Float64Array,
  pOff: number,
  criterion: OmegaCriterion,
  ws: CiWorkspace,
): number {
  const { ia, ib, d, l, y } = ws;
  if (!cholesky6(aCov, aCovOff, l, 0)) return Number.NaN;
  inverseFromCholesky6(l, 0, ia, 0);
  if (!cholesky6(bCov, bCovOff, l, 0)) return Number.NaN;
  inverseFromCholesky6(l, 0, ib, 0);
  for (let k = 0; k < 36; k++) d[k] = ia[k]! - ib[k]!;
  let omega: number;
  if (criterion === 'fast') {
    let ta = 0;
    let tb = 0;
    for (let i = 0; i < N; i++) {
      ta += aCov[aCovOff + i * 7]!;
      tb += bCov[bCovOff + i * 7]!;
    }
    omega = tb / (ta + tb);
  } else {
    omega = criterion === 'trace' ? omegaByTrace(ws) : omegaByDeterminant(ws);
  }
  if (!mix(ws, omega)) return Number.NaN;
  inverseFromCholesky6(l, 0, p, pOff);
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let k = 0; k < N; k++)
      sum += omega * ia[i * N + k]! * a[aOff + k]! + (1 - omega) * ib[i * N + k]! * b[bOff + k]!;
    y[i] = sum;
  }
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let k = 0; k < N; k++) sum += p[pOff + i * N + k]! * y[k]!;
    x[xOff + i] = sum;
  }
  return omega;
}
