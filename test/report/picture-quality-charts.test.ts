/**
 * The report plots the picture's GOSPA (with its parts) and SIAP over time from the summary
 * file's series, says why when there is none, and keeps only well-formed series points when it
 * reads a summary file.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildReportModel } from '../../src/report/build-report-model.js';
import { renderReport } from '../../src/report/index.js';
import { readSummaryFile } from '../../src/report/read-summary-file.js';
import { fixtureRun, fixtureSummary, fixtureTruth } from './report-fixture.js';

const series = [0, 1, 2].map((k) => ({
  tS: k,
  gospa: 10 + k,
  localisation: 100,
  missed: k === 2 ? 125_000 : 0,
  false: 0,
  switching: 0,
  completeness: k === 2 ? 0.5 : 1,
  ambiguity: 1,
  spuriousness: 0,
  positionalAccuracyM: 10,
}));

t.test('GOSPA and SIAP charts from the series: one line per figure, each point at its instant', async (t) => {
  const model = buildReportModel({
    run: fixtureRun(),
    truth: fixtureTruth(),
    summary: { ...fixtureSummary(), pictureQualitySeries: series },
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
  const gospa = model.charts.gospa!;
  const siap = model.charts.siap!;
  const labels = (c: typeof gospa) =>
    (c.config.data.datasets as { label: string; data: { x: number; y: number | null }[] }[]).map((d) => d.label);
  t.same(labels(gospa), ['GOSPA (m)', 'localisation (m^p)', 'missed (m^p)', 'false (m^p)', 'switching (m^p)']);
  t.same(labels(siap), ['completeness', 'ambiguity', 'spuriousness', 'positional accuracy (m)']);
  const data = (c: typeof gospa, i: number) =>
    (c.config.data.datasets[i] as unknown as { data: { x: number; y: number | null }[] }).data;
  t.same(data(gospa, 0), [
    { x: 0, y: 10 },
    { x: 1, y: 11 },
    { x: 2, y: 12 },
  ]);
  t.same(
    data(siap, 0).map((p) => p.y),
    [1, 1, 0.5],
  );
  const html = renderReport({
    run: fixtureRun(),
    truth: fixtureTruth(),
    summary: { ...fixtureSummary(), pictureQualitySeries: series },
    generatedAt: '2026-01-01T00:00:00.000Z',
  });
  t.match(html, /id="chart-picture-gospa"/);
  t.match(html, /id="chart-picture-siap"/);
});

t.test('without a series the page says there is nothing to score', async (t) => {
  const html = renderReport({ run: fixtureRun(), summary: fixtureSummary(), generatedAt: '2026-01-01T00:00:00.000Z' });
  t.notMatch(html, /id="chart-picture-gospa"/);
  t.match(html, /Picture quality: GOSPA over time<\/h2><p class="nodata">No truth log or no picture sampled/);
});

t.test('the summary file reader keeps well-formed series points only', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pq-'));
  const file = join(dir, 'x.summary.json');
  await writeFile(file, JSON.stringify({ pictureQualitySeries: [series[0], { tS: 'x' }, 3, series[1]] }));
  const read = await readSummaryFile(file);
  t.same(read.pictureQualitySeries, [series[0], series[1]]);
});
