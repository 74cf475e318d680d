import type { ChartDataset } from 'chart.js';
import type { TruthIff, TruthRecord } from '../truth/truth-record.js';
import { linearAxis, scatterOptions } from './chart-axes.js';
import type { ChartPoint, ChartSpec, ChartView } from './chart-spec.js';
import type { RadarPlot } from './digest-run.js';
import { allocatePointBudget, downsampleSeries } from './downsample-series.js';
import { formatNumber } from './format-number.js';
import type { InterceptorPath } from './interceptor-paths.js';
import { REPORT_PALETTE } from './report-palette.js';
import type { SiteLayout } from './site-layout.js';
import type { TargetTrack } from './target-tracks.js';
import type { ThreatOverlay } from './threat-overlay.js';

/** What the plan view draws. */
export interface PlanViewInput {
  readonly layout: SiteLayout;
  /** Truth trajectories (empty without a truth log). */
  readonly tracks: readonly TargetTrack[];
  /** The host's radar plots, drawn instead of trajectories when there is no truth. */
  readonly radarPlots: readonly RadarPlot[];
  readonly paths: readonly InterceptorPath[];
  readonly truth: readonly TruthRecord[] | undefined;
  /** Defended assets, keep-out zones and IPP ellipses (threat-overlay.ts). */
  readonly threats?: ThreatOverlay;
  /** Most trajectory points drawn in all (default 2000). */
  readonly maxPoints?: number;
}

const IFF_ORDER: readonly TruthIff[] = ['hostile', 'friendly', 'unknown'];
const CIRCLE_SEGMENTS = 96;
const KM = 1 / 1000;
const GAP: ChartPoint = { x: null, y: null };

/**
 * Plan view (local ENU, km, one metre per pixel on both axes): radars, launchers with their
 * envelope circles (max and min range), truth trajectories coloured by IFF, interceptor paths
 * coloured by outcome, kills (✕), closest approaches of misses, and leakers' impact points.
 * Many tracks share one dataset per class, separated by gaps, so the legend stays short.
 */
