import type { ChartSpec } from './chart-spec.js';
import { formatNumber } from './format-number.js';
import type { Histogram } from './histogram.js';

/** How to present one histogram. */
export interface HistogramChartOptions {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** Axis title of the binned quantity, with its unit. */
  readonly xTitle: string;
  readonly colour: string;
}

/** A histogram as a bar chart: one bar per bin, labelled with the bin's range. */
export function histogramChart(bins: Histogram, options: HistogramChartOptions): ChartSpec {
  const digits = Math.max(2, Math.ceil(-Math.log10(bins.width)) + 2);
  const edge = (v: number): string => formatNumber(Math.abs(v) < bins.width * 1e-9 ? 0 : v, Math.min(6, digits));
  const labels = bins.lowerEdges.map((lo) => `${edge(lo)} … ${edge(lo + bins.width)}`);
  return {
    id: options.id,
    title: options.title,
    caption: options.caption,
    heightPx: 300,
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          {
            label: `count (n=${bins.total})`,
            data: [...bins.counts],
            backgroundColor: options.colour,
            borderColor: options.colour,
            barPercentage: 1,
            categoryPercentage: 0.95,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { title: { display: true, text: options.xTitle }, ticks: { maxRotation: 50, autoSkip: true } },
          y: { beginAtZero: true, title: { display: true, text: 'count' }, ticks: { precision: 0 } },
        },
        plugins: { legend: { display: false } },
      },
    },
  };
}
