import fc from 'fast-check';
import t from 'tap';
import { passesSharedTracksFastCheck } from '../../src/sharing/shared-tracks-check.js';
import { SHARED_QUALITIES, sharedTracksPayload } from '../../src/sharing/shared-tracks-schema.js';

// The intake takes a message the hand-written check passes as it is, and sends every other to
// the schema. So: whatever the check passes, the schema must accept and return unchanged; and
// the messages nodes really send (timestamps early in a month) must pass it, or it saves nothing.

const idChars = fc.constantFrom(...'abcXYZ019._:-'.split(''));
const id = fc.oneof(
  fc.tuple(fc.constantFrom('a', 'Z', '7'), fc.array(idChars, { maxLength: 70 })).map(([h, r]) => h + r.join('')),
  fc.string({ maxLength: 8 }),
);
const year = fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0'));
const two = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((n) => String(n).padStart(2, '0'));
const utc = fc.oneof(
  fc
    .tuple(year, two(0, 13), two(0, 32), two(0, 24), two(0, 60), two(0, 60), fc.integer({ min: 0, max: 999 }))
    .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}Z`),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.string({ maxLength: 30 }),
);
const earlyInMonth = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .filter((d) => d.getUTCDate() <= 28)
  .map((d) => d.toISOString());
const num = (limit: number): fc.Arbitrary<number> =>
  fc.oneof(fc.double({ min: -limit, max: limit, noNaN: true }), fc.double(), fc.integer());
const triple = (limit: number): fc.Arbitrary<unknown> =>
  fc.oneof(fc.tuple(num(limit), num(limit), num(limit)), fc.array(num(limit), { maxLength: 4 }));

const entry = (time: fc.Arbitrary<string>, idA: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record(
    {
      trackId: idA,
      validAt: time,
      ecefM: triple(1e8),
      ecefMps: triple(1e5),
      covariance: fc.array(num(1e16), { minLength: 20, maxLength: 22 }),
      identity: fc.oneof(fc.constantFrom('hostile', 'unknown', 'x-1'), fc.string({ maxLength: 5 })),
      quality: fc.oneof(fc.constantFrom(...SHARED_QUALITIES), fc.string({ maxLength: 5 })),
      pedigree: fc.record(
        {
          node: idA,
          sensors: fc.array(idA, { minLength: 0, maxLength: 17 }),
          fused: fc.oneof(fc.boolean(), fc.constant(0)),
        },
        { requiredKeys: ['node', 'fused'] },
      ),
    },
    { requiredKeys: ['trackId', 'validAt', 'ecefM', 'pedigree'] },
  );

const message = (time: fc.Arbitrary<string>, idA: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> =>
  fc.record({
    v: fc.oneof(fc.constant(1), fc.constant(2)),
    kind: fc.oneof(fc.constant('shieldlink-shared-tracks'), fc.constant('other')),
    nodeId: idA,
    to: idA,
    bootId: idA,
    seq: fc.oneof(fc.integer({ min: -2, max: 1e6 }), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2)),
    sentAt: time,
    tracks: fc.array(entry(time, idA), { maxLength: 4 }),
    nodeSig: fc.oneof(
      fc.array(fc.constantFrom('A', 'z', '0', '-', '_'), { minLength: 85, maxLength: 87 }).map((c) => c.join('')),
      fc.string({ maxLength: 4 }),
    ),
  });

/** Any value: a message, one with a member replaced, added or removed, or arbitrary JSON. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  message(utc, id),
  fc
    .tuple(message(utc, id), fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))
    .map(([m, key, value]) => ({ ...m, [key]: value })),
  fc.tuple(message(utc, id), fc.nat()).map(([m, n]) => {
    const keys = Object.keys(m);
    const copy = { ...m };
    delete copy[keys[n % keys.length]!];
    return copy;
  }),
  fc.jsonValue({ maxDepth: 3 }),
);

t.test('whatever the fast check passes, the schema accepts and returns unchanged', async () => {
  fc.assert(
    fc.property(anyValue, (raw) => {
      // What the intake sees: the value through JSON (no undefined, no -0, no non-finite).
      const value: unknown = JSON.parse(JSON.stringify(raw));
      if (!passesSharedTracksFastCheck(value)) return true;
      const parsed = sharedTracksPayload.safeParse(value);
      return parsed.success && JSON.stringify(sortKeys(parsed.data)) === JSON.stringify(sortKeys(value));
    }),
    { numRuns: 5000 },
  );
});

const inRange = (limit: number): fc.Arbitrary<number> => fc.double({ min: -limit, max: limit, noNaN: true });
const validId = fc
  .tuple(fc.constantFrom('a', 'Z', '7'), fc.array(idChars, { maxLength: 20 }))
  .map(([h, r]) => h + r.join(''));

/**
 * Messages the schema accepts (timestamps on days 1–28) or, with `noise`, the same with each
 * leaf now and then replaced by a near miss (out of range, a day 29–31, a wrong length...).
 */
function messages(noise: boolean): fc.Arbitrary<Record<string, unknown>> {
  const leaf = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
    noise ? fc.oneof({ arbitrary: good, weight: 20 }, { arbitrary: bad, weight: 1 }) : good;
  const ident = leaf(validId, id);
  const time = leaf(
    earlyInMonth,
    fc.oneof(
      utc,
      fc.constantFrom(
        '2026-02-29T00:00:00.000Z',
        '2026-02-30T00:00:00.000Z',
        '2024-02-29T12:00:00.000Z',
        '2026-04-31T00:00:00.000Z',
        '2026-01-31T23:59:59.999Z',
        '2026-01-01T24:00:00.000Z',
        '2026-01-01T00:00:60.000Z',
        '2026-01-01T00:00:00Z',
        '2026-01-01T00:00:00.000+00:00',
      ),
    ),
  );
  const near = (limit: number): fc.Arbitrary<unknown> =>
    leaf(inRange(limit), fc.oneof(fc.constantFrom(limit * 1.0000001, -limit * 2, limit), num(limit * 2)));
  const tripleOf = (limit: number): fc.Arbitrary<unknown> =>
    leaf(fc.tuple(near(limit), near(limit), near(limit)), triple(limit * 2));
  const entryArb = fc.record(
    {
      trackId: ident,
      validAt: time,
      ecefM: tripleOf(1e8),
      ecefMps: tripleOf(1e5),
      covariance: leaf(
        fc.array(near(1e16), { minLength: 21, maxLength: 21 }),
        fc.array(num(1e16), { minLength: 20, maxLength: 22 }),
      ),
      identity: leaf(fc.constantFrom('hostile', 'unknown', 'friendly'), fc.string({ maxLength: 5 })),
      quality: leaf(fc.constantFrom(...SHARED_QUALITIES), fc.string({ maxLength: 5 })),
      pedigree: fc.record(
        {
          node: ident,
          sensors: leaf(
            fc.array(ident, { minLength: 1, maxLength: 16 }),
            fc.oneof(fc.constant([]), fc.array(validId, { minLength: 17, maxLength: 17 })),
          ),
          fused: leaf(fc.boolean(), fc.constantFrom(0, 'true', null)),
        },
        { requiredKeys: ['node', 'fused'] },
      ),
    },
    { requiredKeys: ['trackId', 'validAt', 'ecefM', 'pedigree'] },
  );
  return fc.record({
    v: leaf(fc.constant(1), fc.constantFrom(2, '1')),
    kind: leaf(fc.constant('shieldlink-shared-tracks'), fc.string({ maxLength: 4 })),
    nodeId: ident,
    to: ident,
    bootId: ident,
    seq: leaf(
      fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2),
    ),
    sentAt: time,
    tracks: leaf(fc.array(entryArb, { maxLength: 5 }), fc.array(entryArb, { minLength: 101, maxLength: 102 })),
    nodeSig: leaf(
      fc.array(fc.constantFrom('A', 'z', '0', '-', '_'), { minLength: 86, maxLength: 86 }).map((c) => c.join('')),
      fc.oneof(
        fc.array(fc.constantFrom('A', '+', '='), { minLength: 85, maxLength: 87 }).map((c) => c.join('')),
        fc.string({ maxLength: 4 }),
      ),
    ),
  });
}
const validMessage = messages(false);

t.test('whatever the fast check passes among near misses, the schema accepts and returns unchanged', async () => {
  let passed = 0;
  fc.assert(
    fc.property(messages(true), (raw) => {
      const value: unknown = JSON.parse(JSON.stringify(raw));
      if (!passesSharedTracksFastCheck(value)) return true;
      passed++;
      const parsed = sharedTracksPayload.safeParse(value);
      return parsed.success && JSON.stringify(sortKeys(parsed.data)) === JSON.stringify(sortKeys(value));
    }),
    { numRuns: 5000 },
  );
  if (passed < 500) throw new Error(`only ${passed} of 5000 near misses passed the check: the test says little`);
});

t.test('every message the schema accepts with timestamps on days 1–28 passes the fast check', async () => {
  fc.assert(
    fc.property(validMessage, (raw) => {
      const value: unknown = JSON.parse(JSON.stringify(raw));
      return sharedTracksPayload.safeParse(value).success && passesSharedTracksFastCheck(value);
    }),
    { numRuns: 2000 },
  );
});

t.test('a timestamp late in a month goes to the schema (the check is conservative there)', async (t) => {
  const m = { ...fc.sample(validMessage, { numRuns: 1, seed: 1 })[0]!, sentAt: '2026-01-31T00:00:00.000Z' };
  t.ok(sharedTracksPayload.safeParse(m).success);
  t.notOk(passesSharedTracksFastCheck(m));
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, sortKeys(record[k])]),
  );
}