export function planViewChart(input: PlanViewInput): ChartSpec {
  const { layout, paths } = input;
  const maxPoints = input.maxPoints ?? 2000;
  const datasets: ChartDataset<'scatter', ChartPoint[]>[] = [];
  const marker = (label: string, data: ChartPoint[], style: Partial<ChartDataset<'scatter', ChartPoint[]>>): void => {
    if (data.length > 0) datasets.push({ label, data, showLine: false, ...style });
  };
  const line = (label: string, data: ChartPoint[], style: Partial<ChartDataset<'scatter', ChartPoint[]>>): void => {
    if (data.length > 0)
      datasets.push({
        label,
        data,
        showLine: true,
        pointStyle: 'line',
        pointRadius: 0,
        pointHitRadius: 4,
        borderWidth: 1.5,
        ...style,
      });
  };

  // Markers first: Chart.js draws the first dataset on top.
  marker(
    'Launcher',
    layout.launchers.map((l) => ({
      x: l.eastM * KM,
      y: l.northM * KM,
      n:
        `${l.id}${l.rounds !== null ? ` · ${l.rounds} rounds` : ''}` +
        (l.maxRangeM !== null ? ` · range ${formatNumber(l.minRangeM ?? 0)}–${formatNumber(l.maxRangeM)} m` : ''),
    })),
    {
      pointStyle: 'rect',
      pointRadius: 7,
      backgroundColor: REPORT_PALETTE.launcher,
      borderColor: '#ffffff',
      borderWidth: 1.5,
    },
  );
  marker(
    'Radar',
    layout.radars.map((r) => ({ x: r.eastM * KM, y: r.northM * KM, n: r.id })),
    {
      pointStyle: 'rectRot',
      pointRadius: 8,
      backgroundColor: REPORT_PALETTE.radar,
      borderColor: '#ffffff',
      borderWidth: 1.5,
    },
  );
  const kills: ChartPoint[] = [];
  const leakers: ChartPoint[] = [];
  for (const r of input.truth ?? []) {
    if (r.kind === 'kill') {
      kills.push({
        x: r.position.eastM * KM,
        y: r.position.northM * KM,
        n: `kill ${r.targetId} by ${r.launcherId} (cmd ${r.commandId}) · miss ${formatNumber(r.missM)} m · alt ${formatNumber(r.position.upM * KM)} km`,
      });
    } else if (r.kind === 'impact' && r.leaker) {
      leakers.push({
        x: r.position.eastM * KM,
        y: r.position.northM * KM,
        n: `LEAKER ${r.targetId} impact at t=${formatNumber(r.tUs / 1e6, 4)} s`,
      });
    }
  }
  if (input.truth === undefined) {
    for (const p of paths)
      kills.push({ x: p.toEastM * KM, y: p.toNorthM * KM, n: `aim point of cmd ${p.commandId} (${p.launcherId})` });
  }
  marker('Leaker impact', leakers, {
    pointStyle: 'triangle',
    pointRadius: 10,
    backgroundColor: REPORT_PALETTE.leaker,
    borderColor: '#000000',
    borderWidth: 1.5,
  });
  marker(input.truth === undefined ? 'Aim point' : 'Kill ✕', kills, {
    pointStyle: 'crossRot',
    pointRadius: 6,
    borderColor: REPORT_PALETTE.killMarker,
    borderWidth: 2.5,
  });
  const missPoints = paths
    .filter((p) => p.end === 'miss')
    .map((p) => ({
      x: p.toEastM * KM,
      y: p.toNorthM * KM,
      n: `miss: cmd ${p.commandId} (${p.launcherId}) passed ${formatNumber(p.missM)} m from ${p.targetId ?? '—'}`,
    }));
  marker('Closest approach (miss)', missPoints, {
    pointStyle: 'circle',
    pointRadius: 4,
    backgroundColor: 'rgba(255,255,255,0.9)',
    borderColor: REPORT_PALETTE.result.miss,
    borderWidth: 2,
  });

  const pathLine = (end: InterceptorPath['end']): ChartPoint[] =>
    paths
      .filter((p) => p.end === end)
      .flatMap((p) => {
        const n = `interceptor cmd ${p.commandId} from ${p.launcherId}${p.targetId !== null ? ` → ${p.targetId}` : ''}`;
        return [{ x: p.fromEastM * KM, y: p.fromNorthM * KM, n }, { x: p.toEastM * KM, y: p.toNorthM * KM, n }, GAP];
      });
  line('Interceptor → kill', pathLine('kill'), { borderColor: REPORT_PALETTE.result.kill, borderWidth: 1.2 });
  line('Interceptor → miss', pathLine('miss'), { borderColor: REPORT_PALETTE.result.miss, borderWidth: 1.2 });
  line('Interceptor → aim point', pathLine('aim'), {
    borderColor: REPORT_PALETTE.result.lost,
    borderWidth: 1.2,
    borderDash: [4, 3],
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
        const xy = track.samples.map((s) => ({ x: s.eastM, y: s.northM, s }));
        for (const p of downsampleSeries(xy, budgets[i]!)) {
          data.push({
            x: p.x * KM,
            y: p.y * KM,
            n: `${track.targetId} (${iff}) t=${formatNumber(p.s.tUs / 1e6, 4)} s · alt ${formatNumber(p.s.upM * KM)} km`,
          });
        }
        data.push(GAP);
      });
      line(`${capitalise(iff)} track`, data, { borderColor: REPORT_PALETTE.iff[iff], borderWidth: 1.6 });
    }
    const starts: ChartPoint[] = input.tracks
      .filter((t) => t.samples.length > 0)
      .map((t) => ({ x: t.samples[0]!.eastM * KM, y: t.samples[0]!.northM * KM, n: `${t.targetId} appears` }));
    marker('Track start', starts, {
      pointStyle: 'circle',
      pointRadius: 2.5,
      backgroundColor: '#ffffff',
      borderColor: '#555555',
      borderWidth: 1,
    });
  } else if (input.radarPlots.length > 0) {
    for (const iff of IFF_ORDER) {
      const plots = input.radarPlots.filter((p) => p.iff === iff);
      const step = Math.max(1, Math.ceil(input.radarPlots.length / maxPoints));
      const data = plots
        .filter((_, i) => i % step === 0)
        .map((p) => ({
          x: p.eastM * KM,
          y: p.northM * KM,
          n: `${p.radarId} track ${p.radarTrackId} t=${formatNumber(p.tUs / 1e6, 4)} s`,
        }));
      marker(`${capitalise(iff)} radar plot`, data, {
        pointRadius: 1.5,
        backgroundColor: REPORT_PALETTE.iff[iff],
        borderColor: REPORT_PALETTE.iff[iff],
      });
    }
  }

  const circles = (radius: (l: SiteLayout['launchers'][number]) => number | null): ChartPoint[] =>
    layout.launchers.flatMap((l) => {
      const r = radius(l);
      if (r === null || r <= 0) return [];
      return [...circle(l.eastM, l.northM, r, `${l.id}`), GAP];
    });
  line(
    'Envelope max range',
    circles((l) => l.maxRangeM),
    {
      borderColor: REPORT_PALETTE.envelopeMax,
      borderDash: [6, 4],
      borderWidth: 1.2,
    },
  );
  line(
    'Envelope min range',
    circles((l) => l.minRangeM),
    {
      borderColor: REPORT_PALETTE.envelopeMin,
      borderDash: [2, 3],
      borderWidth: 1,
    },
  );
  line(
    'Defended point',
    layout.defendedPoints.flatMap((d) => [...circle(d.eastM, d.northM, Math.max(d.radiusM, 100), d.id), GAP]),
    { borderColor: REPORT_PALETTE.defended, borderWidth: 1.5 },
  );
  if (input.threats !== undefined) {
    marker('Predicted impact (last)', [...input.threats.impactPoints], {
      pointStyle: 'star',
      pointRadius: 5,
      borderColor: REPORT_PALETTE.leaker,
      borderWidth: 1.2,
    });
    line('IPP 95 % ellipse', [...input.threats.ellipses], {
      borderColor: REPORT_PALETTE.leaker,
      borderWidth: 1,
      borderDash: [3, 2],
    });
    line('Defended asset', [...input.threats.assets], {
      borderColor: '#2ca02c',
      borderWidth: 2,
      backgroundColor: 'rgba(44,160,44,0.12)',
      fill: true,
    });
    line('Keep-out zone', [...input.threats.keepOut], { borderColor: '#9467bd', borderWidth: 1.2, borderDash: [5, 3] });
  }

  const all = datasets.flatMap((d) => d.data);
  const whole = bounds(all, 0.04);
  const defended = bounds(
    [
      ...layout.launchers.flatMap((l) => circle(l.eastM, l.northM, l.maxRangeM ?? 0, '')),
      ...layout.radars.map((r) => ({ x: r.eastM * KM, y: r.northM * KM })),
    ],
    0.04,
  );
  const views: ChartView[] = [{ label: 'Whole run', ...whole }];
  if (layout.launchers.length > 0) views.push({ label: 'Engagement envelopes', ...defended });

  return {
    id: 'plan-view',
    title: 'Plan view',
    caption:
      'Local ENU frame (km), north up, same scale on both axes. Dashed circles: launcher envelopes ' +
      '(max range); dotted: min range. Tracks are truth, coloured by IFF; small open circles mark where ' +
      'each target appears. Interceptor paths are drawn straight from launcher to the kill or closest approach. ' +
      'Green areas: defended assets (purple dashed: keep-out zones); red dashed ellipses: the 95 % ellipse of each ' +
      "threat's last recorded predicted impact point (star).",
    heightPx: 680,
    views,
    config: {
      type: 'scatter',
      data: { datasets: datasets as ChartDataset<'scatter', unknown[]>[] },
      options: scatterOptions(
        {
          x: {
            ...linearAxis('east (km)', { min: whole.xMin ?? undefined, max: whole.xMax ?? undefined }),
            ticks: { includeBounds: false },
          },
          y: {
            ...linearAxis('north (km)', { min: whole.yMin ?? undefined, max: whole.yMax ?? undefined }),
            ticks: { includeBounds: false },
          },
        },
        {
          equalAspect: { enabled: true },
          legend: { position: 'right', labels: { usePointStyle: true, boxWidth: 10 } },
        },
      ),
    },
  };
}

