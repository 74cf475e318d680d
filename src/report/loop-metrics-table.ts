import type { TickLoopMetrics } from '../control/realtime/tick-loop.js';
import { formatNumber } from './format-number.js';
import { htmlTable, type TableCell } from './html-table.js';

/** The control loop's health: deadlines missed, overruns, lateness and compute percentiles. */
export function loopMetricsTable(m: TickLoopMetrics): string {
  const us = (v: number): TableCell => ({ text: `${formatNumber(v, 4)} µs`, className: 'num' });
  const count = (v: number, badWhenPositive = true): TableCell => ({
    text: String(v),
    className: badWhenPositive && v > 0 ? 'num fail' : 'num',
  });
  const rows: TableCell[][] = [
    ['mode', m.mode],
    ['tick period', us(m.periodUs)],
    ['ticks run', count(m.ticks, false)],
    ['missed ticks (skipped deadlines)', count(m.missedTicks)],
    ['overruns', count(m.overruns)],
    ['lateness p50 / p99', `${formatNumber(m.latenessUs.p50, 4)} / ${formatNumber(m.latenessUs.p99, 4)} µs`],
    ['lateness p99.9 / max', `${formatNumber(m.latenessUs.p999, 4)} / ${formatNumber(m.latenessUs.max, 4)} µs`],
    ['compute p99 / max', `${formatNumber(m.computeUs.p99, 4)} / ${formatNumber(m.computeUs.max, 4)} µs`],
    ['input ring overflows', count(m.inputOverflows)],
    ['output ring overflows', count(m.outputOverflows)],
    ['I/O thread stalls', count(m.ioStalls)],
  ];
  if (m.ioEventLoopDelayUs !== null)
    rows.push([
      'I/O event-loop delay p99 / max',
      `${formatNumber(m.ioEventLoopDelayUs.p99, 4)} / ${formatNumber(m.ioEventLoopDelayUs.max, 4)} µs`,
    ]);
  return htmlTable({ headers: ['control loop', 'value'], rows, className: 'kv' });
}
