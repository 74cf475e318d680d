import { escapeHtml } from './html-text.js';
import type { Kpi } from './report-kpis.js';

/** The headline figures as a row of tiles. */
export function kpiTiles(kpis: readonly Kpi[]): string {
  return `<section class="kpis">${kpis
    .map(
      (k) =>
        `<div class="kpi ${k.tone}"><div class="label">${escapeHtml(k.label)}</div><div class="value">${escapeHtml(k.value)}</div><div class="detail">${escapeHtml(k.detail)}</div></div>`,
    )
    .join('')}</section>`;
}
