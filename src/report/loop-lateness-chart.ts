import type { TickLoopMetrics } from '../control/realtime/tick-loop.js';
import type { ChartSpec } from './chart-spec.js';
import { REPORT_PALETTE } from './report-palette.js';

/**
 * Control-loop lateness (tick start − deadline) and compute time as bars at p50, p99, p99.9 and
 * max, µs. Null when there is nothing to draw: no metrics, or a virtual-time run where both are
 * zero by construction (the page says so instead).
 */
export function loopLatenessChart(metrics: TickLoopMetrics | undefined): ChartSpec | null {
  if (metrics === undefined) return null;
  const late = metrics.latenessUs;
  const compute = metrics.computeUs;
  const values = [late.p50, late.p99, late.p999, late.max, compute.p50, compute.p99, compute.p999, compute.max];
  if (values.every((v) => !Number.isFinite(v) || v === 0)) return null;
  // Tails span decades (p50 of a few µs, a max of milliseconds): log scale when all are > 0.
  const positive = values.every((v) => Number.isFinite(v) && v > 0);
  const logarithmic = positive && Math.max(...values) / Math.min(...values) > 20;
  return {
    id: 'loop-lateness',
    title: 'Control loop lateness',
    caption: `Tick start minus its deadline, and time in the tick handler, over ${metrics.ticks} ticks of ${metrics.periodUs} µs (${metrics.mode}).`,
    heightPx: 260,
    config: {
      type: 'bar',
      data: {
        labels: ['p50', 'p99', 'p99.9', 'max'],
        datasets: [
          {
            label: 'lateness (µs)',
            data: [late.p50, late.p99, late.p999, late.max],
            backgroundColor: REPORT_PALETTE.bars,
          },
          {
            label: 'compute (µs)',
            data: [compute.p50, compute.p99, compute.p999, compute.max],
            backgroundColor: REPORT_PALETTE.barsAlt,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: logarithmic
            ? { type: 'logarithmic', title: { display: true, text: 'µs (log scale)' } }
            : { type: 'linear', beginAtZero: true, title: { display: true, text: 'µs' } },
        },
        plugins: { legend: { position: 'top' } },
      },
    },
  };
}
