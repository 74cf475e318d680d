import fc from 'fast-check';
import t from 'tap';
import { NodeKey } from '../../src/bridge/node-key.js';
import { geodeticToEcef } from '../../src/geo/index.js';
import {
  DROP_REASONS,
  type DeclaredPolicy,
  MAX_SHARED_MESSAGE_BYTES,
  PartnerIntake,
  type SharedTrackEntry,
  type UnsignedSharedTracks,
} from '../../src/sharing/index.js';

/**
 * Partner intake: every kind of bad partner message is counted and dropped with its typed reason
 * (never thrown, never passed on), and a fuzz over garbage proves nothing else gets through.
 */

const NOW = Date.parse('2026-12-07T01:00:00.000Z');
const partnerKey = NodeKey.generate('node-b');
const strangerKey = NodeKey.generate('node-b');
const TOPIC = 'shieldlink/v1/node-b/shared/tracks/node-a';
const pos = geodeticToEcef({ latDeg: 48.1, lonDeg: 11.6, heightM: 3000 });

const declared: DeclaredPolicy = {
  identities: ['hostile', 'unknown'],
  geofence: { circle: { center: { latDeg: 48, lonDeg: 11.5 }, radiusM: 100_000 } },
  maxRateHz: 2,
  fields: ['velocity', 'identity'],
};

function entry(over: Partial<SharedTrackEntry> = {}): SharedTrackEntry {
  return {
    trackId: 'B-7',
    validAt: new Date(NOW - 200).toISOString(),
    ecefM: [Math.round(pos.x), Math.round(pos.y), Math.round(pos.z)],
    ecefMps: [100, -20, 5],
    identity: 'hostile',
    pedigree: { node: 'node-b', fused: false },
    ...over,
  };
}

function message(over: Partial<UnsignedSharedTracks> = {}, key = partnerKey): Buffer {
  const unsigned: UnsignedSharedTracks = {
    v: 1,
    kind: 'shieldlink-shared-tracks',
    nodeId: 'node-b',
    to: 'node-a',
    bootId: 'boot-1',
    seq: 1,
    sentAt: new Date(NOW - 100).toISOString(),
    tracks: [entry()],
    ...over,
  };
  return Buffer.from(JSON.stringify(key.signPayload(unsigned)));
}

function intake(withDeclared = true): PartnerIntake {
  return new PartnerIntake({
    selfId: 'node-a',
    partners: [
      {
        id: 'node-b',
        verify: (p) => partnerKey.public.verifyPayload(p),
        ...(withDeclared ? { declared } : {}),
      },
    ],
  });
}

t.test('a valid message is taken, then its replay is dropped', async (t) => {
  const i = intake();
  const first = i.accept(TOPIC, message(), NOW);
  t.ok(first.ok, JSON.stringify(first));
  const again = i.accept(TOPIC, message(), NOW);
  t.match(again, { ok: false, reason: 'replayed' });
  t.same(i.counters()['node-b']!.accepted, 1);
  t.same(i.counters()['node-b']!.dropped, { replayed: 1 });
});

