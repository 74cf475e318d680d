import { formatNumber } from './format-number.js';
import { escapeHtml } from './html-text.js';
import type { ReportModel } from './build-report-model.js';

/** The top card: verdict, why, and what ran (scenario, seed, clock, config hash, version). */
export function headerSection(model: ReportModel): string {
  const { verdict, digest } = model;
  const m = digest.manifest;
  const word = verdict.verdict === 'pass' ? 'PASS' : verdict.verdict === 'fail' ? 'FAIL' : 'NO VERDICT';
  const facts: [string, string, string?][] = [
    ['scenario', m.scenario?.name ?? '—', m.scenario !== null ? `sha256 ${m.scenario.sha256}` : undefined],
    ['seed', m.seed === null ? '—' : String(m.seed)],
    ['clock mode', m.clockMode],
    ['config hash', m.configHash.slice(0, 16), m.configHash],
    ['software version', m.softwareVersion],
    ['tick period', `${formatNumber(m.tickPeriodUs)} µs`],
    ['ticks recorded', `${digest.end?.ticks ?? digest.busyTicks + digest.idleTicks} (${digest.busyTicks} busy)`],
    ['host time span', `${formatNumber(digest.firstUs / 1e6, 5)} – ${formatNumber(digest.lastUs / 1e6, 5)} s`],
    ['outputs sha256', digest.end?.outputsSha256.slice(0, 16) ?? '— (no end record)', digest.end?.outputsSha256],
    ['recording', digest.complete ? 'complete' : 'INCOMPLETE'],
    ['truth log', model.hasTruth ? 'yes' : 'none (host view only)'],
    ['generated', model.generatedAt],
  ];
  const reasonClass = verdict.verdict === 'fail' ? 'fail' : '';
  return `<section class="card header">
<div class="verdict ${verdict.verdict}" id="verdict">${word}<small>safety &amp; measurements</small></div>
<div>
<h1>${escapeHtml(model.title)}</h1>
<ul class="reasons">${verdict.reasons.map((r) => `<li class="${reasonClass}">${escapeHtml(r)}</li>`).join('')}</ul>
${verdict.warnings.length > 0 ? `<ul class="reasons warnings">${verdict.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : ''}
<dl class="facts">${facts
    .map(
      ([k, v, title]) =>
        `<div><dt>${escapeHtml(k)}</dt><dd${title !== undefined ? ` title="${escapeHtml(title)}"` : ''}>${escapeHtml(v)}</dd></div>`,
    )
    .join('')}</dl>
</div>
</section>`;
}
