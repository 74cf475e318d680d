import fc from 'fast-check';
import t from 'tap';
import { canonicalJson } from '../../src/common/canonical-json.js';
import { isCanonical } from '../../src/ledger/verify-ledger.js';

/**
 * The verifier's one-pass canonical-form check agrees with the definition — a line is canonical
 * exactly when it equals the canonical JSON of its parse — on canonical lines, on other
 * serializations of the same values (member order, whitespace, escapes) and on every other way of
 * spelling a number (exponents, superfluous digits, `-0`, 16–21 significant digits).
 */

function reference(line: string): boolean {
  try {
    return canonicalJson(JSON.parse(line), 'finite') === line;
  } catch {
    return false;
  }
}

function agrees(line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return true; // the verifier only asks about lines JSON.parse accepted
  }
  return isCanonical(value, line) === reference(line);
}

const json = fc.jsonValue({ maxDepth: 4 });

t.test(
  'canonical lines of any JSON value are canonical; other serializations are judged as the definition says',
  (t) => {
    fc.assert(
      fc.property(json, (v) => {
        const canonical = canonicalJson(v, 'finite');
        return (
          isCanonical(JSON.parse(canonical), canonical) &&
          agrees(JSON.stringify(v)) &&
          agrees(JSON.stringify(v, null, 1)) &&
          agrees(`{"z":0,"a":${canonical}}`) &&
          agrees(`{"a":${canonical},"a":${canonical}}`)
        );
      }),
      { numRuns: 3000 },
    );
    t.end();
  },
);

const spellings = (d: number): string[] => {
  const out = [String(d), d.toExponential(), JSON.stringify(d), `${String(d)}0`, `${String(d)}.0`, `${String(d)}e0`];
  for (let p = 1; p <= 21; p++) out.push(d.toPrecision(p), d.toExponential(Math.min(p, 20)));
  for (let f = 0; f <= 20; f++) out.push(d.toFixed(f));
  return out;
};

t.test('every spelling of a number is judged as the definition says', (t) => {
  const doubles = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: -1e-5, max: 1e-5, noNaN: true }),
    fc.integer().map((i) => i / 1000),
    fc.constantFrom(0, -0, 1e21, 1e-7, 1e-6, 9.999999999999999e20, 123456789012345680, 0.1 + 0.2, 5e-324),
  );
  fc.assert(
    fc.property(doubles, (d) => spellings(d).every((s) => agrees(s) && agrees(`{"a":[${s}],"b":${s}}`))),
    { numRuns: 3000 },
  );
  for (const s of [
    '-0',
    '0',
    '-0.0',
    '0.0',
    '1.0',
    '1e0',
    '1E+2',
    '00',
    '0.000001',
    '0.0000001',
    '100000000000000000000',
  ])
    t.ok(agrees(s) && agrees(`{"x":${s}}`), s);
  t.end();
});

t.test('strings, keys and whitespace', (t) => {
  const cases = [
    '{"a":"x","b":"y"}',
    '{"b":"y","a":"x"}',
    '{"a":1, "b":2}',
    ' {"a":1}',
    '{"a":1}\r',
    '{"a":"\\u0041"}',
    '{"a":"\\/"}',
    '{"a":"\\n"}',
    '{"a":"\\u001f"}',
    '{"a":"\\u001F"}',
    '{"a":"\\ud800"}',
    '{"a":"\ud800"}',
    '{"a":"é","é":1}',
    '{"\uffff":1,"\ud83d\ude00":2}',
    '{"\ud83d\ude00":2,"\uffff":1}',
    '{"10":1,"2":2}',
    '{"2":2,"10":1}',
    '{"__proto__":1,"a":2}',
    '{"":1,"a":{}}',
    '[{"b":1,"a":2}]',
    '{"a":[],"b":{"c":[true,false,null]}}',
    '{"ab":1,"a":2}',
    '{"a":1,"ab":2}',
  ];
  for (const line of cases) t.ok(agrees(line), line);
  fc.assert(
    fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (o) => {
      return agrees(canonicalJson(o)) && agrees(JSON.stringify(o));
    }),
    { numRuns: 2000 },
  );
  t.end();
});