t.test('each bad message is dropped with its reason, and counted', async (t) => {
  const i = intake();
  const cases: [string, string, Buffer | string, string?][] = [
    ['oversized', TOPIC, Buffer.alloc(MAX_SHARED_MESSAGE_BYTES + 1, 0x20)],
    ['bad-topic', 'shieldlink/v1/node-b/tracks', message()],
    ['unknown-partner', 'shieldlink/v1/node-z/shared/tracks/node-a', message({ nodeId: 'node-z' })],
    ['misrouted', 'shieldlink/v1/node-b/shared/tracks/node-c', message()],
    ['misrouted', TOPIC, message({ to: 'node-c' })],
    ['malformed-json', TOPIC, '{"v":1,'],
    ['malformed-json', TOPIC, Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['schema', TOPIC, '{"v":1,"nodeSig":"x"}'],
    ['schema', TOPIC, message({ tracks: [entry({ ecefM: [1e9, 0, 0] })] })],
    ['unsigned', TOPIC, JSON.stringify({ ...JSON.parse(message().toString()), nodeSig: undefined })],
    ['bad-signature', TOPIC, message({}, strangerKey)],
    ['bad-signature', TOPIC, message().toString().replace('"B-7"', '"B-8"')],
    ['future-dated', TOPIC, message({ sentAt: new Date(NOW + 5_000).toISOString() })],
    ['future-dated', TOPIC, message({ tracks: [entry({ validAt: new Date(NOW + 60_000).toISOString() })] })],
    ['stale', TOPIC, message({ sentAt: new Date(NOW - 31_000).toISOString() })],
    ['fused-track', TOPIC, message({ tracks: [entry({ pedigree: { node: 'node-b', fused: true } })] })],
    ['foreign-pedigree', TOPIC, message({ tracks: [entry({ pedigree: { node: 'node-c', fused: false } })] })],
    ['policy-identity', TOPIC, message({ tracks: [entry({ identity: 'friendly' })] })],
    ['policy-geofence', TOPIC, message({ tracks: [entry({ ecefM: [6_378_137, 0, 0] })] })],
    ['policy-field', TOPIC, message({ tracks: [entry({ quality: 'good' })] })],
  ];
  const expected: Record<string, number> = {};
  for (const [reason, topic, payload] of cases) {
    const verdict = i.accept(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, NOW);
    t.match(verdict, { ok: false, reason }, `${reason}: ${verdict.ok ? '' : verdict.detail}`);
    if (!['bad-topic', 'unknown-partner'].includes(reason)) expected[reason] = (expected[reason] ?? 0) + 1;
  }
  t.same(i.counters()['node-b']!.dropped, expected, 'counted per partner and reason');
  t.same(i.counters()['*']!.dropped, { 'bad-topic': 1, 'unknown-partner': 1 }, 'unknown senders counted apart');
  t.equal(i.counters()['node-b']!.accepted, 0, 'nothing was taken');
  // None of them moved the replay memory: a good message with seq 1 is still taken.
  t.ok(i.accept(TOPIC, message(), NOW).ok);
});

t.test('rate above the declared maximum, an old boot, and a new boot', async (t) => {
  const i = intake();
  t.ok(i.accept(TOPIC, message({ seq: 1, sentAt: new Date(NOW - 2000).toISOString() }), NOW).ok);
  t.match(i.accept(TOPIC, message({ seq: 2, sentAt: new Date(NOW - 1900).toISOString() }), NOW), {
    reason: 'policy-rate',
  });
  t.ok(
    i.accept(TOPIC, message({ seq: 3, sentAt: new Date(NOW - 1400).toISOString() }), NOW).ok,
    'gaps in seq are fine',
  );
  t.ok(i.accept(TOPIC, message({ bootId: 'boot-2', seq: 1, sentAt: new Date(NOW - 800).toISOString() }), NOW).ok);
  t.match(i.accept(TOPIC, message({ seq: 9, sentAt: new Date(NOW - 300).toISOString() }), NOW), { reason: 'replayed' });
  t.match(i.accept(TOPIC, message({ bootId: 'boot-3', seq: 1, sentAt: new Date(NOW - 900).toISOString() }), NOW), {
    reason: 'replayed',
  });
});

t.test('without a declared policy only schema, signature, time, replay and pedigree are checked', async (t) => {
  const i = intake(false);
  t.ok(i.accept(TOPIC, message({ tracks: [entry({ identity: 'friendly', quality: 'good' })] }), NOW).ok);
  t.match(i.accept(TOPIC, message({ seq: 2, tracks: [entry({ pedigree: { node: 'node-b', fused: true } })] }), NOW), {
    reason: 'fused-track',
  });
});

t.test('fuzz: garbage, JSON values and mutated messages never throw and are never taken', async (t) => {
  const i = intake();
  const valid = JSON.parse(message().toString()) as Record<string, unknown>;
  const garbage = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
    fc.json().map((s) => Buffer.from(s)),
    fc
      .record({ key: fc.constantFrom(...Object.keys(valid)), value: fc.jsonValue() })
      .map(({ key, value }) => Buffer.from(JSON.stringify({ ...valid, [key]: value }))),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
      const b = Buffer.from(message().toString());
      b[at % b.length] = byte;
      return b;
    }),
  );
  let seen = 0;
  fc.assert(
    fc.property(garbage, fc.constantFrom(TOPIC, 'shieldlink/v1/x/shared/tracks/node-a', '#', ''), (payload, topic) => {
      const verdict = i.accept(topic, payload, NOW);
      seen += 1;
      if (verdict.ok) {
        // The only acceptable acceptance: byte-identical meaning to a message node-b signed.
        return partnerKey.public.verifyPayload(verdict.message) === 'valid';
      }
      return (DROP_REASONS as readonly string[]).includes(verdict.reason) && verdict.reason !== 'internal';
    }),
    { numRuns: 3000, seed: 1717 },
  );
  const c = i.counters();
  const dropped = Object.values(c).reduce((a, x) => a + Object.values(x.dropped).reduce((p, q) => p + (q ?? 0), 0), 0);
  const accepted = Object.values(c).reduce((a, x) => a + x.accepted, 0);
  t.equal(dropped + accepted, seen, 'every message counted');
  t.ok(accepted <= 1, `at most the one genuine message is taken (${accepted})`);
});
