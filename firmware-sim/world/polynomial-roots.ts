/** The most roots {@link cubicRootsInto} can write: one per cut point and one per monotonic piece. */
export const MAX_CUBIC_ROOTS = 7;

const wrapperRoots = new Float64Array(MAX_CUBIC_ROOTS);
const cuts = new Float64Array(4);
const quadratic = new Float64Array(2);

/**
 * Real roots of c3·τ³ + c2·τ² + c1·τ + c0 inside [lo, hi], ascending. The cubic is split into
 * monotonic pieces at the roots of its derivative (a quadratic, solved in closed form); each
 * piece with a sign change holds exactly one root, found by safeguarded bisection to machine
 * precision. Robust for every degenerate case (leading coefficients zero or tiny).
 */
export function cubicRootsIn(c3: number, c2: number, c1: number, c0: number, lo: number, hi: number): number[] {
  const count = cubicRootsInto(c3, c2, c1, c0, lo, hi, wrapperRoots);
  return Array.from(wrapperRoots.subarray(0, count));
}

/**
 * {@link cubicRootsIn} without allocating: the roots go to `out[0 .. count)` (`out` must hold
 * {@link MAX_CUBIC_ROOTS}), the count is returned. Same roots, same order, same bits.
 */
export function cubicRootsInto(
  c3: number,
  c2: number,
  c1: number,
  c0: number,
  lo: number,
  hi: number,
  out: Float64Array,
): number {
  let cutCount = 0;
  cuts[cutCount++] = lo;
  const inner = quadraticRootsInto(3 * c3, 2 * c2, c1, quadratic);
  for (let i = 0; i < inner; i++) {
    const t = quadratic[i]!;
    if (t > lo && t < hi) cuts[cutCount++] = t;
  }
  cuts[cutCount++] = hi;
  let count = 0;
  for (let i = 0; i + 1 < cutCount; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    const fa = cubicAt(c3, c2, c1, c0, a);
    const fb = cubicAt(c3, c2, c1, c0, b);
    if (fa === 0) count = pushRoot(out, count, a);
    if (fa * fb < 0) count = pushRoot(out, count, bisect(c3, c2, c1, c0, a, b, fa));
    if (fb === 0) count = pushRoot(out, count, b);
  }
  return count;
}

function cubicAt(c3: number, c2: number, c1: number, c0: number, t: number): number {
  return ((c3 * t + c2) * t + c1) * t + c0;
}

/** Appends `t` unless it repeats the last root; returns the new count. */
function pushRoot(roots: Float64Array, count: number, t: number): number {
  if (count === 0 || roots[count - 1] !== t) roots[count++] = t;
  return count;
}

/** Real roots of a·t² + b·t + c (any of a, b may be zero), ascending. */
export function quadraticRoots(a: number, b: number, c: number): number[] {
  const roots = new Float64Array(2);
  return Array.from(roots.subarray(0, quadraticRootsInto(a, b, c, roots)));
}

/**
 * {@link quadraticRoots} without allocating: the roots go to `out[0 .. count)` (`out` must hold
 * 2), ascending, the count is returned. Non-finite roots of a true quadratic are left out.
 */
function quadraticRootsInto(a: number, b: number, c: number, out: Float64Array): number {
  if (a === 0) {
    if (b === 0) return 0;
    out[0] = -c / b;
    return 1;
  }
  const disc = b * b - 4 * a * c;
  if (disc < 0) return 0;
  const q = -0.5 * (b + (b >= 0 ? 1 : -1) * Math.sqrt(disc));
  let count = 0;
  const first = q / a;
  const second = q !== 0 ? c / q : 0;
  if (Number.isFinite(first)) out[count++] = first;
  if (Number.isFinite(second)) out[count++] = second;
  if (count === 2 && out[1]! < out[0]!) {
    out[1] = first;
    out[0] = second;
  }
  return count;
}

function bisect(c3: number, c2: number, c1: number, c0: number, a: number, b: number, fa: number): number {
  let lo = a;
  let hi = b;
  let flo = fa;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const fm = cubicAt(c3, c2, c1, c0, mid);
    if (fm === 0) return mid;
    if (flo * fm < 0) hi = mid;
    else {
      lo = mid;
      flo = fm;
    }
  }
  return 0.5 * (lo + hi);
}
