import t from 'tap';
import type { EngagementEvent, PartnerHoldsInput } from '../../src/control/index.js';
import type {
  CoordinationAgent,
  CoordinationEvent,
  CoordinationOptions,
  ThreatView,
} from '../../src/coordination/index.js';
import { engagement, makeAgent, SimLink } from './support.js';

/**
 * Two nodes, A and B, over a simulated link (200 ms latency, optional partition windows), each
 * with a stand-in core that plans and fires on a schedule. A's track 1 and B's track 7 are the
 * same missile (each node fused the other's track); so are A's 2 and B's 8.
 */

const T0 = 1_765_000_000_000;
const TICK_MS = 100;

type Schedule = Record<number, EngagementEvent[]>;

function views(self: 'A' | 'B', mustFireByMs: Record<number, number> = {}): ThreatView[] {
  const pairs = [
    [1, 7],
    [2, 8],
  ] as const;
  return pairs.map(([a, b]) => {
    const [own, other, otherNode] = self === 'A' ? [a, b, 'B'] : [b, a, 'A'];
    return {
      trackId: own,
      members: [
        { node: self, trackId: String(own) },
        { node: otherNode, trackId: String(other) },
      ],
      mustFireByMs: mustFireByMs[own] === undefined ? null : T0 + mustFireByMs[own],
    };
  });
}

/** A planned engagement of `trackId` with intercept at `interceptMs` (bench ms). */
function ev(
  transition: EngagementEvent['transition'],
  engagementId: number,
  trackId: number,
  atMs: number,
  interceptMs: number,
  result: 'kill' | 'miss' | null = null,
): EngagementEvent {
  return engagement(transition, {
    engagementId,
    trackId,
    atUs: atMs * 1000,
    launchAtHostUs: (interceptMs - 15_000) * 1000,
    interceptAtHostUs: interceptMs * 1000,
    fired: transition !== 'planned',
    result,
  });
}

interface Run {
  readonly a: CoordinationAgent;
  readonly b: CoordinationAgent;
  readonly link: SimLink;
  readonly holds: Record<'A' | 'B', { atMs: number; input: PartnerHoldsInput }[]>;
  readonly events: Record<'A' | 'B', CoordinationEvent[]>;
  /** Advance to `untilMs` (bench time), feeding each node's scheduled core events. */
  runTo(untilMs: number): void;
}

function bench(
  schedules: Record<'A' | 'B', Schedule>,
  options: {
    partitions?: { fromMs: number; toMs: number }[];
    mustFireByMs?: Record<'A' | 'B', Record<number, number>>;
    agent?: Partial<CoordinationOptions>;
  } = {},
): Run {
  const a = makeAgent('A', ['B'], options.agent);
  const b = makeAgent('B', ['A'], options.agent);
  a.setThreats(views('A', options.mustFireByMs?.A));
  b.setThreats(views('B', options.mustFireByMs?.B));
  const link = new SimLink(['A', 'B'], () => 200, options.partitions ?? []);
  const holds: Run['holds'] = { A: [], B: [] };
  const events: Run['events'] = { A: [], B: [] };
  let nowMs = 0;
  const run: Run = {
    a,
    b,
    link,
    holds,
    events,
    runTo(untilMs: number) {
      for (; nowMs <= untilMs; nowMs += TICK_MS) {
        for (const [id, agent] of [
          ['A', a],
          ['B', b],
        ] as const) {
          const utc = T0 + nowMs;
          for (const m of link.due(id, nowMs)) agent.receive(m.topic, m.payload, utc);
          agent.observe([], schedules[id][nowMs] ?? [], nowMs * 1000, utc);
          const out = agent.tick(nowMs * 1000, utc);
          if (out.holds !== null) holds[id].push({ atMs: nowMs, input: out.holds });
          events[id].push(...out.events);
          link.send(id, nowMs, out.messages);
        }
      }
    },
  };
  return run;
}

