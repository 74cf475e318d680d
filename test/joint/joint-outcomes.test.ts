import t from 'tap';
import { type JointOutcomeInput, jointOutcome } from '../../src/compose/joint-outcomes.js';
import type { RunSummary } from '../../src/session/run-summary.js';

const summary = (launches: number, leakers = 0) => ({ launches, assets: { leakers } }) as unknown as RunSummary;
const start = {
  kind: 'run-start',
  tUs: 0,
  targets: [
    { targetId: 't1', iff: 'hostile' },
    { targetId: 't2', iff: 'hostile' },
    { targetId: 'f1', iff: 'friendly' },
  ],
};
const launch = (id: string, s: number) => ({ kind: 'launch', tUs: s * 1e6, interceptorId: id });
const approach = (id: string, targetId: string, s: number) => ({
  kind: 'closest-approach',
  tUs: s * 1e6,
  interceptorId: id,
  targetId,
});

function node(
  nodeId: string,
  truth: JointOutcomeInput['truth'],
  launches: number,
  held: Record<string, number | null>,
  duplicates: JointOutcomeInput['duplicates'] = null,
  leakers = 0,
): JointOutcomeInput {
  return { nodeId, summary: summary(launches, leakers), truth, firstHeldS: new Map(Object.entries(held)), duplicates };
}

t.test('duplicates are interceptors of different nodes on one target while both flew', (t) => {
  const a = node(
    'A',
    [
      start,
      launch('a#1', 10),
      launch('a#2', 40),
      approach('a#1', 't1', 20),
      approach('a#2', 't2', 50),
      { kind: 'kill', tUs: 20e6, targetId: 't1', iff: 'hostile' },
    ],
    2,
    { t1: 8, t2: null },
    { linked: 0, lost: 1 },
  );
  const b = node(
    'B',
    // b#1 on t1 overlaps a#1 (a duplicate); b#2 on t2 flies after a#2 ended (shoot-look-shoot, not one).
    [
      start,
      launch('b#1', 15),
      launch('b#2', 55),
      approach('b#1', 't1', 25),
      approach('b#2', 't2', 70),
      { kind: 'kill', tUs: 70e6, targetId: 't2', iff: 'hostile' },
    ],
    2,
    { t1: 5, t2: 30 },
    { linked: 0, lost: 2 },
    1,
  );
  const o = jointOutcome([a, b]);
  t.equal(o.hostiles, 2, 'friendlies are not hostiles');
  t.equal(o.intercepted, 2);
  t.equal(o.interceptRatio, 1);
  t.equal(o.launches, 4);
  t.equal(o.roundsPerKill, 2);
  t.equal(o.assetLeakers, 1);
  t.equal(o.duplicateEngagements, 1, 'only the overlapping pair');
  t.same(o.coordinationDuplicates, { linked: 0, lost: 2 }, 'the most any node counted');
  // t1: held first at 5 s (B), first launch 10 s (A) → 5; t2: held 30 s, first launch 40 s → 10.
  t.equal(o.detectionToLaunchMedianS, 7.5);
  t.end();
});

t.test('nothing intercepted, nothing coordinated: nulls, not zeros', (t) => {
  const o = jointOutcome([node('A', [start], 0, {}), node('B', [start], 0, {})]);
  t.equal(o.roundsPerKill, null);
  t.equal(o.coordinationDuplicates, null);
  t.equal(o.detectionToLaunchMedianS, null);
  t.equal(o.interceptRatio, 0);
  t.end();
});

t.test('an interceptor past its closest approach engages nothing: a partner round after it is a second look', (t) => {
  // a#1 missed t1 at 20 s and flew on to its flight-time limit at 50 s; b#1 fired at 30 s.
  const missed = { ...approach('a#1', 't1', 50), atUs: 20e6 };
  const a = node('A', [start, launch('a#1', 10), missed], 1, { t1: 5 });
  const b = node('B', [start, launch('b#1', 30), approach('b#1', 't1', 40)], 1, { t1: 5 });
  t.equal(jointOutcome([a, b]).duplicateEngagements, 0, 'fired after the closest approach: not a duplicate');
  // The same, but b#1 fired at 15 s, before a#1's closest approach: both engaged t1 at once.
  const early = node('B', [start, launch('b#1', 15), approach('b#1', 't1', 40)], 1, { t1: 5 });
  t.equal(jointOutcome([a, early]).duplicateEngagements, 1, 'fired before it: a duplicate');
  t.end();
});
