import type { ChartDataset } from 'chart.js';
import type { PictureQualityPoint } from '../metrics/index.js';
import type { ChartPoint, ChartSpec } from './chart-spec.js';

/** What the picture-quality charts are drawn from: the run's series and its parameters. */
export interface PictureQualityChartInput {
  readonly series: readonly PictureQualityPoint[];
  readonly cutoffM: number | null;
  readonly p: number | null;
  readonly associationRadiusM: number | null;
}

const COLOURS = {
  total: '#1b1f24',
  localisation: '#3d6fb6',
  missed: '#d62728',
  false: '#e8a200',
  switching: '#8e5cc4',
  completeness: '#2e9e44',
  ambiguity: '#8e5cc4',
  spuriousness: '#e8a200',
  position: '#3d6fb6',
} as const;

function line(
  label: string,
  colour: string,
  points: ChartPoint[],
  yAxisID: string,
  dashed = false,
): ChartDataset<'scatter', ChartPoint[]> {
  return {
    label,
    data: points,
    showLine: true,
    pointRadius: 0,
    borderWidth: dashed ? 1.5 : 2,
    borderColor: colour,
    backgroundColor: colour,
    yAxisID,
    ...(dashed ? { borderDash: [5, 3] } : {}),
  };
}

const at = (series: readonly PictureQualityPoint[], pick: (p: PictureQualityPoint) => number | null): ChartPoint[] =>
  series.map((p) => ({ x: p.tS, y: pick(p) }));

/**
 * GOSPA over the run: the distance (metres, left axis) and its localisation, missed, false and
 * switching parts (metres^p, right axis; at each instant they sum to GOSPA^p). Null without a
 * series (no truth, or nothing sampled).
 */
export function gospaChart(input: PictureQualityChartInput): ChartSpec | null {
  if (input.series.length === 0) return null;
  const s = input.series;
  const pText = input.p === null ? 'p' : String(input.p);
  const unitP = input.p === 2 ? 'm²' : `m^${pText}`;
  return {
    id: 'picture-gospa',
    title: 'Picture quality: GOSPA over time',
    caption: `The host picture at each sampled instant against the truth at that instant: GOSPA (α = 2${input.cutoffM === null ? '' : `, c = ${input.cutoffM} m`}, p = ${pText}) and its parts. Lower is better; missed and false are c^p/2 per missed target or false track.`,
    heightPx: 300,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          line(
            'GOSPA (m)',
            COLOURS.total,
            at(s, (p) => p.gospa),
            'y',
          ),
          line(
            `localisation (${unitP})`,
            COLOURS.localisation,
            at(s, (p) => p.localisation),
            'parts',
            true,
          ),
          line(
            `missed (${unitP})`,
            COLOURS.missed,
            at(s, (p) => p.missed),
            'parts',
            true,
          ),
          line(
            `false (${unitP})`,
            COLOURS.false,
            at(s, (p) => p.false),
            'parts',
            true,
          ),
          line(
            `switching (${unitP})`,
            COLOURS.switching,
            at(s, (p) => p.switching),
            'parts',
            true,
          ),
        ] as ChartDataset<'scatter', unknown[]>[],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'host time (s)' } },
          y: { type: 'linear', beginAtZero: true, position: 'left', title: { display: true, text: 'GOSPA (m)' } },
          parts: {
            type: 'linear',
            beginAtZero: true,
            position: 'right',
            grid: { drawOnChartArea: false },
            title: { display: true, text: `parts (${unitP})` },
          },
        },
        plugins: { legend: { position: 'top' } },
      },
    },
  };
}

/**
 * SIAP over the run: completeness, ambiguity and spuriousness (left axis) and positional
 * accuracy (metres, right axis) at each sampled instant. Null without a series.
 */
export function siapChart(input: PictureQualityChartInput): ChartSpec | null {
  if (input.series.length === 0) return null;
  const s = input.series;
  return {
    id: 'picture-siap',
    title: 'Picture quality: SIAP over time',
    caption: `Completeness (tracked share of the targets present; 1 is ideal), ambiguity (tracks per tracked target; 1 is ideal), spuriousness (share of tracks on no target; 0 is ideal) and positional accuracy (mean position error of tracks on a target) — a track is on the nearest target within ${input.associationRadiusM ?? '?'} m.`,
    heightPx: 300,
    config: {
      type: 'scatter',
      data: {
        datasets: [
          line(
            'completeness',
            COLOURS.completeness,
            at(s, (p) => p.completeness),
            'y',
          ),
          line(
            'ambiguity',
            COLOURS.ambiguity,
            at(s, (p) => p.ambiguity),
            'y',
          ),
          line(
            'spuriousness',
            COLOURS.spuriousness,
            at(s, (p) => p.spuriousness),
            'y',
          ),
          line(
            'positional accuracy (m)',
            COLOURS.position,
            at(s, (p) => p.positionalAccuracyM),
            'metres',
            true,
          ),
        ] as ChartDataset<'scatter', unknown[]>[],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'host time (s)' } },
          y: { type: 'linear', beginAtZero: true, position: 'left', title: { display: true, text: 'ratio' } },
          metres: {
            type: 'linear',
            beginAtZero: true,
            position: 'right',
            grid: { drawOnChartArea: false },
            title: { display: true, text: 'positional accuracy (m)' },
          },
        },
        plugins: { legend: { position: 'top' } },
      },
    },
  };
}
