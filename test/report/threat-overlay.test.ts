import t from 'tap';
import type { RunFileContents } from '../../src/record/run-reader.js';
import { planViewChart } from '../../src/report/plan-view-chart.js';
import { threatOverlay } from '../../src/report/threat-overlay.js';

const run = (records: RunFileContents['records']): RunFileContents => ({
  manifest: {
    kind: 'manifest',
    format: 'shieldlink-run/3',
    softwareVersion: 't',
    configHash: 'h',
    scenario: null,
    seed: 1,
    clockMode: 'virtual',
    tickPeriodUs: 1000,
    coreConfig: {
      defendedAssets: [
        {
          id: 'city',
          value: 10,
          area: { kind: 'circle', eastM: 1000, northM: 2000, radiusM: 500 },
          keepOut: [
            {
              kind: 'polygon',
              vertices: [
                { eastM: 0, northM: 0 },
                { eastM: 100, northM: 0 },
                { eastM: 0, northM: 100 },
              ],
            },
          ],
        },
        { id: 'broken', value: 1, area: { kind: 'circle' }, keepOut: [] },
      ],
    },
  },
  records,
  complete: true,
  truncatedTail: false,
});

t.test('threat overlay: assets, keep-out zones and the last 95 % IPP ellipse per track', async (t) => {
  const overlay = threatOverlay(
    run([
      {
        kind: 'threats',
        nowUs: 1e6,
        threats: [
          {
            trackId: 4,
            kind: 'impact',
            impactAtHostUs: 9e6,
            ipp: [0, 0],
            cov: [100, 0, 100],
            value: 0,
            assets: [],
            assigned: null,
          },
        ],
      },
      {
        kind: 'threats',
        nowUs: 2e6,
        threats: [
          // σ east 200 m, σ north 100 m: 95 % semi-axes 489.5 m (east) and 244.8 m (north).
          {
            trackId: 4,
            kind: 'impact',
            impactAtHostUs: 9e6,
            ipp: [1000, 2000],
            cov: [40000, 0, 10000],
            value: 9.5,
            assets: [['city', 0.95]],
            assigned: [1, 'launcher-1'],
          },
          { trackId: 5, kind: 'impact', ipp: ['bad'], cov: [] },
        ],
      },
    ]),
  );
  const segments = (points: readonly { x: number | null }[]): number => points.filter((p) => p.x === null).length;
  t.equal(segments(overlay.assets), 1, 'one well-formed asset outline (the malformed one skipped)');
  t.equal(segments(overlay.keepOut), 1);
  t.equal(overlay.keepOut.length, 5, 'a closed triangle and a gap');
  t.equal(overlay.impactPoints.length, 1, 'one ellipse per track, malformed entries skipped');
  t.same([overlay.impactPoints[0]!.x, overlay.impactPoints[0]!.y], [1, 2], 'the last prediction, in km');
  const xs = overlay.ellipses.filter((p) => p.x !== null).map((p) => p.x!);
  const ys = overlay.ellipses.filter((p) => p.y !== null).map((p) => p.y!);
  t.ok(Math.abs(Math.max(...xs) - 1 - 0.4895) < 1e-3, `east extent ${Math.max(...xs) - 1}`);
  t.ok(Math.abs(Math.max(...ys) - 2 - 0.2448) < 1e-3, `north extent ${Math.max(...ys) - 2}`);
  t.match(overlay.impactPoints[0]!.n, /track 4 predicted impact .* 7 s ahead .* city p=0\.95/);
  const chart = planViewChart({
    layout: { launchers: [], radars: [], defendedPoints: [] },
    tracks: [],
    radarPlots: [],
    paths: [],
    truth: undefined,
    threats: overlay,
  });
  const labels = (chart.config as { data: { datasets: { label: string }[] } }).data.datasets.map((d) => d.label);
  for (const l of ['Defended asset', 'Keep-out zone', 'IPP 95 % ellipse', 'Predicted impact (last)'])
    t.ok(labels.includes(l), l);
  t.same(threatOverlay(run([])).ellipses, [], 'a run without threats lines draws no ellipse');
});
