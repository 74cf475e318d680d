import fc from 'fast-check';
import t from 'tap';
import { type CanonicalNumbers, canonicalJson } from '../../src/common/canonical-json.js';

/**
 * Pins the exact bytes of canonical JSON. The bridge signs commands over it (docs/mqtt.md
 * §Signing: operators' tools and the browser must produce the same bytes) and recordings carry
 * the config hash taken over it: any change here breaks signatures or config hashes.
 */

const MODES: readonly CanonicalNumbers[] = ['safe-integers', 'finite'];

t.test('the same bytes in both number modes for everything but numbers', async (t) => {
  for (const mode of MODES) {
    const c = (value: unknown): string => canonicalJson(value, mode);
    t.equal(
      c({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } }),
      '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}',
    );
    t.equal(c({ B: 1, a: 2, _: 3, '': 4 }), '{"":4,"B":1,"_":3,"a":2}', `${mode}: UTF-16 code-unit order`);
    t.equal(c({ b: 1, 10: 2, 2: 3 }), '{"10":2,"2":3,"b":1}', `${mode}: integer-like keys sort as text`);
    t.equal(
      c({ '\uFB01': 1, '\u{1F600}': 2, z: 3 }),
      '{"z":3,"\u{1F600}":2,"\uFB01":1}',
      `${mode}: a surrogate pair sorts by its code units, before U+FB01`,
    );
    t.equal(c([[], [[1, [2]], {}], [null, true, false]]), '[[],[[1,[2]],{}],[null,true,false]]', `${mode}: nesting`);
    t.equal(c({ a: undefined, b: 1 }), '{"b":1}', `${mode}: undefined members are absent`);
    t.equal(c({}), '{}');
    t.equal(c([]), '[]');
    t.equal(c(''), '""');
    t.equal(c('é\u2028\u2029\u{1F600}'), '"é\u2028\u2029\u{1F600}"', `${mode}: non-ASCII literal`);
    t.equal(c('\uD800x'), '"\\ud800x"', `${mode}: a lone surrogate escaped`);
    t.equal(
      c('\u0000\u0001\u001f\u007f\b\f\n\r\t"\\/'),
      '"\\u0000\\u0001\\u001f\u007f\\b\\f\\n\\r\\t\\"\\\\/"',
      `${mode}: JSON.stringify escapes, lower-case hex`,
    );
    t.equal(c({ 'k"\n': 'v' }), '{"k\\"\\n":"v"}', `${mode}: keys escaped as strings`);
    t.equal(c({ a: -0, b: [-0, 0] }), '{"a":0,"b":[0,0]}', `${mode}: -0 is 0`);
    t.equal(c([9007199254740991, -9007199254740991]), '[9007199254740991,-9007199254740991]', `${mode}: 2^53 - 1`);
    for (const bad of [Number.NaN, Infinity, -Infinity, 10n, () => 0, Symbol('s'), undefined, [undefined]]) {
      t.throws(() => c(bad), { code: 'canonical-json', name: 'CanonicalJsonError' }, `${mode}: ${String(bad)}`);
    }
  }
});

t.test('safe-integers (command signing): integers up to 2^53 - 1 only, never an exponent', async (t) => {
  t.equal(canonicalJson({ timestamp: 1767225600000, v: 1 }), '{"timestamp":1767225600000,"v":1}', 'the default');
  for (const bad of [1.5, 2 ** 53, -(2 ** 53), 1e21, 5e-7]) {
    t.throws(() => canonicalJson(bad), { code: 'canonical-json', message: /safe integers only/ }, String(bad));
  }
});

t.test('finite (config hash): every finite number as ECMAScript writes it', async (t) => {
  const c = (value: unknown): string => canonicalJson(value, 'finite');
  t.equal(c([0.5, 1.5, -2.25, 0.1 + 0.2]), '[0.5,1.5,-2.25,0.30000000000000004]');
  t.equal(c([2 ** 53, 1e20, 1e21, -1e21]), '[9007199254740992,100000000000000000000,1e+21,-1e+21]');
  t.equal(c([5e-7, 1e-6, Number.MAX_VALUE, Number.MIN_VALUE]), '[5e-7,0.000001,1.7976931348623157e+308,5e-324]');
});

/** JSON text with keys sorted, the form the config hash was first defined by (JSON.stringify). */
function sortedStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Whether any object in `value` has an array-index key (JS objects put those first, not sorted). */
function hasIndexKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasIndexKey);
  return Object.entries(value).some(([k, v]) => /^(0|[1-9]\d*)$/.test(k) || hasIndexKey(v));
}

t.test('finite mode writes what sorted-key JSON.stringify writes for any JSON value', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      fc.pre(!hasIndexKey(value));
      return canonicalJson(value, 'finite') === sortedStringify(value);
    }),
    { numRuns: 2_000, seed: 0xc0de },
  );
  t.pass('no counterexample');
});
