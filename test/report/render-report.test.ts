import t from 'tap';
import type { TruthRecord } from '../../src/truth/truth-record.js';
import { buildReportModel, MAX_POINTS_PER_CHART } from '../../src/report/build-report-model.js';
import { renderReport } from '../../src/report/index.js';
import { fixtureRun, fixtureSummary, fixtureTruth } from './report-fixture.js';

const GENERATED_AT = '2026-01-01T00:00:00.000Z';

/** The embedded chart data of a page. */
function embedded(html: string): {
  charts: { id: string; config: { data: { datasets: { label: string; data: unknown[] }[] } } }[];
} {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (match === null) throw new Error('no embedded data');
  return JSON.parse(match[1]!) as ReturnType<typeof embedded>;
}

t.test('the page is self-contained: no external script, stylesheet, image or font', async (t) => {
  const html = renderReport({
    run: fixtureRun(),
    truth: fixtureTruth(),
    summary: fixtureSummary(),
    generatedAt: GENERATED_AT,
  });
  t.match(html, /^<!doctype html>/);
  t.notMatch(html, /<script[^>]*\ssrc\s*=/i, 'no <script src>');
  t.notMatch(html, /<link[^>]*>/i, 'no <link>');
  t.notMatch(html, /<(img|iframe|embed|object|source)\b/i, 'no embedded resources');
  t.notMatch(html, /\burl\(\s*['"]?(https?:)?\/\//i, 'no CSS url() to the network');
  t.notMatch(html, /@import/i);
  t.notMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//i, 'no attribute pointing at the network');
  t.ok(html.includes('Chart.js v4'), 'Chart.js inlined');
  t.ok(html.length > 200_000, 'the inlined library makes it this big');
});

t.test('the page contains the run: verdict, facts, tables and chart data', async (t) => {
  const html = renderReport({
    run: fixtureRun(),
    truth: fixtureTruth(),
    summary: fixtureSummary(),
    generatedAt: GENERATED_AT,
  });
  t.match(html, /<div class="verdict fail" id="verdict">FAIL/, 'a failing measurement fails the run');
  t.match(html, /measurement failed: no leakers/);
  for (const fact of ['fixture.yaml', '9.9.9-test', 'c0ffeec0ffeec0ff', 'virtual', '>42<', GENERATED_AT])
    t.ok(html.includes(fact), `shows ${fact}`);
  t.ok(html.includes('&lt;b&gt;ok&lt;/b&gt;'), 'audit details are escaped');
  t.match(html, /set-weapons-control/);
  t.match(html, /retransmits/, 'link counters');
  t.match(html, /naks\.late/, 'nested counters flattened when non-zero');
  t.notMatch(html, /naks\.busy/, 'all-zero nested counters hidden');
  const data = embedded(html);
  t.strictSame(
    data.charts.map((c) => c.id),
    ['plan-view', 'altitude', 'timeline', 'launch-error', 'reaction', 'loop-lateness'],
  );
  const plan = data.charts[0]!.config.data.datasets.map((d) => d.label);
  for (const label of [
    'Launcher',
    'Leaker impact',
    'Kill ✕',
    'Closest approach (miss)',
    'Hostile track',
    'Friendly track',
    'Envelope max range',
    'Envelope min range',
    'Interceptor → kill',
    'Interceptor → miss',
  ])
    t.ok(plan.includes(label), `plan view draws ${label}`);
  const timeline = data.charts[2]!.config.data.datasets.map((d) => d.label);
  for (const label of ['Flight → kill', 'Flight → miss', 'Aborted', 'Device fault', 'Kill ✕'])
    t.ok(timeline.includes(label), `timeline draws ${label}`);
  const planned = data.charts[2]!.config.data.datasets.find((d) => d.label === 'Plan → FIRE')!.data as { n: string }[];
  t.ok(
    planned.some((p) => p.n.startsWith('E4 ') && p.n.includes('open')),
    'E4, never fired, stays planned to the end',
  );
});

t.test('a hostile title cannot break out of the page', async (t) => {
  const title = '</script><script>alert(1)</script><b>';
  const run = fixtureRun();
  const evil = { ...run, manifest: { ...run.manifest, scenario: { name: '</script><img src=x>', sha256: '0' } } };
  const html = renderReport({ run: evil, title, generatedAt: GENERATED_AT });
  t.notOk(html.includes('<script>alert(1)'), 'title escaped');
  t.notOk(html.includes('<img src=x>'), 'scenario name escaped');
  t.equal(html.match(/<script[\s>]/g)?.length, 3, 'exactly the data, Chart.js and page scripts');
  t.doesNotThrow(() => embedded(html));
});

t.test('without truth or summary: host view, no verdict, charts still drawn from the recording', async (t) => {
  const html = renderReport({ run: fixtureRun(), generatedAt: GENERATED_AT });
  t.match(html, /NO VERDICT/);
  t.match(html, /none \(host view only\)/);
  const ids = embedded(html).charts.map((c) => c.id);
  t.strictSame(ids, ['plan-view', 'altitude', 'timeline', 'launch-error', 'reaction']);
  t.match(html, /No loop metrics in the summary file/);
  t.match(html, /host-reported/);
});

t.test('virtual-time loop metrics: table and the reason there is no lateness chart', async (t) => {
  const summary = {
    ...fixtureSummary(),
    loopMetrics: {
      ...fixtureSummary().loopMetrics!,
      mode: 'virtual' as const,
      latenessUs: { count: 1, p50: 0, p99: 0, p999: 0, max: 0, mean: 0 },
      computeUs: { count: 1, p50: 0, p99: 0, p999: 0, max: 0, mean: 0 },
    },
  };
  const html = renderReport({ run: fixtureRun(), summary, generatedAt: GENERATED_AT });
  t.notOk(embedded(html).charts.some((c) => c.id === 'loop-lateness'));
  t.match(html, /lateness is zero by construction/);
});

t.test('large truth logs are downsampled to at most 2,000 trajectory points per chart', async (t) => {
  const truth: TruthRecord[] = [];
  for (let k = 0; k < 40; k++)
    for (let i = 0; i < 1000; i++)
      truth.push({
        kind: 'target',
        tUs: i * 100_000,
        targetId: `t${k}`,
        iff: k % 3 === 0 ? 'friendly' : 'hostile',
        eastM: 50_000 - i * 50 + k * 100,
        northM: Math.sin(i / 50) * 5000,
        upM: 10_000 - i * 10,
        eastMps: -500,
        northMps: 0,
        upMps: -100,
      });
  const model = buildReportModel({ run: fixtureRun(), truth, generatedAt: GENERATED_AT });
  for (const chart of [model.charts.planView, model.charts.altitude!]) {
    const trackPoints = (chart.config.data.datasets as { label?: string; data: { x: number | null }[] }[])
      .filter((d) => /track|Hostile|Friendly|Unknown/.test(d.label ?? '') && !/start/.test(d.label ?? ''))
      .flatMap((d) => d.data)
      .filter((p) => p.x !== null);
    t.ok(trackPoints.length <= MAX_POINTS_PER_CHART, `${chart.id}: ${trackPoints.length} points`);
    t.ok(trackPoints.length > MAX_POINTS_PER_CHART / 2, `${chart.id}: the budget is used`);
  }
  const html = renderReport({ run: fixtureRun(), truth, generatedAt: GENERATED_AT });
  t.ok(html.length < 1_500_000, `page stays light (${html.length} bytes for 40,000 samples)`);
});
