import type { ChartSpec } from './chart-spec.js';
import { escapeHtml } from './html-text.js';

/**
 * A card holding one chart's canvas (drawn by the page script from the embedded JSON), its view
 * buttons and caption; or, when there is nothing to draw, the heading and why.
 */
export function chartCard(spec: ChartSpec | null, fallbackTitle: string, emptyText: string, extraHtml = ''): string {
  if (spec === null) {
    return `<section class="card"><h2>${escapeHtml(fallbackTitle)}</h2><p class="nodata">${escapeHtml(emptyText)}</p>${extraHtml}</section>`;
  }
  const views =
    spec.views !== undefined && spec.views.length > 1
      ? `<div class="views" data-chart="${escapeHtml(spec.id)}">${spec.views
          .map(
            (v, i) =>
              `<button type="button" data-view="${i}"${i === 0 ? ' class="active"' : ''}>${escapeHtml(v.label)}</button>`,
          )
          .join('')}</div>`
      : '';
  return [
    `<section class="card" id="section-${escapeHtml(spec.id)}">`,
    views,
    `<h2>${escapeHtml(spec.title)}</h2>`,
    `<div class="chart-box" style="height:${spec.heightPx}px"><canvas id="chart-${escapeHtml(spec.id)}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div>`,
    `<p class="caption">${escapeHtml(spec.caption)}</p>`,
    extraHtml,
    `</section>`,
  ].join('\n');
}
