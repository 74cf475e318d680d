import type { ChartDataset } from 'chart.js';
import type { TruthIff, TruthRecord } from '../truth/truth-record.js';
import { hostTimeAxis, linearAxis, scatterOptions } from './chart-axes.js';
import type { ChartPoint, ChartSpec } from './chart-spec.js';
import type { RadarPlot } from './digest-run.js';
import { allocatePointBudget, downsampleSeries } from './downsample-series.js';
import { formatNumber } from './format-number.js';
import { REPORT_PALETTE } from './report-palette.js';
import type { TargetTrack } from './target-tracks.js';

/** What the altitude chart draws. */
export interface AltitudeChartInput {
  readonly tracks: readonly TargetTrack[];
  /** Drawn instead of trajectories when there is no truth log. */
  readonly radarPlots: readonly RadarPlot[];
  readonly truth: readonly TruthRecord[] | undefined;
  readonly epochHostUs: number;
  /** Most trajectory points drawn in all (default 2000). */
  readonly maxPoints?: number;
}

const IFF_ORDER: readonly TruthIff[] = ['hostile', 'friendly', 'unknown'];
const GAP: ChartPoint = { x: null, y: null };

/** Altitude of every target against host time, coloured by IFF, with kills (✕) and leaker impacts. */
export function altitudeChart(input: AltitudeChartInput): ChartSpec {
  const maxPoints = input.maxPoints ?? 2000;
  const datasets: ChartDataset<'scatter', ChartPoint[]>[] = [];
  const kills: ChartPoint[] = [];
  const impacts: ChartPoint[] = [];
  for (const r of input.truth ?? []) {
    const tS = (r.tUs + input.epochHostUs) / 1e6;
    if (r.kind === 'kill')
      kills.push({
        x: tS,
        y: r.position.upM / 1000,
        n: `kill ${r.targetId} by ${r.launcherId} at t=${formatNumber(tS, 4)} s`,
      });
    else if (r.kind === 'impact' && r.leaker)
      impacts.push({ x: tS, y: 0, n: `LEAKER ${r.targetId} impact at t=${formatNumber(tS, 4)} s` });
  }
  if (impacts.length > 0)
    datasets.push({
      label: 'Leaker impact',
      data: impacts,
      pointStyle: 'triangle',
      pointRadius: 9,
      backgroundColor: REPORT_PALETTE.leaker,
      borderColor: '#000000',
      borderWidth: 1.5,
    });
  if (kills.length > 0)
    datasets.push({
      label: 'Kill ✕',
      data: kills,
      pointStyle: 'crossRot',
      pointRadius: 6,
      borderColor: REPORT_PALETTE.killMarker,
      borderWidth: 2.5,
    });
  if (input.tracks.length > 0) {
    const budgets = allocatePointBudget(
      input.tracks.map((t) => t.samples.length),
      maxPoints,
    );
    for (const iff of IFF_ORDER) {
      const data: ChartPoint[] = [];
      input.tracks.forEach((track, i) => {
        if (track.iff !== iff) return;
        const xy = track.samples.map((s) => ({ x: s.tUs / 1e6, y: s.upM / 1000, id: track.targetId }));
        for (const p of downsampleSeries(xy, budgets[i]!))
          data.push({ x: p.x, y: p.y, n: `${p.id} t=${formatNumber(p.x, 4)} s · alt ${formatNumber(p.y)} km` });
        data.push(GAP);
      });
      if (data.length > 0)
        datasets.push({
          label: `${iff.charAt(0).toUpperCase()}${iff.slice(1)}`,
          data,
          showLine: true,
          pointStyle: 'line',
          pointRadius: 0,
          pointHitRadius: 4,
          borderWidth: 1.5,
          borderColor: REPORT_PALETTE.iff[iff],
          backgroundColor: REPORT_PALETTE.iff[iff],
        });
    }
  } else {
    const step = Math.max(1, Math.ceil(input.radarPlots.length / maxPoints));
    for (const iff of IFF_ORDER) {
      const data = input.radarPlots
        .filter((p, i) => p.iff === iff && i % step === 0)
        .map((p) => ({ x: p.tUs / 1e6, y: p.upM / 1000, n: `${p.radarId} track ${p.radarTrackId}` }));
      if (data.length > 0)
        datasets.push({
          label: `${iff} (radar)`,
          data,
          pointRadius: 1.5,
          borderColor: REPORT_PALETTE.iff[iff],
          backgroundColor: REPORT_PALETTE.iff[iff],
        });
    }
  }
  return {
    id: 'altitude',
    title: 'Altitude vs time',
    caption:
      'Truth altitude of every target against host time; ✕ where an interceptor killed it, ▲ where a hostile hit the ground.',
    heightPx: 360,
    config: {
      type: 'scatter',
      data: { datasets: datasets as ChartDataset<'scatter', unknown[]>[] },
      options: scatterOptions(
        { x: hostTimeAxis(), y: linearAxis('altitude (km)', { min: 0 }) },
        { legend: { position: 'right', labels: { usePointStyle: true, boxWidth: 10 } } },
      ),
    },
  };
}
