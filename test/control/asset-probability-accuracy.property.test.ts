/**
 * The principal-axis quadrature of AssetProbability (docs/decisions/0046) against a precise
 * reference, beside the 8×8 grid it replaced (GridAssetProbability, the code before): for random
 * circles, rectangles, triangles and non-convex polygons with random ellipses of about the
 * asset's size (the sizes the grid served), the new errors must be no larger than the grid's —
 * mean, 99th percentile and maximum, per kind of area — and within fixed bounds. The reference
 * itself is checked against seeded Monte Carlo first.
 */
import fc from 'fast-check';
import t from 'tap';
import { mulberry32 } from '../../src/common/mulberry32.js';
import { AssetProbability } from '../../src/control/asset-probability.js';
import type { DefendedAssetConfig, GroundArea } from '../../src/control/defended-assets.js';
import { insideArea } from '../../src/control/defended-assets.js';
import { normalCdfFast } from '../../src/control/normal-quadrature.js';
import { GridAssetProbability } from './grid-asset-probability.js';
import { normalCdfPrecise, preciseProbability } from './precise-asset-probability.js';

type Kind = 'circle' | 'rectangle' | 'triangle' | 'star';

interface Case {
  kind: Kind;
  area: GroundArea;
  meanE: number;
  meanN: number;
  see: number;
  sen: number;
  snn: number;
}

const asset = (area: GroundArea): DefendedAssetConfig => ({
  id: 'a',
  area,
  minAltitudeM: 0,
  maxAltitudeM: 1000,
  value: 1,
  keepOut: [],
});

const KINDS = ['circle', 'rectangle', 'triangle', 'star'] as const;

/**
 * A case from 16 numbers in [0, 1]: an area about a far-off centre (as in a bench), an ellipse
 * with its largest sigma 0.15–2.5 × the area's radius and its smallest 0.03–1 × that, at any
 * angle (or exactly along east: the closed-form case for rectangles), and a mean within the
 * radius + 3 sigma of the centre.
 */
function makeCase(x: readonly number[]): Case {
  const kind = KINDS[Math.min(3, Math.floor(x[0]! * 4))]!;
  const centerE = (x[1]! - 0.5) * 60_000;
  const centerN = (x[2]! - 0.5) * 60_000;
  const r = 100 + x[3]! * 2_900;
  const aspect = 0.3 + 0.7 * x[4]!;
  const spin = x[5]! * 2 * Math.PI;
  let area: GroundArea;
  if (kind === 'circle') area = { kind: 'circle', eastM: centerE, northM: centerN, radiusM: r };
  else if (kind === 'rectangle') {
    const h = r * aspect;
    area = {
      kind: 'polygon',
      vertices: [
        [-r, -h],
        [r, -h],
        [r, h],
        [-r, h],
      ].map(([e, n]) => ({ eastM: centerE + e!, northM: centerN + n! })),
    };
  } else {
    // A triangle, or a non-convex star of 7 points at 0.3–1 × r.
    const radii = kind === 'triangle' ? [1, 1, 1] : [6, 7, 8, 9, 10, 11, 12].map((k) => 0.3 + 0.7 * x[k]!);
    area = {
      kind: 'polygon',
      vertices: radii.map((k, i) => ({
        eastM: centerE + r * k * Math.cos(spin + (2 * Math.PI * i) / radii.length),
        northM: centerN + r * k * Math.sin(spin + (2 * Math.PI * i) / radii.length),
      })),
    };
  }
  const s1 = r * (0.15 + 2.35 * x[13]!);
  const s2 = s1 * (0.03 + 0.97 * x[14]!);
  const alongEast = x[15]! < 0.15;
  const angle = alongEast ? 0 : x[15]! * Math.PI;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const d = x[4]! * (r + 3 * s1);
  const bearing = x[5]! * 7 * Math.PI;
  return {
    kind,
    area,
    meanE: centerE + d * Math.cos(bearing),
    meanN: centerN + d * Math.sin(bearing),
    see: cs * cs * s1 * s1 + sn * sn * s2 * s2,
    snn: sn * sn * s1 * s1 + cs * cs * s2 * s2,
    sen: alongEast ? 0 : cs * sn * (s1 * s1 - s2 * s2),
  };
}

/** fast-check's doubles lean to the ends of their ranges: thin, tiny, huge, centred ellipses. */
const caseArb: fc.Arbitrary<Case> = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 16, maxLength: 16 }),
  )
  .map(([kind, x]) => makeCase([(kind + 0.5) / 4, ...x.slice(1)]));

/** Uniform draws (seeded): the run of the mill. */
function uniformCases(count: number, seed: number): Case[] {
  const rand = mulberry32(seed);
  return Array.from({ length: count }, () => makeCase(Array.from({ length: 16 }, rand)));
}

/** The sizes the 8×8 grid served: largest sigma over a fifth of the radius, smallest under 2×. */
function gridRegime(c: Case): boolean {
  const radius = new GridAssetProbability([asset(c.area)]).radiusM[0]!;
  const sigmaMax = Math.sqrt(Math.max(c.see, c.snn));
  const lambdaMin = (c.see + c.snn) / 2 - Math.sqrt(((c.see - c.snn) / 2) ** 2 + c.sen * c.sen);
  return sigmaMax * 5 > radius && !(lambdaMin > 4 * radius * radius);
}