t.test('linked: the earlier intercept owns the threat, the other holds fire; a miss frees it', (t) => {
  const r = bench({
    A: {
      1000: [ev('planned', 1, 1, 1000, 21_000)],
      3000: [ev('fire-sent', 1, 1, 3000, 21_000)],
      21_500: [ev('intercept-assessed', 1, 1, 21_500, 21_000, 'miss')],
    },
    B: {
      1100: [ev('planned', 1, 7, 1100, 25_000)],
      // B's core drops its planned engagement once it holds (partner-engages): a release.
      1700: [ev('aborted', 1, 7, 1700, 25_000)],
      22_000: [ev('planned', 2, 7, 22_000, 30_000)],
      22_500: [ev('fire-sent', 2, 7, 22_500, 30_000)],
    },
  });
  r.runTo(1600);
  t.equal(r.a.state(), 'coordinated');
  t.notOk(r.a.holdFire(1, T0 + 1600), 'A owns: no hold');
  t.ok(r.b.holdFire(7, T0 + 1600), 'B holds fire on its track 7');
  const bHold = r.holds.B.at(-1)!.input;
  t.same(bHold.holds, [{ trackId: 7, untilUs: (21_000 + 5000) * 1000 }], 'until A’s claim lapses (intercept + grace)');
  t.equal(bHold.kind, 'partner-holds');
  const ownersA = r.a.owners(T0 + 1600).map((o) => `${o.owner.node}:${o.owner.claimId}`);
  const ownersB = r.b.owners(T0 + 1600).map((o) => `${o.owner.node}:${o.owner.claimId}`);
  t.same(ownersA, ['A:e1'], 'A sees itself as owner');
  t.same(ownersB, ownersA, 'B agrees');

  r.runTo(3500);
  t.ok(r.b.holdFire(7, T0 + 3500), 'still held after A’s FIRE');
  t.same(
    r.b.owners(T0 + 3500).map((o) => o.owner.committed),
    [true],
    'B knows A committed',
  );
  r.runTo(21_800);
  t.notOk(r.b.holdFire(7, T0 + 21_800), 'A’s miss frees the threat: shoot-look-shoot across nodes');
  t.same(r.holds.B.at(-1)!.input.holds, [], 'B’s core is told: no holds');
  r.runTo(24_000);
  t.same(
    r.a.owners(T0 + 24_000).map((o) => `${o.owner.node}:${o.owner.claimId}`),
    ['B:e2'],
    'B owns the second shot',
  );
  t.same(r.a.counters.duplicateEngagements, { linked: 0, lost: 0 }, 'no duplicate (A)');
  t.same(r.b.counters.duplicateEngagements, { linked: 0, lost: 0 }, 'no duplicate (B)');
  t.end();
});

t.test('partition: coordination lost, each node alone, duplicates counted as lost; reconciled after', (t) => {
  const r = bench(
    {
      A: {
        1000: [ev('planned', 1, 1, 1000, 40_000)],
        9000: [ev('planned', 2, 2, 9000, 30_000)],
        9500: [ev('fire-sent', 2, 2, 9500, 30_000)],
      },
      B: {
        10_000: [ev('planned', 1, 8, 10_000, 31_000)],
        10_500: [ev('fire-sent', 1, 8, 10_500, 31_000)],
      },
    },
    { partitions: [{ fromMs: 5000, toMs: 15_000 }] },
  );
  r.runTo(4000);
  t.ok(r.b.holdFire(7, T0 + 4000), 'linked: B holds on A’s threat 1');
  r.runTo(9000);
  t.equal(r.b.state(), 'coordination-lost', 'B says coordination lost');
  t.equal(r.a.state(), 'coordination-lost', 'A says coordination lost');
  const lost = r.events.B.find((e) => e.kind === 'coordination-lost');
  t.ok(lost, 'a coordination-lost event (status, recording)');
  t.notOk(r.b.holdFire(7, T0 + 9000), 'B defends alone: A’s claim no longer holds it');
  t.same(r.holds.B.at(-1)!.input.holds, [], 'B’s core is told so');
  r.runTo(14_000);
  t.same(r.a.counters.duplicateEngagements, { linked: 0, lost: 0 }, 'not yet seen while partitioned');
  r.runTo(20_000);
  t.equal(r.a.state(), 'coordinated', 'restored by itself');
  t.ok(
    r.events.A.some((e) => e.kind === 'coordination-restored'),
    'a coordination-restored event',
  );
  t.same(r.a.counters.duplicateEngagements, { linked: 0, lost: 1 }, 'A counts the duplicate, as lost');
  t.same(r.b.counters.duplicateEngagements, { linked: 0, lost: 1 }, 'B counts the same duplicate');
  t.ok(r.b.holdFire(7, T0 + 20_000), 'claims reconciled: B holds on threat 1 again');
  const owners = (x: CoordinationAgent): string[] =>
    x.owners(T0 + 20_000).map((o) => `${o.owner.node}:${o.owner.claimId}`);
  t.same(owners(r.a), owners(r.b), 'both agree on the owners again');
  t.end();
});

