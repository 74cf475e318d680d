import t from 'tap';
import type { ControlInput, OperatorCommandResultEvent } from '../../src/control/index.js';
import {
  ENGAGEMENT_INTENTS_KIND,
  engagementsTopic,
  type EngagementIntentsPayload,
  isoOfMs,
} from '../../src/coordination/index.js';
import { engagement, keyOf, makeAgent } from './support.js';

/**
 * Sovereignty: nothing a partner sends becomes a command. A forged, tampered, unsigned or
 * replayed intent is dropped with a reason and changes nothing; a genuine request is advisory
 * and is answered only by this node's operators through the signed command path.
 */

const T0 = 1_765_000_000_000;
const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));

function setup() {
  const a = makeAgent('A', ['B']);
  const b = makeAgent('B', ['A']);
  a.setThreats([
    {
      trackId: 1,
      members: [
        { node: 'A', trackId: '1' },
        { node: 'B', trackId: '7' },
      ],
      mustFireByMs: null,
    },
  ]);
  b.setThreats([
    {
      trackId: 7,
      members: [
        { node: 'B', trackId: '7' },
        { node: 'A', trackId: '1' },
      ],
      mustFireByMs: null,
    },
  ]);
  const fromA: EngagementIntentsPayload[] = [];
  const step = (nowMs: number, aEvents = [] as Parameters<typeof a.observe>[1]) => {
    a.observe([], aEvents, nowMs * 1000, T0 + nowMs);
    const outA = a.tick(nowMs * 1000, T0 + nowMs);
    for (const m of outA.messages) {
      fromA.push(m.message);
      b.receive(m.topic, m.payload, T0 + nowMs);
    }
    const outB = b.tick(nowMs * 1000, T0 + nowMs);
    for (const m of outB.messages) a.receive(m.topic, m.payload, T0 + nowMs);
    return { outA, outB };
  };
  return { a, b, fromA, step };
}

/** What B would do: its holds, owners and status counters that matter. */
function picture(b: ReturnType<typeof makeAgent>, nowMs: number): string {
  return JSON.stringify({
    owners: b.owners(T0 + nowMs).map((o) => [o.owner.node, o.owner.claimId, o.owner.committed, [...o.memberKeys]]),
    hold7: b.holdFire(7, T0 + nowMs),
    requests: b.status(T0 + nowMs).requests,
  });
}

t.test('forged, tampered, unsigned and replayed intents change nothing', (t) => {
  const { b, fromA, step } = setup();
  step(0);
  step(1000, [
    engagement('planned', { engagementId: 1, trackId: 1, atUs: 1e6, launchAtHostUs: 5e6, interceptAtHostUs: 20e6 }),
  ]);
  step(1100);
  const before = picture(b, 1200);
  t.ok(b.holdFire(7, T0 + 1200), 'B holds for A’s genuine claim');

  const topic = engagementsTopic('A');
  const lastSeq = fromA.at(-1)!.seq;
  const evil = {
    v: 1,
    kind: ENGAGEMENT_INTENTS_KIND,
    nodeId: 'A',
    bootId: 'A-boot1',
    seq: lastSeq + 1,
    sentAt: isoOfMs(T0 + 1200),
    intents: [{ type: 'release', claimId: 'e1' }],
  } as const;
  const cases: [string, Uint8Array, string][] = [
    ['signed by another key', enc(keyOf('M').signPayload(evil)), 'bad-signature'],
    ['tampered after signing', enc({ ...keyOf('A').signPayload(evil), seq: lastSeq + 2 }), 'bad-signature'],
    ['unsigned', enc(evil), 'unsigned'],
    ['replayed (an earlier genuine message)', enc(fromA[0]), 'replayed'],
    ['replayed (the last genuine message)', enc(fromA.at(-1)), 'replayed'],
    ['from an unknown node', enc(keyOf('M').signPayload({ ...evil, nodeId: 'M' })), 'unknown-partner'],
    ['malformed', new TextEncoder().encode('{"v":1,'), 'malformed-json'],
    ['a schema violation', enc(keyOf('A').signPayload({ ...evil, intents: [{ type: 'fire' }] })), 'schema'],
  ];
  for (const [what, bytes, reason] of cases) {
    const verdict = b.receive(what === 'from an unknown node' ? engagementsTopic('M') : topic, bytes, T0 + 1200);
    t.equal(verdict.ok ? 'accepted' : verdict.reason, reason, `${what}: dropped (${reason})`);
    t.equal(picture(b, 1200), before, `${what}: nothing changed`);
  }
  const out = b.tick(1_200_000, T0 + 1200);
  t.equal(out.holds, null, 'no new core input');
  const dropped = out.events.filter((e) => e.kind === 'intent-dropped');
  t.equal(dropped.length, cases.length, 'every drop reported');
  t.ok(b.holdFire(7, T0 + 1200), 'still holding for the genuine claim');
  t.end();
});