function summary(errors: number[]): { mean: number; p99: number; max: number } {
  const a = errors.map(Math.abs).sort((x, y) => x - y);
  return {
    mean: a.reduce((s, x) => s + x, 0) / a.length,
    p99: a[Math.floor(0.99 * (a.length - 1))]!,
    max: a[a.length - 1]!,
  };
}

const fmt = (s: { mean: number; p99: number; max: number }): string =>
  `mean ${s.mean.toExponential(2)}, p99 ${s.p99.toExponential(2)}, max ${s.max.toExponential(2)}`;

t.test('the precise reference agrees with seeded Monte Carlo', async (t) => {
  const samples = fc.sample(caseArb, { numRuns: 12, seed: 46 });
  const rand = mulberry32(46);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const n = 100_000;
  for (const c of samples) {
    const ref = preciseProbability(c.area, c.meanE, c.meanN, c.see, c.sen, c.snn);
    const l11 = Math.sqrt(c.see);
    const l21 = c.sen / l11;
    const l22 = Math.sqrt(Math.max(c.snn - l21 * l21, 0));
    let hits = 0;
    for (let k = 0; k < n; k++) {
      const z1 = gauss();
      const z2 = gauss();
      if (insideArea(c.area, c.meanE + l11 * z1, c.meanN + l21 * z1 + l22 * z2)) hits++;
    }
    const mc = hits / n;
    const tolerance = 5 * Math.sqrt(Math.max(ref * (1 - ref), 1e-6) / n) + 1e-4;
    t.ok(Math.abs(mc - ref) <= tolerance, `${c.kind}: reference ${ref.toFixed(5)}, Monte Carlo ${mc.toFixed(5)}`);
  }
});

for (const [label, draw] of [
  ['fast-check, leaning to the extremes', () => fc.sample(caseArb, { numRuns: 12_000, seed: 460 })],
  ['uniform draws', () => uniformCases(4_000, 461)],
] as const) {
  t.test(`at least as accurate as the 8×8 grid it replaced, per kind of area (${label})`, async (t) => {
    const cases = draw().filter(gridRegime);
    for (const kind of KINDS) {
      const ofKind = cases.filter((c) => c.kind === kind).slice(0, 200);
      t.ok(ofKind.length >= 100, `${kind}: ${ofKind.length} cases`);
      const oldErrors: number[] = [];
      const newErrors: number[] = [];
      for (const c of ofKind) {
        const ref = preciseProbability(c.area, c.meanE, c.meanN, c.see, c.sen, c.snn, 200);
        const grid = new GridAssetProbability([asset(c.area)]).probability(0, c.meanE, c.meanN, c.see, c.sen, c.snn);
        const now = new AssetProbability([asset(c.area)]).probability(0, c.meanE, c.meanN, c.see, c.sen, c.snn);
        oldErrors.push(grid - ref);
        newErrors.push(now - ref);
      }
      const before = summary(oldErrors);
      const after = summary(newErrors);
      t.comment(`${kind} (${ofKind.length}) |error| 8×8 grid: ${fmt(before)}; principal axis: ${fmt(after)}`);
      t.ok(after.mean <= before.mean, `${kind}: mean error ${after.mean} <= grid's ${before.mean}`);
      t.ok(after.p99 <= before.p99, `${kind}: p99 error ${after.p99} <= grid's ${before.p99}`);
      t.ok(after.max <= before.max, `${kind}: max error ${after.max} <= grid's ${before.max}`);
      t.ok(after.mean <= 2e-3, `${kind}: mean error within 2e-3`);
      t.ok(after.max <= 5e-2, `${kind}: max error within 5e-2`);
    }
  });
}

t.test('uncorrelated covariance over an east–north rectangle: the closed form, at every size', async (t) => {
  const cases = [...fc.sample(caseArb, { numRuns: 3_000, seed: 4600 }), ...uniformCases(3_000, 4601)]
    .filter((c) => c.kind === 'rectangle' && c.sen === 0)
    .slice(0, 150);
  t.ok(cases.length >= 100, `${cases.length} cases`);
  let worst = 0;
  for (const c of cases) {
    for (const scale of [0.01, 1, 30]) {
      const see = c.see * scale;
      const snn = c.snn * scale;
      const ref = preciseProbability(c.area, c.meanE, c.meanN, see, 0, snn, 200);
      const now = new AssetProbability([asset(c.area)]).probability(0, c.meanE, c.meanN, see, 0, snn);
      worst = Math.max(worst, Math.abs(now - ref));
    }
  }
  t.ok(worst < 1e-6, `max |error| ${worst.toExponential(2)} < 1e-6`);
});

t.test('normalCdfFast is within 1.5e-7 of the normal CDF and exactly 0 or 1 far out', async (t) => {
  let worst = 0;
  for (let z = -12; z <= 12; z += 1 / 1024) worst = Math.max(worst, Math.abs(normalCdfFast(z) - normalCdfPrecise(z)));
  t.ok(worst <= 1.5e-7, `max |error| ${worst.toExponential(2)}`);
  t.equal(normalCdfFast(9), 1);
  t.equal(normalCdfFast(-9), 0);
  t.equal(normalCdfFast(0), 0.5);
  t.ok(Number.isNaN(normalCdfFast(NaN)));
  fc.assert(
    fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (z, dz) => {
      return normalCdfFast(z + dz) >= normalCdfFast(z) - 2e-7;
    }),
  );
});
