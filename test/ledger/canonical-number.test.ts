import fc from 'fast-check';
import t from 'tap';
import {
  asciiText,
  canonicalNumberBytes,
  exactCanonicalNumber,
  sixteenDigitCanonical,
} from '../../src/ledger/canonical-number.js';

/**
 * The exact number checks agree with the definition — a token is canonical exactly when
 * `String(Number(token))` gives it back (`0` for zero) — on every spelling of any double, and the
 * 16-digit check in double arithmetic answers "canonical" only where the definition does.
 */

const bytes = (token: string): Buffer => Buffer.from(token, 'latin1');
const fast = (token: string): boolean => sixteenDigitCanonical(bytes(token), 0, token.length);
const all = (token: string): boolean => canonicalNumberBytes(bytes(token), 0, token.length);
const definition = (token: string): boolean => exactCanonicalNumber(token);

/** Spellings of a double near its shortest form: every precision, the neighbours of its digits. */
function spellings(d: number): string[] {
  const out = [String(d), d.toFixed(0)];
  for (let p = 14; p <= 18; p++) out.push(d.toPrecision(p));
  for (let f = 0; f <= 21; f++) out.push(d.toFixed(f));
  // The neighbours of each 16-digit spelling in its last digit (other doubles, or the same one).
  for (const s of [d.toPrecision(16), d.toPrecision(17)]) {
    const m = /^(-?)(\d+)\.(\d+)$/.exec(s);
    if (m === null) continue;
    const digits = BigInt(m[2]! + m[3]!);
    for (const step of [-2n, -1n, 1n, 2n]) {
      const n = (digits + step).toString().padStart(m[2]!.length + m[3]!.length, '0');
      out.push(`${m[1]!}${n.slice(0, n.length - m[3]!.length)}.${n.slice(n.length - m[3]!.length)}`);
    }
  }
  return out.filter((s) => /^-?\d/.test(s));
}

t.test('the 16-digit check says canonical only where the definition does; the whole check agrees', (t) => {
  const doubles = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: 1e-6, max: 1e-3, noNaN: true }),
    fc.double({ min: 1e15, max: 1e17, noNaN: true }),
    fc.integer({ min: 1, max: 2 ** 53 }).map((i) => i / 2 ** 20),
    fc.constantFrom(9007199254740991, 9007199254740992, 0.1 + 0.2, 61018.43468992865, 19566.46982560717),
  );
  let decided = 0;
  fc.assert(
    fc.property(doubles, (d) =>
      spellings(d).every((s) => {
        const want = definition(s);
        if (fast(s)) {
          decided++;
          if (!want) return false;
        }
        return all(s) === want;
      }),
    ),
    { numRuns: 5000 },
  );
  // The fast path must actually decide most 16-digit shortest forms (else it is dead code).
  t.ok(decided > 1000, `${decided} spellings decided by the 16-digit check`);
  t.end();
});

t.test('16-digit tokens: shortest forms pass; other spellings are judged as the definition says', (t) => {
  for (const s of ['61018.43468992865', '19566.46982560717', '1234567890123456', '-0.0001234567890123456'])
    t.ok(fast(s) && definition(s), `${s}: the shortest form, decided in double arithmetic`);
  for (const s of [
    '0.3000000000000000', // trailing zero
    '0.3000000000000001', // a 16-digit spelling of a double whose shortest form has 17 digits
    '0.1000000000000000',
    '12117.34363476958', // 16-digit rounding of a 17-digit shortest form
    '9007199254740993', // above 2^53
    '-0',
    '1e21',
    '5e-7',
  ]) {
    t.notOk(fast(s) && !definition(s), `${s}: never canonical where the definition says not`);
    t.equal(all(s), definition(s), `${s}: the whole check agrees with the definition`);
  }
  t.end();
});

t.test("asciiText reads what toString('latin1') reads, on a Buffer and a bare Uint8Array", async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.nat(), (raw, x, y) => {
      const from = raw.length === 0 ? 0 : x % (raw.length + 1);
      const to = from + (raw.length - from === 0 ? 0 : y % (raw.length - from + 1));
      const want = Buffer.from(raw).toString('latin1', from, to);
      return asciiText(Buffer.from(raw), from, to) === want && asciiText(raw, from, to) === want;
    }),
    { numRuns: 5000 },
  );
  t.pass();
});
