/**
 * OSPA and GOSPA against the reference values of Stone Soup's own tests (dstl/Stone-Soup,
 * stonesoup/metricgenerator/tests/test_ospametric.py): the same input sets, the same expected
 * numbers, to 1e-5. Stone Soup states are 1-D positions `[[x]]`; its GOSPA parts
 * `localisation`, `missed`, `false` are in distance^p as ours; its `switching` value is γ·s^(1/p)
 * where our switching part is its p-th power γ^p·s (identical totals for p = 2, the value the
 * reference test uses).
 */
import t, { type Test } from 'tap';
import { SwitchingCounter, gospa, gospaOverTime, ospa, type PictureFrame } from '../../src/metrics/index.js';

const TOL = 1e-5;
const near = (t: Test, actual: number, expected: number, what: string) =>
  t.ok(Math.abs(actual - expected) <= TOL, `${what}: ${actual} ≈ ${expected}`);
const points = (xs: readonly number[]) => xs.map((x) => [x]);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

t.test('test_gospametric_compute_gospa_metric: identical sets, all parts 0 (c=10, p=1)', async (t) => {
  const g = gospa(points(range(5)), points(range(5)), { c: 10, p: 1 });
  t.same([g.distance, g.localisation, g.missed, g.false], [0, 0, 0, 0]);
});

t.test('test_gospametric_compute_assignments: identity, one track missing, one truth missing', async (t) => {
  for (const n of [2, 5]) {
    const g = gospa(points(range(n)), points(range(n)), { c: 10, p: 1 });
    t.same(g.truthToEstimate, range(n), `n=${n}: identity`);
    const missingTrack = gospa(points(range(n - 1)), points(range(n)), { c: 10, p: 1 });
    t.same(missingTrack.truthToEstimate, [...range(n - 1), -1], `n=${n}: last truth unassigned`);
    t.equal(missingTrack.localisation, 0);
    const missingTruth = gospa(points(range(n)), points(range(n - 1)), { c: 10, p: 1 });
    t.same(missingTruth.truthToEstimate, range(n - 1), `n=${n}: last track unassigned`);
  }
});

t.test('test_gospametric_computemetric: tracks i+0.5 then i+1 against truths i (c=10, p=1)', async (t) => {
  const truths = points(range(5));
  near(t, gospa(points(range(5).map((i) => i + 0.5)), truths, { c: 10, p: 1 }).distance / 5, 0.5, 'first');
  near(t, gospa(points(range(5).map((i) => i + 1)), truths, { c: 10, p: 1 }).distance / 5, 1, 'second');
});

t.test('test_ospametric_computeospadistance: tracks i against truths i+0.5 (c=10, p=1)', async (t) => {
  near(t, ospa(points(range(5)), points(range(5).map((i) => i + 0.5)), { c: 10, p: 1 }), 0.5, 'OSPA');
});

t.test('test_ospametric_computemetric: 0.5 then 0.2 for p = 1, 2, ∞', async (t) => {
  for (const p of [1, 2, Number.POSITIVE_INFINITY]) {
    near(t, ospa(points(range(5).map((i) => i + 0.5)), points(range(5)), { c: 10, p }), 0.5, `p=${p} first`);
    near(
      t,
      ospa(points(range(5).map((i) => i + 1.2)), points(range(5).map((i) => i + 1)), { c: 10, p }),
      0.2,
      `p=${p} second`,
    );
  }
});

t.test('test_ospa_computemetric_cardinality_error: 4 tracks, 5 truths', async (t) => {
  const cases: [number, number, number][] = [
    [1, 2.4, 2.16],
    [2, 4.49444, 4.47571],
    [Number.POSITIVE_INFINITY, 10, 10],
  ];
  for (const [p, first, second] of cases) {
    near(t, ospa(points(range(4).map((i) => i + 0.5)), points(range(5)), { c: 10, p }), first, `p=${p} first`);
    near(
      t,
      ospa(points(range(4).map((i) => i + 1.2)), points(range(5).map((i) => i + 1)), { c: 10, p }),
      second,
      `p=${p} second`,
    );
  }
});

t.test('test_switching_gospametric_computemetric: c=2, p=2, switching penalty 3', async (t) => {
  const c = 2;
  const p = 2;
  const gamma = 3;
  const trackXs = { a: [1, 2, 2], b: [2, 1, 1], c: [3, 100, 3] };
  const truthXs = { t1: [1, 1, 1], t2: [2, 2, 2], t3: [3, 3, 3] };
  const frames: PictureFrame[] = range(3).map((k) => ({
    tS: k,
    tracks: Object.entries(trackXs).map(([id, xs]) => ({ id, position: [xs[k]!] })),
    truths: Object.entries(truthXs).map(([id, xs]) => ({ id, position: [xs[k]!] })),
  }));
  const [first, second, third] = gospaOverTime(frames, { c, p, switchingPenalty: gamma });
  t.same(
    [first!.distance, first!.localisation, first!.missed, first!.false, first!.switching],
    [0, 0, 0, 0, 0],
    'first: all 0',
  );
  near(t, second!.distance, Math.pow(c ** p + (2.5 ** (1 / p) * gamma) ** p, 1 / p), 'second distance');
  t.equal(second!.localisation, 0);
  t.equal(second!.missed, 1 * c, 'second missed = 1·max_penalty');
  t.equal(second!.false, 1 * c, 'second false = 1·max_penalty');
  near(t, second!.switching ** (1 / p), 2.5 ** (1 / p) * gamma, 'second switching (Stone Soup units)');
  near(t, third!.distance, 0.5 ** (1 / p) * gamma, 'third distance');
  t.same([third!.localisation, third!.missed, third!.false], [0, 0, 0]);
  near(t, third!.switching ** (1 / p), 0.5 ** (1 / p) * gamma, 'third switching (Stone Soup units)');
});

t.test(
  'test_switching_loss: the association sequences (the fourth of six repeats the third) (loss factor 1, p = 1)',
  async (t) => {
    type Step = Record<number, number | null>;
    const cases: [Step[], number[]][] = [
      [
        [
          { 0: 0, 1: 1, 2: 2 },
          { 0: 0, 1: 1, 2: 2 },
          { 0: 0, 1: 1, 2: null },
          { 0: 0, 1: 1, 2: 2 },
          { 0: 1, 1: 0, 2: 2 },
          { 1: 0, 0: 1, 2: 2 },
          { 0: null, 1: 2, 2: 0 },
        ],
        [0, 0, 0.5, 0.5, 2, 0, 2.5],
      ],
      [
        [
          { 0: 0, 1: 1, 2: 2 },
          { 0: null, 1: null, 2: null },
          { 0: 3, 1: null, 2: null },
        ],
        [0, 1.5, 0.5],
      ],
      [
        [
          { 0: null, 1: null, 2: null },
          { 0: 0, 1: 1, 2: 2 },
        ],
        [0, 0],
      ],
      [
        [{ 0: 0 }, { 0: 0, 1: 1 }, { 0: 0, 1: 1, 2: 3 }],
        [0, 0, 0],
      ],
      [
        [{ 0: 0, 1: 1 }, { 0: 0 }, { 0: 0, 1: 1 }, { 0: 0, 1: 2 }],
        [0, 0, 0, 1],
      ],
    ];
    for (const [n, [steps, expected]] of cases.entries()) {
      const counter = new SwitchingCounter();
      const got = steps.map((step) =>
        counter.add(new Map(Object.entries(step).map(([k, v]) => [k, v === null ? null : String(v)]))),
      );
      t.same(got, expected, `sequence ${n + 1}`);
    }
  },
);
