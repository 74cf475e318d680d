import t from 'tap';
import { allocatePointBudget, downsampleSeries } from '../../src/report/downsample-series.js';
import { formatNumber } from '../../src/report/format-number.js';
import { histogram } from '../../src/report/histogram.js';

const series = (n: number, f: (i: number) => number): { x: number; y: number; i: number }[] =>
  Array.from({ length: n }, (_, i) => ({ x: i, y: f(i), i }));

t.test('downsample: a series that fits comes back as it is', async (t) => {
  const s = series(10, (i) => i * i);
  t.equal(downsampleSeries(s, 10), s);
  t.equal(downsampleSeries(s, 50), s);
});

t.test('downsample: at most maxPoints, first and last kept, order kept, originals returned', async (t) => {
  const s = series(10_000, (i) => Math.sin(i / 300) * 1000);
  for (const max of [2, 3, 17, 500, 2000]) {
    const out = downsampleSeries(s, max);
    t.equal(out.length, max, `${max} points`);
    t.equal(out[0], s[0]);
    t.equal(out[out.length - 1], s[s.length - 1]);
    t.ok(
      out.every((p, k) => k === 0 || p.i > out[k - 1]!.i),
      'indices increase',
    );
    t.ok(
      out.every((p) => s[p.i] === p),
      'points are the original objects',
    );
  }
});

t.test('downsample: a single spike (an apogee, a dive) survives', async (t) => {
  const s = series(5000, (i) => (i === 3217 ? 1e6 : 0));
  const out = downsampleSeries(s, 50);
  t.ok(out.some((p) => p.i === 3217));
});

t.test('downsample: non-monotonic x (plan-view loops) still bounded and ends kept', async (t) => {
  const loop = Array.from({ length: 3000 }, (_, i) => ({ x: Math.cos(i / 100), y: Math.sin(i / 100) }));
  const out = downsampleSeries(loop, 300);
  t.equal(out.length, 300);
  t.equal(out[0], loop[0]);
  t.equal(out[299], loop[2999]);
});

t.test('point budget: proportional, at least the minimum, never above a series length, sum within total', async (t) => {
  const lengths = [10_000, 5_000, 3, 1, 600];
  const budget = allocatePointBudget(lengths, 2000);
  t.ok(budget.reduce((a, b) => a + b, 0) <= 2000);
  t.ok(budget.every((b, i) => b <= lengths[i]! && b >= Math.min(2, lengths[i]!)));
  t.ok(budget[0]! > budget[1]! && budget[1]! > budget[4]!);
  t.strictSame(allocatePointBudget([5, 6], 2000), [5, 6], 'everything fits');
  t.strictSame(allocatePointBudget([], 2000), []);
});

t.test('histogram: counts add up, bins are nice and cover every value', async (t) => {
  const values = Array.from({ length: 100 }, (_, i) => -1.23 + i * 0.017);
  const h = histogram(values)!;
  t.equal(
    h.counts.reduce((a, b) => a + b, 0),
    100,
  );
  t.ok(
    [1, 2, 5].some((m) => Math.abs(h.width / 10 ** Math.floor(Math.log10(h.width)) - m) < 1e-9),
    'nice width',
  );
  t.ok(h.lowerEdges[0]! <= h.min);
  t.ok(h.lowerEdges[h.lowerEdges.length - 1]! + h.width >= h.max);
  t.ok(h.counts.length >= 5 && h.counts.length <= 31);
});

t.test('histogram: one value, empty and non-finite samples', async (t) => {
  const one = histogram([7, 7, 7])!;
  t.strictSame(one.counts, [3]);
  t.ok(one.lowerEdges[0]! < 7 && one.lowerEdges[0]! + one.width > 7);
  t.equal(histogram([]), null);
  t.equal(histogram([Number.NaN, Number.POSITIVE_INFINITY]), null);
  t.equal(histogram([1, Number.NaN, 2])!.total, 2);
});

t.test('number format: significant digits, grouping, minus sign, missing values', async (t) => {
  t.equal(formatNumber(0.44655), '0.447');
  t.equal(formatNumber(-0.4952), '\u22120.495');
  t.equal(formatNumber(43654), '43\u2009654');
  t.equal(formatNumber(1000), '1000');
  t.equal(formatNumber(null), '—');
  t.equal(formatNumber(Number.NaN), '—');
  t.equal(formatNumber(0), '0');
});