/** A circle of `radiusM` around (east, north), as `segments` + 1 chart points in km, each labelled. */
export function circle(
  eastM: number,
  northM: number,
  radiusM: number,
  label: string,
  segments: number = CIRCLE_SEGMENTS,
): ChartPoint[] {
  const points: ChartPoint[] = [];
  for (let i = 0; i <= segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    points.push({
      x: (eastM + radiusM * Math.sin(a)) * KM,
      y: (northM + radiusM * Math.cos(a)) * KM,
      n: `${label} ${formatNumber(radiusM * KM)} km`,
    });
  }
  return points;
}

function bounds(
  points: readonly ChartPoint[],
  margin: number,
): { xMin: number | null; xMax: number | null; yMin: number | null; yMax: number | null } {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    if (p.x === null || p.y === null) continue;
    if (p.x < xMin) xMin = p.x;
    if (p.x > xMax) xMax = p.x;
    if (p.y < yMin) yMin = p.y;
    if (p.y > yMax) yMax = p.y;
  }
  if (!Number.isFinite(xMin)) return { xMin: null, xMax: null, yMin: null, yMax: null };
  const dx = Math.max(xMax - xMin, 1) * margin;
  const dy = Math.max(yMax - yMin, 1) * margin;
  return { xMin: xMin - dx, xMax: xMax + dx, yMin: yMin - dy, yMax: yMax + dy };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
