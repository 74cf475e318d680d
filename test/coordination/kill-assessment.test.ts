import t from 'tap';
import {
  ENGAGEMENT_INTENTS_KIND,
  engagementsTopic,
  type EngagementIntentsPayload,
  isoOfMs,
} from '../../src/coordination/index.js';
import { engagement, keyOf, makeAgent } from './support.js';

/**
 * Kill assessment across nodes: when a committed engagement (own, or a partner's taken through the
 * intake gate) ends in a kill, the node holds fire on every track the claim named for the
 * kill-assessment window, never past its own must-fire-by instant; a forged, tampered or replayed
 * kill result changes nothing.
 */

const T0 = 1_765_000_000_000;
const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));

/** A engages its track 1 (B's 7: fused); B sees the same threat as its track 7. */
function setup(bMustFireByMs: number | null = null) {
  const a = makeAgent('A', ['B']);
  const b = makeAgent('B', ['A']);
  const members = [
    { node: 'A', trackId: '1' },
    { node: 'B', trackId: '7' },
  ];
  a.setThreats([{ trackId: 1, members, mustFireByMs: null }]);
  b.setThreats([{ trackId: 7, members, mustFireByMs: bMustFireByMs }]);
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
  const fields = { engagementId: 1, trackId: 1, launchAtHostUs: 2e6, interceptAtHostUs: 20e6 };
  /** A plans, fires, and at 19 s assesses `result`. */
  const engage = (result: 'kill' | 'miss') => {
    step(0);
    step(1000, [engagement('planned', { ...fields, atUs: 1e6 })]);
    step(2000, [engagement('fire-sent', { ...fields, atUs: 2e6 })]);
    for (let ms = 3000; ms < 19_000; ms += 1000) step(ms);
    return step(19_000, [engagement('intercept-assessed', { ...fields, atUs: 19e6, result, fired: true })]);
  };
  return { a, b, fromA, step, engage };
}

t.test("a partner's kill holds this node's fire on the threat for the kill-assessment window", (t) => {
  const { b, step, engage } = setup();
  step(0);
  const { outB } = engage('kill');
  t.ok(b.holdFire(7, T0 + 19_000), 'B holds at the kill');
  t.same(
    outB.events.filter((e) => e.kind === 'threat-killed'),
    [{ kind: 'threat-killed', atMs: T0 + 19_000, node: 'A', claimId: 'e1', untilMs: T0 + 27_000 }],
    'reported: A’s claim e1 killed, held 8 s',
  );
  t.same(outB.holds?.holds, [{ trackId: 7, untilUs: 27_000_000 }], 'the hold is a recorded core input');
  t.equal(b.counters.killHolds, 1);
  step(26_900);
  t.ok(b.holdFire(7, T0 + 26_900), 'still holding inside the window');
  const after = step(27_000);
  t.notOk(b.holdFire(7, T0 + 27_000), 'free again after it: a threat still seen may be engaged again');
  t.same(after.outB.holds?.holds, [], 'the core is told');
  t.end();
});

t.test('a miss frees the threat at once (shoot-look-shoot)', (t) => {
  const { b, engage } = setup();
  engage('miss');
  t.notOk(b.holdFire(7, T0 + 19_000));
  t.equal(b.counters.killHolds, 0);
  t.end();
});

t.test('the killer holds its own fire on every name of the threat (a partner-fed copy of it)', (t) => {
  const { a, engage } = setup();
  engage('kill');
  // A's own track 1 is gone; the partner's track B|7 now feeds a new core track 4 at A.
  a.setThreats([{ trackId: 4, members: [{ node: 'B', trackId: '7' }], mustFireByMs: null }]);
  const out = a.tick(19_100_000, T0 + 19_100);
  t.ok(a.holdFire(4, T0 + 19_100), 'A does not fire again at B’s copy of the threat it killed');
  t.same(out.holds?.holds, [
    { trackId: 1, untilUs: 27_000_000 },
    { trackId: 4, untilUs: 27_000_000 },
  ]);
  t.end();
});

t.test("the kill hold never passes the node's own must-fire-by instant", (t) => {
  const { b, engage } = setup(T0 + 23_000);
  engage('kill');
  t.ok(b.holdFire(7, T0 + 22_900));
  t.same(b.status(T0 + 19_000).holds, [{ trackId: 7, untilMs: T0 + 23_000 }], 'bounded by must-fire-by');
  t.end();
});