t.test('a node never waits past its own must-fire-by instant; such a fire is counted', (t) => {
  const r = bench(
    {
      A: { 1000: [ev('planned', 1, 1, 1000, 21_000)] },
      B: { 4500: [ev('planned', 1, 7, 4500, 19_000)], 4600: [ev('fire-sent', 1, 7, 4600, 30_000)] },
    },
    { mustFireByMs: { A: {}, B: { 7: 4000 } } },
  );
  r.runTo(2000);
  t.same(r.holds.B.at(-1)!.input.holds, [{ trackId: 7, untilUs: 4000 * 1000 }], 'held only until B’s must-fire-by');
  r.runTo(4100);
  t.notOk(r.b.holdFire(7, T0 + 4100), 'free at must-fire-by');
  r.runTo(5000);
  t.equal(r.b.counters.mustFireFires, 1, 'the fire against a partner-owned threat is counted');
  t.ok(
    r.events.B.some((e) => e.kind === 'must-fire' && e.ownerNode === 'A'),
    'and reported',
  );
  t.end();
});

t.test('partition: a lost partner’s FIRE keeps its threat until it lapses; its plans do not', (t) => {
  const r = bench(
    {
      A: {
        1000: [ev('planned', 1, 1, 1000, 30_000)],
        1500: [ev('fire-sent', 1, 1, 1500, 30_000)],
        2000: [ev('planned', 2, 2, 2000, 30_000)],
      },
      B: {},
    },
    { partitions: [{ fromMs: 5000, toMs: 40_000 }], mustFireByMs: { A: {}, B: { 7: 25_000 } } },
  );
  r.runTo(4000);
  t.ok(r.b.holdFire(7, T0 + 4000) && r.b.holdFire(8, T0 + 4000), 'linked: B holds on both of A’s threats');
  // The partner falls silent: B's picture drops A's tracks, its views name only B's own tracks.
  r.b.setThreats(
    [7, 8].map((trackId) => ({
      trackId,
      members: [{ node: 'B', trackId: String(trackId) }],
      mustFireByMs: trackId === 7 ? T0 + 25_000 : null,
    })),
  );
  r.runTo(12_000);
  t.equal(r.b.state(), 'coordination-lost', 'B says coordination lost');
  t.ok(
    r.b.holdFire(7, T0 + 12_000),
    'A’s round is in the air: B still holds on threat 1 (its names outlive the silence)',
  );
  t.notOk(r.b.holdFire(8, T0 + 12_000), 'A only planned threat 2: B defends alone');
  t.same(
    r.holds.B.at(-1)!.input.holds,
    [{ trackId: 7, untilUs: 25_000 * 1000 }],
    'held until B’s own must-fire-by, before A’s claim would lapse (35 s)',
  );
  r.runTo(25_100);
  t.notOk(r.b.holdFire(7, T0 + 25_100), 'free at B’s must-fire-by');
  t.end();
});
