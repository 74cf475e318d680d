import { auditTable } from './audit-table.js';
import type { ReportModel } from './build-report-model.js';
import { chartCard } from './chart-card.js';
import type { ChartSpec } from './chart-spec.js';
import { engagementsTable } from './engagements-table.js';
import { formatNumber } from './format-number.js';
import { headerSection } from './header-section.js';
import { htmlTable } from './html-table.js';
import { escapeHtml } from './html-text.js';
import { kpiTiles } from './kpi-tiles.js';
import { launcherReadinessTable } from './launcher-readiness-table.js';
import { linkCountersTable } from './link-counters-table.js';
import { loopMetricsTable } from './loop-metrics-table.js';
import { measurementsTable } from './measurements-table.js';
import { reportDocument } from './report-document.js';
import { safetyTable } from './safety-table.js';

/**
 * The page: one self-contained HTML document. Chart.js and the page script are inlined, the
 * chart configurations embedded as JSON; nothing is fetched when it is opened.
 */
export function renderReportPage(model: ReportModel, chartJsSource: string, ledgerCard = ''): string {
  const { charts } = model;
  const present = [
    charts.planView,
    charts.altitude,
    charts.timeline,
    charts.launchError,
    charts.reaction,
    charts.lateness,
    charts.gospa,
    charts.siap,
  ].filter((c): c is ChartSpec => c !== null);
  const data = { charts: present.map((c) => ({ id: c.id, views: c.views ?? [], config: c.config })) };

  const loop = model.loopMetrics;
  const loopNote =
    loop === undefined
      ? '<p class="nodata">No loop metrics in the summary file.</p>'
      : loopMetricsTable(loop) +
        (charts.lateness === null && loop.mode === 'virtual'
          ? '<p class="note">Virtual time: every tick starts exactly on its deadline, so lateness is zero by construction.</p>'
          : '');
  const launchNote = [
    model.launchErrors.unmatchedLaunches > 0
      ? `${model.launchErrors.unmatchedLaunches} launch(es) in the truth log match no recorded FIRE.`
      : '',
    model.launchErrors.firesWithoutLaunch > 0
      ? `${model.launchErrors.firesWithoutLaunch} FIRE(s) never launched (aborted, refused, misfired, or still pending at the end).`
      : '',
  ]
    .filter(Boolean)
    .map((t) => `<p class="note">${escapeHtml(t)}</p>`)
    .join('');
  const weapons = htmlTable({
    headers: [{ text: 't (s)', className: 'num' }, 'from', 'to', 'operators'],
    rows: model.digest.weaponsControl.map((w) => [
      { text: formatNumber(w.atUs / 1e6, 7), className: 'num' },
      w.from,
      { text: w.to, className: w.to === 'free' ? 'warn' : '' },
      w.operatorIds.join(', '),
    ]),
    empty: 'weapons control never changed (HOLD throughout)',
  });
  const rejections = Object.entries(model.digest.inputRejections);
  const body = [
    `<div id="report-errors" class="error-banner" hidden></div>`,
    headerSection(model),
    kpiTiles(model.kpis),
    `<div class="grid2">`,
    `<section class="card"><h2>Safety counters</h2>${safetyTable(model.safety)}<p class="note">Counted from the simulator's truth, never from the host's belief. Any non-zero counter fails the run.</p></section>`,
    `<section class="card"><h2>Measurements</h2>${measurementsTable(model.measurements)}</section>`,
    `</div>`,
    chartCard(charts.planView, 'Plan view', ''),
    chartCard(charts.altitude, 'Altitude vs time', 'No truth log and no radar plots: nothing to draw.'),
    chartCard(charts.timeline, 'Engagement timeline per launcher', 'No engagement was planned in this run.'),
    chartCard(
      charts.gospa,
      'Picture quality: GOSPA over time',
      'No truth log or no picture sampled: nothing to score.',
    ),
    chartCard(charts.siap, 'Picture quality: SIAP over time', 'No truth log or no picture sampled: nothing to score.'),
    `<section class="card"><h2>Launcher readiness</h2>${launcherReadinessTable(model.readiness)}</section>`,
    `<div class="grid2">`,
    chartCard(charts.launchError, 'Launch timing error', 'No launch to match with a FIRE.', launchNote),
    chartCard(charts.reaction, 'Reaction time', 'No FIRE command in this run.'),
    `</div>`,
    `<div class="grid2">`,
    `<section class="card"><h2>Control loop</h2>${loopNote}</section>`,
    charts.lateness !== null
      ? chartCard(charts.lateness, 'Control loop lateness', '')
      : `<section class="card"><h2>Link counters</h2>${model.linkCounters !== undefined ? linkCountersTable(model.linkCounters) : '<p class="nodata">No link counters in the summary file.</p>'}</section>`,
    `</div>`,
    charts.lateness !== null
      ? `<section class="card"><h2>Link counters</h2>${model.linkCounters !== undefined ? linkCountersTable(model.linkCounters) : '<p class="nodata">No link counters in the summary file.</p>'}</section>`
      : '',
    `<section class="card"><h2>Operator commands</h2>`,
    `<h3 class="note">Weapons control</h3>${weapons}`,
    `<h3 class="note">Command audit</h3>${auditTable(model.digest.audit, model.digest.operatorResults)}`,
    rejections.length > 0
      ? `<p class="note">Inputs the core rejected: ${escapeHtml(rejections.map(([r, n]) => `${r} ×${n}`).join(', '))}.</p>`
      : '',
    `</section>`,
    `<section class="card"><details><summary>All engagements (${model.timeline.engagements.length})</summary><div class="scroll">${engagementsTable(model.timeline.engagements, model.launchErrors.errors, model.paths)}</div></details></section>`,
    ledgerCard,
    `<footer>shieldlink ${escapeHtml(model.digest.manifest.softwareVersion)} after-action report · generated ${escapeHtml(model.generatedAt)} · charts by Chart.js (MIT), inlined · works offline</footer>`,
  ].join('\n');

  return reportDocument({ generator: 'shieldlink report', title: model.title, body, data, chartJsSource });
}
