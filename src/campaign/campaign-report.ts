import { chartJsBundle } from '../report/chart-js-bundle.js';
import { escapeHtml, jsonForScript } from '../report/html-text.js';
import type { CampaignStatistics, PointStatistics, Spread } from './campaign-statistics.js';
import type { Proportion } from './wilson-interval.js';

/** Bins of the per-run intercept-ratio histogram. */
const RATIO_BINS = 20;

/**
 * The campaign report: one self-contained HTML page (Chart.js inlined as in the run report,
 * nothing fetched). Verdict and failing seeds first, then per sweep point the intercept ratio
 * and leaker rate with their Wilson 95 % intervals (as floating bars around the estimate), rounds
 * per kill, launch-error and reaction percentiles, then distributions: per-run intercept ratio
 * and pooled launch error and reaction. `window.__campaignReport = {ready, charts, errors}` tells a
 * test every chart was drawn.
 */
export function renderCampaignReport(stats: CampaignStatistics, title: string): string {
  const labels = stats.points.map((p) => p.label);
  const charts = [
    intervalChart(
      'intercept',
      'Intercept ratio (Wilson 95 %)',
      labels,
      stats.points.map((p) => p.interceptRatio),
    ),
    intervalChart(
      'leakers',
      'Leaker rate: hostiles reaching the ground (Wilson 95 %)',
      labels,
      stats.points.map((p) => p.leakerRate),
    ),
    lineChart('rounds', 'Rounds per kill', labels, [
      { label: 'rounds per kill', data: stats.points.map((p) => p.roundsPerKill) },
    ]),
    lineChart('launch-error', 'Launch error percentiles (µs)', labels, [
      { label: 'p50', data: stats.points.map((p) => p.launchErrorUs.p50) },
      { label: 'p99', data: stats.points.map((p) => p.launchErrorUs.p99) },
      { label: 'max', data: stats.points.map((p) => p.launchErrorUs.max) },
    ]),
    lineChart('reaction', 'Reaction time percentiles (ms)', labels, [
      { label: 'p50', data: stats.points.map((p) => p.reactionMs.p50) },
      { label: 'p90', data: stats.points.map((p) => p.reactionMs.p90) },
      { label: 'p99', data: stats.points.map((p) => p.reactionMs.p99) },
    ]),
    ratioHistogram(stats.points),
  ];
  const verdict =
    stats.verdict === 'pass'
      ? `<p class="pass">PASS — ${stats.overall.runsDone} runs, every safety counter 0.</p>`
      : stats.verdict === 'incomplete'
        ? `<p class="warn">INCOMPLETE — ${stats.overall.runsDone} of ${stats.overall.runsPlanned} runs done (resume with the same command).</p>`
        : `<p class="fail">FAIL — ${stats.safetyFailures.length} run(s) with a safety counter not 0, ${stats.errors.length} run(s) that did not run.</p>`;
  const failures =
    stats.safetyFailures.length === 0
      ? ''
      : table(
          ['run', 'point', 'seed', 'counters', 'recording'],
          stats.safetyFailures.map((f) => [
            f.key,
            stats.points[f.point]?.label ?? String(f.point),
            String(f.seed),
            Object.entries(f.counters)
              .map(([k, v]) => `${k}=${v}`)
              .join(', '),
            f.recordingFile ?? '—',
          ]),
        );
  const errors =
    stats.errors.length === 0
      ? ''
      : table(
          ['run', 'seed', 'error'],
          stats.errors.slice(0, 50).map((e) => [e.key, String(e.seed), e.error]),
        );
  const o = stats.overall;
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="note">Campaign ${escapeHtml(stats.id)} · scenario ${escapeHtml(stats.scenario)} · ${stats.points.length} point(s) × ${stats.seeds.length} seed(s) (${stats.seeds[0] ?? '—'}…${stats.seeds[stats.seeds.length - 1] ?? '—'}) · parameters: ${escapeHtml(stats.parameterNames.join(', ') || 'none')}</p>`,
    `<section class="card"><h2>Verdict</h2>${verdict}${failures}${errors}</section>`,
    `<section class="card"><h2>All points</h2><p class="kpi" id="overall-intercept">intercept ratio ${ratioText(o.interceptRatio)}</p>`,
    `<p>leaker rate ${ratioText(o.leakerRate)} · runs with a leaker ${ratioText(o.runsWithLeaker)} · rounds per kill ${num(o.roundsPerKill, 3)}</p></section>`,
    `<section class="card"><h2>Per point</h2>${pointsTable(stats.points)}<p class="note">Intervals: Wilson score, 95 %, over pooled hostiles (hostiles of one run share its seed, so read them as optimistic); "runs with a leaker" counts independent runs.</p></section>`,
    ...charts.map(
      (c) =>
        `<section class="card"><h2>${escapeHtml(c.title)}</h2><div class="chart-box"><canvas id="chart-${c.id}" role="img" aria-label="${escapeHtml(c.title)}"></canvas></div></section>`,
    ),
    `<footer>shieldlink campaign report · charts by Chart.js (MIT), inlined · works offline</footer>`,
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLES}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="campaign-data">${jsonForScript({ charts: charts.map((c) => ({ id: c.id, config: c.config })) })}</script>
<script>${chartJsBundle()}</script>
<script>${BROWSER_SCRIPT}</script>
</body>
</html>
`;
}

interface ChartDef {
  readonly id: string;
  readonly title: string;
  readonly config: unknown;
}

