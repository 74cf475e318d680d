/**
 * Real roots of c3·τ³ + c2·τ² + c1·τ + c0 inside [lo, hi], ascending. The cubic is split into
 * monotonic pieces at the roots of its derivative (a quadratic, solved in closed form); each
 * piece with a sign change holds exactly one root, found by safeguarded bisection to machine
 * precision. Robust for every degenerate case (leading coefficients zero or tiny).
 */
export function cubicRootsIn(c3: number, c2: number, c1: number, c0: number, lo: number, hi: number): number[] {
  const f = (t: number): number => ((c3 * t + c2) * t + c1) * t + c0;
  const cuts = [lo, ...quadraticRoots(3 * c3, 2 * c2, c1).filter((t) => t > lo && t < hi), hi];
  const roots: number[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const a = cuts[i]!;
    const b = cuts[i + 1]!;
    const fa = f(a);
    const fb = f(b);
    if (fa === 0) pushRoot(roots, a);
    if (fa * fb < 0) pushRoot(roots, bisect(f, a, b, fa));
    if (fb === 0) pushRoot(roots, b);
  }
  return roots;
}

function pushRoot(roots: number[], t: number): void {
  if (roots.length === 0 || roots[roots.length - 1] !== t) roots.push(t);
}

/** Real roots of a·t² + b·t + c (any of a, b may be zero), ascending. */
export function quadraticRoots(a: number, b: number, c: number): number[] {
  if (a === 0) return b === 0 ? [] : [-c / b];
  const disc = b * b - 4 * a * c;
  if (disc < 0) return [];
  const q = -0.5 * (b + (b >= 0 ? 1 : -1) * Math.sqrt(disc));
  const roots = [q / a];
  if (q !== 0) roots.push(c / q);
  else roots.push(0);
  return roots.filter((r) => Number.isFinite(r)).sort((x, y) => x - y);
}

function bisect(f: (t: number) => number, a: number, b: number, fa: number): number {
  let lo = a;
  let hi = b;
  let flo = fa;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (flo * fm < 0) hi = mid;
    else {
      lo = mid;
      flo = fm;
    }
  }
  return 0.5 * (lo + hi);
}
