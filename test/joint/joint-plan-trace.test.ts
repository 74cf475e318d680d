import t from 'tap';
import { JointPlanTrace, MAX_PLAN_SAMPLES, MAX_PLAN_TRACKS_PER_SAMPLE } from '../../src/compose/joint-plan-trace.js';
import type { JointTrack } from '../../src/fusion/index.js';

const joint = (jointId: number, source: JointTrack['source'], partners: string[] = []): JointTrack => ({
  kind: 'joint',
  jointId,
  source,
  tovUs: 0,
  state: [100 * jointId, -50 * jointId, 3000, 0, 0, 0],
  covariance: new Array<number>(36).fill(0),
  identity: 'hostile',
  quality: 1,
  members: [
    ...(source === 'partner'
      ? []
      : [{ kind: 'local' as const, nodeId: 'node-a', trackId: '1', sensorId: 'radar-a1', tovUs: 0 }]),
    ...partners.map((p) => ({ kind: 'partner' as const, nodeId: p, trackId: '9', sensorId: 'radar-b1', tovUs: 0 })),
  ],
  associationCost: [],
});

t.test('the trace keeps each joint track position, source and partners', async (t) => {
  const trace = new JointPlanTrace();
  trace.add(1_000_000, [joint(1, 'local'), joint(2, 'partner', ['node-b']), joint(3, 'fused', ['node-b', 'node-b'])]);
  t.same(trace.samples(), [
    {
      atUs: 1_000_000,
      tracks: [
        { jointId: 1, source: 'local', eastM: 100, northM: -50, partners: [] },
        { jointId: 2, source: 'partner', eastM: 200, northM: -100, partners: ['node-b'] },
        { jointId: 3, source: 'fused', eastM: 300, northM: -150, partners: ['node-b'] },
      ],
    },
  ]);
  t.equal(trace.dropped, 0);
});

t.test('the trace is bounded in samples and in tracks per sample, and counts what it left out', async (t) => {
  const trace = new JointPlanTrace();
  const many = Array.from({ length: MAX_PLAN_TRACKS_PER_SAMPLE + 5 }, (_, i) => joint(i, 'local'));
  trace.add(0, many);
  t.equal(trace.samples()[0]!.tracks.length, MAX_PLAN_TRACKS_PER_SAMPLE);
  t.equal(trace.dropped, 1);
  for (let i = 1; i < MAX_PLAN_SAMPLES + 10; i++) trace.add(i, [joint(1, 'local')]);
  t.equal(trace.samples().length, MAX_PLAN_SAMPLES);
  t.equal(trace.dropped, 1 + 10);
});

t.test('a fused track keeps its members where they stood; own and partner-only tracks carry none', async (t) => {
  const trace = new JointPlanTrace();
  const members = [
    { kind: 'local' as const, nodeId: 'node-a', trackId: '1', eastM: 290, northM: -150 },
    { kind: 'partner' as const, nodeId: 'node-b', trackId: '9', eastM: 310, northM: -140 },
  ];
  trace.add(
    0,
    [joint(1, 'local'), joint(3, 'fused', ['node-b'])],
    new Map([
      [3, members],
      [1, members],
    ]),
  );
  const [own, fused] = trace.samples()[0]!.tracks;
  t.equal(own!.members, undefined, 'an own-only track has no association lines');
  t.same(fused!.members, members);
});
