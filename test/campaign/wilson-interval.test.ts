import t from 'tap';
import { wilsonInterval } from '../../src/campaign/wilson-interval.js';

// Reference values: Newcombe RG, "Two-sided confidence intervals for the single proportion:
// comparison of seven methods", Statistics in Medicine 17 (1998) 857-872, Table II, method 3
// (Wilson score, no continuity correction), 95 %.
const NEWCOMBE: [number, number, number, number][] = [
  [81, 263, 0.2553, 0.3662],
  [15, 148, 0.0624, 0.1605],
  [0, 20, 0, 0.1611],
  [1, 29, 0.0061, 0.1718],
];

t.test('Wilson 95 % matches the published reference values', async (t) => {
  for (const [k, n, low, high] of NEWCOMBE) {
    const p = wilsonInterval(k, n);
    t.ok(Math.abs(p.low! - low) < 5e-5, `${k}/${n} low ${p.low} ~ ${low}`);
    t.ok(Math.abs(p.high! - high) < 5e-5, `${k}/${n} high ${p.high} ~ ${high}`);
    t.equal(p.estimate, k / n);
  }
});

t.test('edges: all successes reach 1, none reach 0, no trials give nulls', async (t) => {
  const all = wilsonInterval(50, 50);
  t.equal(all.high, 1);
  t.ok(all.low! > 0.9 && all.low! < 0.95, `50/50 low ${all.low}`);
  t.same(wilsonInterval(0, 0), { successes: 0, trials: 0, estimate: null, low: null, high: null });
  t.throws(() => wilsonInterval(3, 2), RangeError);
  t.throws(() => wilsonInterval(1.5, 2), RangeError);
});

t.test('the interval always holds the estimate and narrows with more trials', async (t) => {
  for (let n = 1; n <= 60; n += 7)
    for (let k = 0; k <= n; k++) {
      const p = wilsonInterval(k, n);
      t.ok(p.low! <= p.estimate! && p.estimate! <= p.high!, `${k}/${n}`);
    }
  const small = wilsonInterval(9, 10);
  const large = wilsonInterval(900, 1000);
  t.ok(large.high! - large.low! < small.high! - small.low!);
});
