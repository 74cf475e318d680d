import { formatNumber } from './format-number.js';
import { htmlTable } from './html-table.js';
import type { ReportMeasurement } from './report-input.js';

/** The scenario's measurements with their limits and verdicts. */
export function measurementsTable(measurements: readonly ReportMeasurement[]): string {
  return htmlTable({
    headers: ['measurement', { text: 'value', className: 'num' }, 'limit', 'verdict'],
    rows: measurements.map((m) => [
      { text: m.name, ...(m.message !== undefined ? { title: m.message } : {}) },
      { text: `${formatNumber(m.value, 4)}${unitOf(m) !== '' ? ` ${unitOf(m)}` : ''}`, className: 'num' },
      limitText(m.limit ?? (m.min != null || m.max != null ? { min: m.min, max: m.max } : undefined)),
      m.pass ? { text: 'PASS', className: 'pass' } : { text: 'FAIL', className: 'fail' },
    ]),
    empty: 'the scenario declares no measurements',
  });
}

function unitOf(m: ReportMeasurement): string {
  if (m.unit !== undefined) return m.unit;
  const metric = m.metric ?? '';
  if (metric.startsWith('launchErrorUs')) return 'µs';
  if (metric.startsWith('reactionMs')) return 'ms';
  if (metric === 'interceptRatio') return '(ratio)';
  if (metric === 'speedup') return '×';
  if (metric === 'pictureQuality.gospa.mean' || metric === 'pictureQuality.gospa.max') return 'm';
  if (metric.startsWith('pictureQuality.gospa.')) return 'm^p';
  if (metric.endsWith('AccuracyM')) return 'm';
  if (metric.endsWith('AccuracyMps')) return 'm/s';
  if (metric.endsWith('PerS')) return '/s';
  return '';
}

function limitText(limit: unknown): string {
  if (limit === undefined || limit === null) return '—';
  if (typeof limit === 'string') return limit;
  if (typeof limit === 'number') return formatNumber(limit, 6);
  if (typeof limit === 'object') {
    const l = limit as { min?: unknown; max?: unknown; abs?: unknown };
    const min = typeof l.min === 'number' ? formatNumber(l.min, 6) : null;
    const max = typeof l.max === 'number' ? formatNumber(l.max, 6) : null;
    const abs = l.abs === true ? ' (absolute value)' : '';
    if (min !== null && max !== null) return `${min} … ${max}${abs}`;
    if (min !== null) return `≥ ${min}${abs}`;
    if (max !== null) return `≤ ${max}${abs}`;
  }
  return JSON.stringify(limit);
}
