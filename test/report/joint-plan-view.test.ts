import t from 'tap';
import type { ChartPoint } from '../../src/report/chart-spec.js';
import { type JointPlanNode, jointPlanViewChart } from '../../src/report/joint-plan-view.js';
import { renderJointReport } from '../../src/report/joint-report.js';

type Source = 'local' | 'partner' | 'fused';
const sample = (atS: number, tracks: [number, Source, number, number][]) => ({
  atUs: atS * 1e6,
  tracks: tracks.map(([jointId, source, eastM, northM]) => ({
    jointId,
    source,
    eastM,
    northM,
    partners: source === 'local' ? [] : ['node-b'],
  })),
});

const node = (plan: JointPlanNode['plan'], nodeId = 'node-a'): JointPlanNode => ({
  nodeId,
  radars: [{ id: 'radar-a1', eastM: 0, northM: 0, maxRangeM: 35_000 }],
  launchers: [{ id: 'launcher-a1', eastM: 2000, northM: 1000, maxRangeM: 30_000 }],
  assets: [{ id: 'a-airbase', eastM: 0, northM: 0, radiusM: 2000 }],
  plan,
});

const datasetOf = (spec: ReturnType<typeof jointPlanViewChart>, label: string): ChartPoint[] =>
  ((spec.config.data.datasets as { label: string; data: ChartPoint[] }[]).find((d) => d.label === label)?.data ??
    []) as ChartPoint[];
const lines = (points: readonly ChartPoint[]): { x: number; y: number }[][] => {
  const out: { x: number; y: number }[][] = [[]];
  for (const p of points)
    if (p.x === null || p.y === null) out.push([]);
    else out.at(-1)!.push({ x: p.x, y: p.y });
  return out.filter((l) => l.length > 0);
};

t.test(
  'own, partner and fused tracks go to their own datasets; a track changing source changes colour there',
  async (t) => {
    // Joint track 7: a partner's track for 2 samples, then fused with the own radar. Track 8: own only.
    const spec = jointPlanViewChart(
      node([
        sample(1, [
          [7, 'partner', 20_000, 0],
          [8, 'local', -5000, 0],
        ]),
        sample(2, [
          [7, 'partner', 19_000, 0],
          [8, 'local', -5000, 1000],
        ]),
        sample(3, [
          [7, 'fused', 18_000, 0],
          [8, 'local', -5000, 2000],
        ]),
        sample(4, [[7, 'fused', 17_000, 0]]),
      ]),
    );
    t.same(
      lines(datasetOf(spec, 'Partner track')),
      [
        [
          { x: 20, y: 0 },
          { x: 19, y: 0 },
          { x: 18, y: 0 },
        ],
      ],
      'the partner run ends on the first fused point (no gap in the line)',
    );
    t.same(lines(datasetOf(spec, 'Fused track')), [
      [
        { x: 18, y: 0 },
        { x: 17, y: 0 },
      ],
    ]);
    t.same(lines(datasetOf(spec, 'Own track')), [
      [
        { x: -5, y: 0 },
        { x: -5, y: 1 },
        { x: -5, y: 2 },
      ],
    ]);
    t.equal(lines(datasetOf(spec, 'Radar coverage'))[0]!.length, 73, 'the coverage circle');
    t.match(spec.caption, /2 joint tracks \(by their last source: 1 own, 0 partner only, 1 fused\)/);
    t.equal(spec.id, 'joint-plan-node-a');
    const x = spec.config.options!.scales!['x'] as { min: number; max: number };
    t.ok(x.min < -35 && x.max > 35, 'the view holds the whole coverage');
  },
);

t.test('a track that leaves and comes back is two lines, not one jump', async (t) => {
  const spec = jointPlanViewChart(
    node([
      sample(1, [[3, 'local', 0, 0]]),
      sample(2, [[3, 'local', 1000, 0]]),
      sample(3, []),
      sample(4, [[3, 'local', 9000, 0]]),
    ]),
  );
  t.equal(lines(datasetOf(spec, 'Own track')).length, 2);
});

t.test('track points are bounded: long runs are thinned evenly', async (t) => {
  const plan = Array.from({ length: 2000 }, (_, i) =>
    sample(
      i,
      Array.from({ length: 10 }, (_, k) => [k, 'local', i * 10, k * 1000] as [number, Source, number, number]),
    ),
  );
  const spec = jointPlanViewChart(node(plan), 3000);
  const points = datasetOf(spec, 'Own track').filter((p) => p.x !== null);
  t.ok(points.length <= 3000 + 10, `${points.length} points`);
  t.ok(points.length > 1500, 'not thinned more than needed');
});

