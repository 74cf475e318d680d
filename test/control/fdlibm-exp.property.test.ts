/**
 * fdlibmExp must return the very double Math.exp returns: threat values, and through them the
 * threat order, the assignment and the recordings, are computed with it.
 */
import fc from 'fast-check';
import t from 'tap';
import { fdlibmExp } from '../../src/control/fdlibm-exp.js';

/** The double after (dir = +1) or before (dir = −1) x. */
function nextDouble(x: number, dir: 1 | -1): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const up = x >= 0 === (dir === 1);
  view.setBigUint64(0, x === 0 ? (dir === 1 ? 1n : 0x8000000000000001n) : up ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

function fromWords(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

const same = (x: number): boolean => Object.is(fdlibmExp(x), Math.exp(x));

t.test('the same double as Math.exp over the range threat evaluation uses (fast-check)', async (t) => {
  fc.assert(fc.property(fc.double({ min: -800, max: 2, noNaN: false }), same), { numRuns: 200_000 });
  fc.assert(fc.property(fc.double({ min: -2, max: 0.5 }), same), { numRuns: 200_000 });
  // Any double at all (fallback range included: NaN, ±Infinity, overflow, subnormal results).
  fc.assert(fc.property(fc.double(), same), { numRuns: 50_000 });
  t.pass('no counterexample');
});

t.test('the same double at every branch boundary of the algorithm, and on a dense sweep', async (t) => {
  const edges = [
    0,
    -0,
    1,
    0.34,
    -708,
    -745.1332191019412,
    2 ** -28,
    -(2 ** -28),
    Math.LN2 / 2,
    -Math.LN2 / 2,
    1.5 * Math.LN2,
    -1.5 * Math.LN2,
    fromWords(0x3fd62e43, 0),
    -fromWords(0x3fd62e43, 0),
    fromWords(0x3ff0a2b2, 0),
    -fromWords(0x3ff0a2b2, 0),
    fromWords(0x3e300000, 0),
    -fromWords(0x3e300000, 0),
  ];
  // Every (half-)multiple of ln2 down to the lower end: where the reduction's k changes.
  for (let k = 0; k <= 1022; k++) edges.push(-k * Math.LN2, -(k + 0.5) * Math.LN2);
  let checked = 0;
  for (const e of edges) {
    let x = e;
    for (let i = 0; i < 20; i++) x = nextDouble(x, -1);
    for (let i = 0; i < 41; i++, x = nextDouble(x, 1)) {
      if (!same(x)) t.fail(`fdlibmExp(${x}) = ${fdlibmExp(x)}, Math.exp = ${Math.exp(x)}`);
      checked++;
    }
  }
  // A seeded dense sweep of the exponent arguments the grid quadrature sees (−0.5 q, q ≥ 0).
  let s = 0x9e3779b9;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  for (let i = 0; i < 1_000_000; i++) {
    const x = i % 2 === 0 ? -u() * 60 : -u() * u() * 745;
    if (!same(x)) t.fail(`fdlibmExp(${x}) = ${fdlibmExp(x)}, Math.exp = ${Math.exp(x)}`);
    checked++;
  }
  t.ok(checked > 1_000_000, `${checked} arguments checked`);
});