function intervalChart(id: string, title: string, labels: readonly string[], values: readonly Proportion[]): ChartDef {
  return {
    id,
    title,
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            type: 'line',
            label: 'estimate',
            data: values.map((v) => v.estimate),
            borderColor: '#1f5fa8',
            backgroundColor: '#1f5fa8',
            pointRadius: 4,
            showLine: labels.length > 1,
          },
          {
            type: 'bar',
            label: '95 % interval',
            data: values.map((v) => (v.low === null ? null : [v.low, v.high])),
            backgroundColor: 'rgba(31,95,168,0.25)',
            borderColor: 'rgba(31,95,168,0.6)',
            borderWidth: 1,
            barPercentage: 0.3,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 1, title: { display: true, text: 'ratio' } } },
      },
    },
  };
}

function lineChart(
  id: string,
  title: string,
  labels: readonly string[],
  series: readonly { label: string; data: readonly (number | null)[] }[],
): ChartDef {
  const colours = ['#1f5fa8', '#c0392b', '#7f8c8d', '#27ae60'];
  return {
    id,
    title,
    config: {
      type: 'line',
      data: {
        labels,
        datasets: series.map((s, i) => ({
          label: s.label,
          data: s.data,
          borderColor: colours[i % colours.length],
          backgroundColor: colours[i % colours.length],
          pointRadius: 4,
        })),
      },
      options: { animation: false, maintainAspectRatio: false },
    },
  };
}

function ratioHistogram(points: readonly PointStatistics[]): ChartDef {
  const labels = Array.from({ length: RATIO_BINS }, (_, i) => `${((i / RATIO_BINS) * 100).toFixed(0)}%`);
  const colours = ['#1f5fa8', '#c0392b', '#27ae60', '#8e44ad', '#d35400', '#16a085'];
  return {
    id: 'ratio-distribution',
    title: 'Distribution of per-run intercept ratio',
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: points.slice(0, 12).map((p, i) => {
          const counts = new Array<number>(RATIO_BINS).fill(0);
          for (const r of p.perRunInterceptRatio) counts[Math.min(RATIO_BINS - 1, Math.floor(r * RATIO_BINS))]!++;
          return { label: p.label, data: counts, backgroundColor: colours[i % colours.length] };
        }),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: 'intercept ratio (bin start)' } },
          y: { title: { display: true, text: 'runs' } },
        },
      },
    },
  };
}

function pointsTable(points: readonly PointStatistics[]): string {
  return table(
    [
      'point',
      'runs',
      'intercept ratio [95 %]',
      'leaker rate [95 %]',
      'runs with leaker',
      'rounds/kill',
      'launch error µs p50 / p99 / max',
      'reaction ms p50 / p99',
      'safety',
    ],
    points.map((p) => [
      p.label,
      `${p.runsDone}/${p.runsPlanned}${p.runsErrored > 0 ? ` (${p.runsErrored} errors)` : ''}`,
      ratioText(p.interceptRatio),
      ratioText(p.leakerRate),
      ratioText(p.runsWithLeaker),
      num(p.roundsPerKill, 3),
      spreadText(p.launchErrorUs, ['p50', 'p99', 'max']),
      spreadText(p.reactionMs, ['p50', 'p99']),
      Object.values(p.safety).every((v) => v === 0)
        ? 'OK'
        : Object.entries(p.safety)
            .filter(([, v]) => v !== 0)
            .map(([k, v]) => `${k}=${v}`)
            .join(', '),
    ]),
  );
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<div class="scroll"><table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}

/** `97.9 % [97.1, 98.5] (2447/2500)`. */
export function ratioText(p: Proportion): string {
  if (p.estimate === null) return '— (nothing measured)';
  return `${(p.estimate * 100).toFixed(1)} % [${(p.low! * 100).toFixed(1)}, ${(p.high! * 100).toFixed(1)}] (${p.successes}/${p.trials})`;
}

function spreadText(s: Spread, keys: readonly ('p50' | 'p90' | 'p99' | 'max')[]): string {
  if (s.count === 0) return '—';
  return `${keys.map((k) => num(s[k], 4)).join(' / ')} (n=${s.count})`;
}

function num(v: number | null, digits: number): string {
  return v === null ? '—' : String(Number(v.toPrecision(digits)));
}

const STYLES = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin:0 0 8px}
.card{background:#fff;border-radius:6px;padding:12px 16px;margin:12px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.chart-box{position:relative;height:300px}
.note{color:#5a6270;font-size:.85rem}.kpi{font-size:1.3rem;font-weight:600}
.pass{color:#1e7d34;font-weight:700}.fail{color:#b3261e;font-weight:700}.warn{color:#a15c00;font-weight:700}
table{border-collapse:collapse;font-size:.85rem;width:100%}th,td{border-bottom:1px solid #e3e6ea;padding:4px 6px;text-align:left;vertical-align:top}
.scroll{overflow-x:auto}footer{color:#7a818c;font-size:.8rem;margin:24px 0}
`;

const BROWSER_SCRIPT = String.raw`
(function () {
  'use strict';
  var status = { ready: false, charts: [], errors: [] };
  window.__campaignReport = status;
  try {
    if (typeof window.Chart !== 'function') throw new Error('Chart.js did not load');
    var data = JSON.parse(document.getElementById('campaign-data').textContent);
    data.charts.forEach(function (c) {
      var canvas = document.getElementById('chart-' + c.id);
      var chart = new window.Chart(canvas, c.config);
      status.charts.push({ id: c.id, datasets: chart.data.datasets.length, width: canvas.width, height: canvas.height });
    });
  } catch (e) { status.errors.push(String(e)); }
  status.ready = true;
})();
`;
