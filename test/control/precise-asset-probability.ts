/**
 * A precise (slow) reference for P(a 2-D Gaussian point falls inside a circle or a simple
 * polygon), for the accuracy tests only: the probability mass as a 1-D integral along the
 * ellipse's major axis of the major-axis density × the minor-axis mass of the area's chord,
 * integrated by composite 10-point Gauss–Legendre with hundreds of panels (for a circle in the
 * angle θ of u = u_c + r sin θ, which removes the square-root ends of the chord; for a polygon
 * between consecutive vertices, where the integrand bends), with a normal CDF good to ~1e-14
 * (series, and Lentz's continued fraction for the tail). Independently checked against seeded
 * Monte Carlo in asset-probability-accuracy.property.test.ts.
 */
import type { GroundArea } from '../../src/control/defended-assets.js';

/** erf(x) to ~1e-14: Maclaurin series for |x| ≤ 3, continued fraction of erfc beyond. */
function erfPrecise(x: number): number {
  const ax = Math.abs(x);
  let r: number;
  if (ax <= 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 300; n++) {
      term *= (-ax * ax) / n;
      const c = term / (2 * n + 1);
      sum += c;
      if (Math.abs(c) < 1e-17 * Math.abs(sum)) break;
    }
    r = (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), modified Lentz.
    const tiny = 1e-300;
    let f = ax;
    let c = ax;
    let d = 0;
    for (let n = 1; n < 500; n++) {
      const an = n / 2;
      d = ax + an * d;
      if (d === 0) d = tiny;
      c = ax + an / c;
      if (c === 0) c = tiny;
      d = 1 / d;
      const delta = c * d;
      f *= delta;
      if (Math.abs(delta - 1) < 1e-16) break;
    }
    r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  }
  return x < 0 ? -r : r;
}

/** Standard normal CDF to ~1e-14 (absolute). */
export function normalCdfPrecise(z: number): number {
  return 0.5 * (1 + erfPrecise(z / Math.SQRT2));
}

/** n-point Gauss–Legendre nodes and weights on [−1, 1] (Newton on the Legendre recurrence). */
export function gaussLegendre(n: number): { nodes: number[]; weights: number[] } {
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let i = 1; i <= n; i++) {
    let x = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = x;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1);
      const dx = p1 / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    let p0 = 1;
    let p1 = x;
    for (let k = 2; k <= n; k++) {
      const p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
      p0 = p1;
      p1 = p2;
    }
    dp = (n * (x * p1 - p0)) / (x * x - 1);
    nodes.push(x);
    weights.push(2 / ((1 - x * x) * dp * dp));
  }
  return { nodes, weights };
}

const GL10 = gaussLegendre(10);

/** P(N(mean, [[see, sen], [sen, snn]]) inside `area`), precise (see the file comment). */
export function preciseProbability(
  area: GroundArea,
  meanE: number,
  meanN: number,
  see: number,
  sen: number,
  snn: number,
  panels = 400,
): number {
  const lambda1 = (see + snn) / 2 + Math.sqrt(((see - snn) / 2) ** 2 + sen * sen);
  const lambda2 = (see * snn - sen * sen) / lambda1;
  let ax = see >= snn ? lambda1 - snn : sen;
  let ay = see >= snn ? sen : lambda1 - see;
  const len = Math.hypot(ax, ay);
  [ax, ay] = len > 0 ? [ax / len, ay / len] : [1, 0];
  const s1 = Math.sqrt(lambda1);
  const s2 = Math.sqrt(lambda2);
  const toU = (e: number, n: number): number => ax * (e - meanE) + ay * (n - meanN);
  const toV = (e: number, n: number): number => ax * (n - meanN) - ay * (e - meanE);
  const density = (u: number): number => Math.exp(-0.5 * (u / s1) ** 2) / (s1 * Math.sqrt(2 * Math.PI));
  let sum = 0;
  if (area.kind === 'circle') {
    const uc = toU(area.eastM, area.northM);
    const vc = toV(area.eastM, area.northM);
    const r = area.radiusM;
    const half = Math.PI / 2 / panels;
    for (let p = 0; p < panels; p++) {
      const mid = -Math.PI / 2 + (2 * p + 1) * half;
      for (let k = 0; k < 10; k++) {
        const th = mid + half * GL10.nodes[k]!;
        const h = r * Math.cos(th);
        const u = uc + r * Math.sin(th);
        const mass = normalCdfPrecise((vc + h) / s2) - normalCdfPrecise((vc - h) / s2);
        sum += GL10.weights[k]! * half * h * density(u) * mass;
      }
    }
    return sum;
  }
  const us = area.vertices.map((p) => toU(p.eastM, p.northM));
  const vs = area.vertices.map((p) => toV(p.eastM, p.northM));
  let twice = 0;
  for (let i = 0, j = us.length - 1; i < us.length; j = i++) twice += us[j]! * vs[i]! - us[i]! * vs[j]!;
  const orient = twice >= 0 ? 1 : -1;
  const chordMass = (u: number): number => {
    let m = 0;
    for (let i = 0, j = us.length - 1; i < us.length; j = i++) {
      if (us[i]! > u !== us[j]! > u) {
        const v = vs[j]! + ((u - us[j]!) * (vs[i]! - vs[j]!)) / (us[i]! - us[j]!);
        m += (us[i]! > us[j]! ? -1 : 1) * normalCdfPrecise(v / s2);
      }
    }
    return orient * m;
  };
  const breaks = [...new Set(us)].sort((a, b) => a - b);
  for (let q = 0; q + 1 < breaks.length; q++) {
    const a = breaks[q]!;
    const half = (breaks[q + 1]! - a) / panels / 2;
    for (let p = 0; p < panels; p++) {
      const mid = a + (2 * p + 1) * half;
      for (let k = 0; k < 10; k++) {
        const u = mid + half * GL10.nodes[k]!;
        sum += GL10.weights[k]! * half * density(u) * chordMass(u);
      }
    }
  }
  return sum;
}
