import type { ChartOptions } from 'chart.js';

/**
 * The axis and option setup the report's scatter charts share, so that every chart reads the
 * same: static (no animation), sized by its card, points given as `{x, y}` (no parsing).
 */

/** Chart.js scale options of a linear axis (what {@link linearAxis} takes besides its title). */
export interface LinearAxisOptions {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly beginAtZero?: boolean;
  readonly position?: 'left' | 'right';
  readonly grid?: { readonly drawOnChartArea: boolean };
}

/** A linear axis titled `text`, with `options` (range, side, grid) ahead of the title. */
export function linearAxis(text: string, options: LinearAxisOptions = {}) {
  return { type: 'linear' as const, ...options, title: { display: true, text } };
}

/** The x axis of every chart drawn against host time, in seconds. */
export function hostTimeAxis() {
  return linearAxis('host time (s)');
}

/** A secondary linear axis on the right, from zero, drawing no grid over the chart. */
export function rightAxis(text: string) {
  return linearAxis(text, { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } });
}

/** Options of a report scatter chart with these scales and plugins. */
export function scatterOptions(
  scales: NonNullable<ChartOptions<'scatter'>['scales']>,
  plugins: NonNullable<ChartOptions<'scatter'>['plugins']>,
): ChartOptions<'scatter'> {
  return { animation: false, responsive: true, maintainAspectRatio: false, parsing: false, scales, plugins };
}