t.test('a forged, tampered or replayed kill result changes nothing', (t) => {
  const { b, fromA, step } = setup();
  const fields = { engagementId: 1, trackId: 1, launchAtHostUs: 2e6, interceptAtHostUs: 20e6 };
  step(0);
  step(1000, [engagement('planned', { ...fields, atUs: 1e6 })]);
  step(2000, [engagement('fire-sent', { ...fields, atUs: 2e6 })]);
  step(3000);
  const lastSeq = fromA.at(-1)!.seq;
  const kill = {
    v: 1,
    kind: ENGAGEMENT_INTENTS_KIND,
    nodeId: 'A',
    bootId: 'A-boot1',
    seq: lastSeq + 1,
    sentAt: isoOfMs(T0 + 3000),
    intents: [{ type: 'result', claimId: 'e1', result: 'kill' }],
  } as const;
  const topic = engagementsTopic('A');
  const state = (nowMs: number): string =>
    JSON.stringify({ holds: b.status(T0 + nowMs).holds, owners: b.owners(T0 + nowMs).map((o) => o.owner.claimId) });
  const before = state(3000);
  const cases: [string, Uint8Array, string][] = [
    ['signed by another key', enc(keyOf('M').signPayload(kill)), 'bad-signature'],
    ['tampered after signing', enc({ ...keyOf('A').signPayload(kill), seq: lastSeq + 2 }), 'bad-signature'],
    ['unsigned', enc(kill), 'unsigned'],
    ['replayed (an earlier genuine message)', enc(fromA.at(-1)), 'replayed'],
  ];
  for (const [what, bytes, reason] of cases) {
    const verdict = b.receive(topic, bytes, T0 + 3000);
    t.equal(verdict.ok ? 'accepted' : verdict.reason, reason, `${what}: dropped (${reason})`);
  }
  const out = b.tick(3_000_000, T0 + 3000);
  t.equal(out.holds, null, 'no new core input');
  t.equal(state(3000), before, 'owners and holds unchanged: A’s live claim still holds B, nothing marked killed');
  t.equal(b.counters.killHolds, 0);
  t.notOk(
    out.events.some((e) => e.kind === 'threat-killed'),
    'no threat-killed event',
  );

  // A genuine kill, and later the same message replayed: only the genuine one counts.
  const genuine = enc(keyOf('A').signPayload(kill));
  t.ok(b.receive(topic, genuine, T0 + 19_000).ok, 'the genuine result is taken');
  b.tick(19_000_000, T0 + 19_000);
  t.equal(b.counters.killHolds, 1);
  const replay = b.receive(topic, genuine, T0 + 28_000);
  t.equal(replay.ok ? 'accepted' : replay.reason, 'replayed', 'a replay after the window is dropped');
  b.tick(28_000_000, T0 + 28_000);
  t.notOk(b.holdFire(7, T0 + 28_000), 'and holds nothing');
  t.equal(b.counters.killHolds, 1);
  t.end();
});

t.test('a kill restated long after (a snapshot after a partition) holds nothing', (t) => {
  const b = makeAgent('B', ['A']);
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
  const claim = {
    type: 'claim' as const,
    claimId: 'e1',
    jointTrackId: 1,
    members: [{ node: 'A', trackId: '1' }],
    launcherId: 'L1',
    launchAt: isoOfMs(T0 + 1000),
    interceptAt: isoOfMs(T0 + 20_000),
    interceptEcefM: [1, 2, 3] as [number, number, number],
    killProbability: 0.5,
    expiresAt: isoOfMs(T0 + 25_000),
    committed: true,
  };
  const msg = enc(
    keyOf('A').signPayload({
      v: 1,
      kind: ENGAGEMENT_INTENTS_KIND,
      nodeId: 'A',
      bootId: 'A-boot7',
      seq: 1,
      sentAt: isoOfMs(T0 + 60_000),
      intents: [claim, { type: 'result', claimId: 'e1', result: 'kill' }, { type: 'snapshot', claimIds: [] }],
    }),
  );
  t.ok(b.receive(engagementsTopic('A'), msg, T0 + 60_000).ok);
  b.tick(60_000_000, T0 + 60_000);
  t.notOk(b.holdFire(7, T0 + 60_000), 'the window ran from the claim’s lapse (25 s), long over');
  t.equal(b.counters.killHolds, 0);
  t.end();
});
