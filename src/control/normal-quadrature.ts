/**
 * Building blocks of the principal-axis quadrature of asset-probability.ts
 * (docs/decisions/0046-principal-axis-quadrature.md): Gauss–Legendre rules on [−1, 1] and a
 * standard normal CDF without an exponential.
 */

/** 4-point Gauss–Legendre nodes on [−1, 1] (test/control/normal-quadrature.test.ts). */
export const GL4_NODES = new Float64Array([
  -0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526,
]);
/** The weights of {@link GL4_NODES} (they add up to 2). */
export const GL4_WEIGHTS = new Float64Array([
  0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538,
]);

/** 1 / √(2π). */
export const INV_SQRT_2PI = 0.3989422804014327;

const A1 = 0.0705230784;
const A2 = 0.0422820123;
const A3 = 0.0092705272;
const A4 = 0.0001520143;
const A5 = 0.0002765672;
const A6 = 0.0000430638;

/**
 * Standard normal CDF Φ(z) by Abramowitz & Stegun 7.1.28: erf x = 1 − (1 + a₁x + … + a₆x⁶)^−16,
 * |error of erf| ≤ 3·10⁻⁷, so |error of Φ| ≤ 1.5·10⁻⁷ (absolute: in the far tails the relative
 * error is large, the absolute one stays below that bound). A polynomial, four squarings and a
 * division: no exponential, small enough for the JIT to inline (no boxed result). |z| > 6√2
 * (about 8.49) returns exactly 0 or 1 (the true tail is below 10⁻¹⁶). NaN gives NaN.
 */
export function normalCdfFast(z: number): number {
  const x = (z < 0 ? -z : z) * Math.SQRT1_2;
  if (x > 6) return z > 0 ? 1 : 0;
  const p = 1 + x * (A1 + x * (A2 + x * (A3 + x * (A4 + x * (A5 + x * A6)))));
  const p2 = p * p;
  const p4 = p2 * p2;
  const p8 = p4 * p4;
  const tail = 0.5 / (p8 * p8);
  return z >= 0 ? 1 - tail : tail;
}
