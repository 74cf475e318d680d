import type { ChartDataset } from 'chart.js';
import type { ChartSpec, FloatingBar, RowPoint } from './chart-spec.js';
import type { DeviceInterval } from './device-intervals.js';
import type { EngagementTimeline, TimelineEngagement, TimelineResult } from './engagement-timeline.js';
import { formatNumber } from './format-number.js';
import { REPORT_PALETTE } from './report-palette.js';

const S = 1e-6;
const ROW_PX = 22;

/**
 * Per-launcher engagement timeline: one floating bar per engagement on its launcher's lane,
 * split into phases — detection → plan (grey), plan → FIRE (blue), FIRE → launch (yellow),
 * flight → intercept (coloured by result) — with markers at launch (●) and intercept (✕ kill,
 * ○ miss). Aborted and failed engagements end in a purple or dark red bar. Below the launchers,
 * one row per device fault window and per launcher not-armed window (from truth), so a missed
 * engagement can be read against what the bench was doing.
 */
export function engagementTimelineChart(
  timeline: EngagementTimeline,
  lastUs: number,
  devices: readonly DeviceInterval[] = [],
): ChartSpec {
  const deviceRows = [...new Set(devices.map((d) => d.row))];
  const labels = [...timeline.rows.map((r) => r.label), ...deviceRows];
  const label = (e: TimelineEngagement): string => labels[e.row]!;
  const title = (e: TimelineEngagement): string =>
    `E${e.engagementId} · track ${e.trackId}${e.fireCommandId !== null ? ` · cmd ${e.fireCommandId}` : ''} · ${e.result}` +
    (e.reason !== null && e.result !== 'kill' && e.result !== 'miss' ? ` (${e.reason})` : '');
  const bar = (e: TimelineEngagement, fromUs: number | null, toUs: number | null, what: string): FloatingBar[] =>
    fromUs === null || toUs === null || toUs < fromUs
      ? []
      : [
          {
            x: [fromUs * S, Math.max(toUs, fromUs + 1) * S],
            y: label(e),
            n: `${title(e)} — ${what} ${formatNumber((toUs - fromUs) * S, 3)} s`,
          },
        ];
  const phase = (
    name: string,
    colour: string,
    pick: (e: TimelineEngagement) => FloatingBar[],
  ): ChartDataset<'bar', FloatingBar[]> => ({
    type: 'bar',
    label: name,
    data: timeline.engagements.flatMap(pick),
    backgroundColor: colour,
    borderColor: colour,
    borderWidth: 0,
    borderSkipped: false,
    grouped: false,
    barPercentage: 0.9,
    categoryPercentage: 0.85,
  });
  const endOfPlan = (e: TimelineEngagement): number | null => e.fireSentUs ?? (e.result === 'open' ? lastUs : e.endUs);
  const flight = (result: TimelineResult) => (e: TimelineEngagement) =>
    e.result === result ? bar(e, e.launchUs, e.interceptUs, 'flight') : [];
  const bars: ChartDataset<'bar', FloatingBar[]>[] = [
    phase('Detection → plan', REPORT_PALETTE.phase.detect, (e) => bar(e, e.detectUs, e.plannedUs, 'detection to plan')),
    phase('Plan → FIRE', REPORT_PALETTE.phase.planned, (e) =>
      e.result === 'aborted' || e.result === 'failed'
        ? e.fireSentUs !== null
          ? bar(e, e.plannedUs, e.fireSentUs, 'planned')
          : []
        : bar(e, e.plannedUs, endOfPlan(e), 'planned'),
    ),
    phase('FIRE → launch', REPORT_PALETTE.phase.fireSent, (e) =>
      bar(e, e.fireSentUs, e.launchUs, 'FIRE sent to launch'),
    ),
    phase('Flight → kill', REPORT_PALETTE.result.kill, flight('kill')),
    phase('Flight → miss', REPORT_PALETTE.result.miss, flight('miss')),
    phase('Flight → lost', REPORT_PALETTE.result.lost, flight('lost')),
    phase('Aborted', REPORT_PALETTE.result.aborted, (e) =>
      e.result === 'aborted' ? bar(e, e.fireSentUs ?? e.plannedUs, e.launchUs ?? e.endUs, 'until abort') : [],
    ),
    phase('Failed', REPORT_PALETTE.result.failed, (e) =>
      e.result === 'failed' ? bar(e, e.fireSentUs ?? e.plannedUs, e.launchUs ?? e.endUs, 'until failure') : [],
    ),
    phase('Open at end', REPORT_PALETTE.result.open, (e) =>
      e.result === 'open' && e.launchUs !== null ? bar(e, e.launchUs, e.interceptUs ?? lastUs, 'in flight') : [],
    ),
    phase('Launcher not armed', 'rgba(90, 98, 110, 0.45)', () => []),
    phase('Device fault', 'rgba(214, 39, 40, 0.35)', () => []),
  ].filter((d) => d.data.length > 0 || d.label === 'Launcher not armed' || d.label === 'Device fault');
  const notArmed = bars.find((d) => d.label === 'Launcher not armed')!;
  const faults = bars.find((d) => d.label === 'Device fault')!;
  for (const d of devices) {
    const target = d.kind === 'fault' ? faults : notArmed;
    target.data.push({
      x: [d.fromUs * S, Math.max(d.toUs, d.fromUs + 1) * S],
      y: d.row,
      n: `${d.note}: ${formatNumber(d.fromUs * S, 5)} – ${formatNumber(d.toUs * S, 5)} s`,
    });
  }
  const shownBars = bars.filter((d) => d.data.length > 0);

  const point = (e: TimelineEngagement, atUs: number | null, what: string): RowPoint[] =>
    atUs === null ? [] : [{ x: atUs * S, y: label(e), n: `${title(e)} — ${what} at t=${formatNumber(atUs * S, 5)} s` }];
  const markers: ChartDataset<'scatter', RowPoint[]>[] = [
    {
      type: 'scatter',
      label: 'Kill ✕',
      data: timeline.engagements.flatMap((e) => (e.result === 'kill' ? point(e, e.interceptUs, 'kill') : [])),
      pointStyle: 'crossRot',
      pointRadius: 6,
      borderWidth: 2.5,
      borderColor: REPORT_PALETTE.killMarker,
    },
    {
      type: 'scatter',
      label: 'Miss ○',
      data: timeline.engagements.flatMap((e) =>
        e.result === 'miss' ? point(e, e.interceptUs, 'closest approach') : [],
      ),
      pointStyle: 'circle',
      pointRadius: 5,
      borderWidth: 2,
      borderColor: REPORT_PALETTE.killMarker,
      backgroundColor: '#ffffff',
    },
    {
      type: 'scatter',
      label: 'Launch ●',
      data: timeline.engagements.flatMap((e) => point(e, e.launchUs, 'launch')),
      pointStyle: 'circle',
      pointRadius: 3,
      borderWidth: 1,
      borderColor: '#ffffff',
      backgroundColor: REPORT_PALETTE.launcher,
    },
  ].filter((d) => d.data.length > 0) as ChartDataset<'scatter', RowPoint[]>[];

  return {
    id: 'timeline',
    title: 'Engagement timeline per launcher',
    caption:
      'One bar per engagement on its launcher (a launcher gets more lanes when its engagements overlap): ' +
      'detection → plan → FIRE → launch → intercept. Hover a bar for the engagement, track and command ids.' +
      (deviceRows.length > 0 ? ' Rows below the launchers: device fault windows and launchers not armed (truth).' : ''),
    heightPx: Math.max(160, labels.length * ROW_PX + 110),
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [...markers, ...shownBars] as unknown as ChartDataset<'bar', unknown[]>[],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: 'y',
        scales: {
          x: { type: 'linear', title: { display: true, text: 'host time (s)' } },
          y: { type: 'category', offset: true, grid: { display: false } },
        },
        plugins: {
          legend: { position: 'top', labels: { usePointStyle: true, boxWidth: 10 } },
          tooltip: { mode: 'nearest', intersect: true },
        },
      },
    },
  };
}