t.test('a partner request is advisory: held, never an input; answered only by a signed operator command', (t) => {
  const { a, b, step } = setup();
  step(0);
  const requestId = a.request('B', 1, 'no launcher left', T0 + 100);
  const { outB } = step(100);
  t.equal(outB.holds, null, 'the request makes no core input');
  t.same(
    outB.events.filter((e) => e.kind === 'request-received'),
    [{ kind: 'request-received', atMs: T0 + 100, from: 'A', requestId, localTrackId: 7 }],
    'B’s operators are shown the request, mapped to B’s track 7',
  );
  t.equal(b.status(T0 + 100).requests[0]!.state, 'pending');

  // A replay of the request is dropped; a request forged in A's name never arrives.
  // An operator command that the core rejected answers nothing.
  const engage: ControlInput = {
    kind: 'operator-command',
    receivedAtUs: 200_000,
    sourceId: 'operator',
    seq: 1,
    requestId: 'op-1',
    operatorIds: ['alice', 'bob'],
    command: { verb: 'engage-track', trackId: 7 },
  };
  const result = (r: 'accepted' | 'rejected'): OperatorCommandResultEvent => ({
    kind: 'operator-command-result',
    seq: 1,
    atUs: 200_000,
    requestId: 'op-1',
    verb: 'engage-track',
    result: r,
    reason: r === 'accepted' ? null : 'not-authorized-by-weapons-control',
    operatorIds: ['alice', 'bob'],
  });
  b.observe([engage], [result('rejected')], 200_000, T0 + 200);
  t.equal(b.status(T0 + 200).requests[0]!.state, 'pending', 'a rejected command answers nothing');
  b.observe([engage], [result('accepted')], 200_000, T0 + 200);
  const req = b.status(T0 + 200).requests[0]!;
  t.equal(req.state, 'accepted', 'the operators’ accepted engage-track accepts it');
  t.same(req.operatorIds, ['alice', 'bob'], 'with who authorised it');
  step(300); // B sends its answer
  const { outA } = step(400); // A reports what it received
  t.ok(
    outA.events.some((e) => e.kind === 'request-answered' && e.requestId === requestId && e.answer === 'accepted'),
    'A is told the answer',
  );
  t.end();
});

t.test('an unanswered request expires', (t) => {
  const { a, b, step } = setup();
  step(0);
  a.request('B', 1, 'please', T0 + 100);
  step(100);
  step(10_200);
  t.equal(b.status(T0 + 10_200).requests[0]!.state, 'expired');
  t.end();
});

t.test('a genuine partner cannot hold this node’s fire indefinitely', (t) => {
  const { b } = setup();
  const claim = (claimId: string, interceptAtMs: number, expiresAtMs: number) => ({
    type: 'claim' as const,
    claimId,
    jointTrackId: 1,
    members: [{ node: 'A', trackId: '1' }],
    launcherId: 'L1',
    launchAt: isoOfMs(T0 + 1000),
    interceptAt: isoOfMs(interceptAtMs),
    interceptEcefM: [1, 2, 3] as [number, number, number],
    killProbability: 0.5,
    expiresAt: isoOfMs(expiresAtMs),
    committed: true,
  });
  const msg = (seq: number, intents: unknown[]) =>
    enc(
      keyOf('A').signPayload({
        v: 1,
        kind: ENGAGEMENT_INTENTS_KIND,
        nodeId: 'A',
        bootId: 'A-boot9',
        seq,
        sentAt: isoOfMs(T0),
        intents,
      }),
    );
  const v1 = b.receive(engagementsTopic('A'), msg(1, [claim('e1', T0 + 20_000, T0 + 86_400_000)]), T0);
  t.ok(v1.ok, 'taken');
  b.tick(0, T0);
  t.ok(b.holdFire(7, T0 + 79_000), 'held until intercept + 60 s at most');
  t.notOk(b.holdFire(7, T0 + 80_000), 'not a day, whatever expiresAt says');
  const v2 = b.receive(engagementsTopic('A'), msg(2, [claim('e2', T0 + 3_600_000, T0 + 3_700_000)]), T0);
  t.equal(v2.ok ? 'ok' : v2.reason, 'schema', 'an intercept beyond the planning horizon is refused');
  t.end();
});

t.test('garbage never throws and never changes anything', async (t) => {
  const fc = (await import('fast-check')).default;
  const { b, step } = setup();
  step(0);
  step(1000, [
    engagement('planned', { engagementId: 1, trackId: 1, atUs: 1e6, launchAtHostUs: 5e6, interceptAtHostUs: 20e6 }),
  ]);
  step(1100);
  const before = picture(b, 1200);
  fc.assert(
    fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.jsonValue().map((v) => enc(v)),
        fc
          .record({ seq: fc.integer(), intents: fc.array(fc.jsonValue(), { maxLength: 3 }) })
          .map((r) =>
            enc({ v: 1, kind: ENGAGEMENT_INTENTS_KIND, nodeId: 'A', bootId: 'x', sentAt: isoOfMs(T0), ...r }),
          ),
      ),
      fc.constantFrom(engagementsTopic('A'), engagementsTopic('B'), 'shieldlink/v1/A/shared/tracks/B', ''),
      (bytes, topic) => {
        const v = b.receive(topic, bytes, T0 + 1200);
        return !v.ok && picture(b, 1200) === before;
      },
    ),
    { numRuns: 300, seed: 7 },
  );
  t.pass('300 garbage messages dropped, nothing changed');
  t.end();
});
