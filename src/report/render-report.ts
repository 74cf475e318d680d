import { buildReportModel } from './build-report-model.js';
import { chartJsBundle } from './chart-js-bundle.js';
import type { ReportInput } from './report-input.js';
import { renderReportPage } from './report-page.js';
import { ledgerSection } from './ledger-section.js';

/**
 * The after-action report of a run as one self-contained HTML page (Chart.js, styles, script and
 * data inlined; nothing fetched at view time): verdict, headline figures, plan view, altitude,
 * engagement timeline, launch-error and reaction histograms, loop health, link counters,
 * measurements, safety counters and the operator command audit.
 */
export function renderReport(input: ReportInput): string {
  return renderReportPage(buildReportModel(input), chartJsBundle(), ledgerSection(input.ledger));
}