t.test('the joint report puts the nodes side by side and escapes every name', async (t) => {
  const figures = { gospaMeanM: 150, completeness: 0.92, ambiguity: 1.05, spuriousness: 0.04 };
  const html = renderJointReport(
    {
      scenario: 'joint<raid>',
      mode: 'linked',
      simulatedS: 100,
      generatedAt: '2026-01-01T00:00:00Z',
      softwareVersion: '0.1.0',
      nodes: [
        {
          ...node([sample(1, [[1, 'local', 0, 0]])], 'node-a'),
          alone: figures,
          joint: figures,
          fusedPairs: 3,
          partnerFeedMeasurements: 5,
        },
        {
          ...node([sample(1, [[1, 'partner', 0, 0]])], 'node-<b>'),
          alone: figures,
          joint: figures,
          fusedPairs: 0,
          partnerFeedMeasurements: 0,
        },
      ],
    },
    '/* chart.js */',
  );
  t.notMatch(html, /<b>|joint<raid>/, 'names escaped');
  t.match(html, /<div class="grid2 side-by-side">[\s\S]*chart-joint-plan-node-a[\s\S]*chart-joint-plan-node-_b_/);
  t.match(html, /node-a: plan view/);
  t.equal(html.match(/<canvas /g)?.length, 2);
});

t.test('the joint report draws association lines from each fused track to its own and partner tracks', async (t) => {
  // Joint track 7 is own track 3 fused with node-b's track 9; joint track 8 is own only (no line).
  const figures = { gospaMeanM: 150, completeness: 0.92, ambiguity: 1.05, spuriousness: 0.04 };
  const fused = (atS: number, eastM: number) => ({
    jointId: 7,
    source: 'fused' as const,
    eastM,
    northM: 1000,
    partners: ['node-b'],
    members: [
      { kind: 'local' as const, nodeId: 'node-a', trackId: '3', eastM: eastM - 200, northM: 1000 },
      { kind: 'partner' as const, nodeId: 'node-b', trackId: '9', eastM: eastM + 300, northM: 1400 },
    ],
  });
  const own = (eastM: number) => ({ jointId: 8, source: 'local' as const, eastM, northM: -4000, partners: [] });
  const html = renderJointReport(
    {
      scenario: 'assoc',
      mode: 'linked',
      simulatedS: 2,
      generatedAt: '2026-01-01T00:00:00Z',
      softwareVersion: '0.1.0',
      nodes: [
        {
          ...node([
            { atUs: 1e6, tracks: [fused(1, 10_000), own(-3000)] },
            { atUs: 2e6, tracks: [fused(2, 11_000), own(-2000)] },
          ]),
          alone: figures,
          joint: figures,
          fusedPairs: 2,
          partnerFeedMeasurements: 0,
        },
      ],
    },
    '/* chart.js */',
  );
  const data = JSON.parse(
    html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/)![1]!,
  ) as {
    charts: { config: { data: { datasets: { label: string; data: ChartPoint[] }[] } } }[];
  };
  const association = data.charts[0]!.config.data.datasets.find((d) => d.label === 'Association');
  t.ok(association, 'an Association dataset in the page');
  const rounded = lines(association!.data).map((l) =>
    l.map((p) => ({ x: Math.round(p.x * 1e6) / 1e6, y: Math.round(p.y * 1e6) / 1e6 })),
  );
  t.same(
    rounded,
    [
      [
        { x: 10, y: 1 },
        { x: 9.8, y: 1 },
      ],
      [
        { x: 10, y: 1 },
        { x: 10.3, y: 1.4 },
      ],
      [
        { x: 11, y: 1 },
        { x: 10.8, y: 1 },
      ],
      [
        { x: 11, y: 1 },
        { x: 11.3, y: 1.4 },
      ],
    ],
    'at each sample, one line from the fused position to the own track and one to the partner track',
  );
  t.match(association!.data[0]!.n, /joint 7 ↔ own track 3/);
  t.match(association!.data[3]!.n, /joint 7 ↔ node-b track 9/);
  const touches = association!.data.some((p) => p.y === -4);
  t.notOk(touches, 'no line to or from the unassociated own track');
  const fusedPoints = data.charts[0]!.config.data.datasets.find((d) => d.label === 'Fused track')!.data;
  t.match(fusedPoints[0]!.n, /= own track 3 \+ node-b track 9/, 'the fused track says what it was made of');
  t.match(html, /thin dark lines from a fused track to the own and partner tracks/);
});
