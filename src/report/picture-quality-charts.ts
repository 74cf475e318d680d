import type { ChartDataset } from 'chart.js';
import type { PictureQualityPoint } from '../metrics/index.js';
import { hostTimeAxis, linearAxis, rightAxis, scatterOptions } from './chart-axes.js';
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

/** One line of a picture-quality chart: a field of the series, on the left axis or dashed on the right. */
interface SeriesLine {
  readonly label: string;
  readonly colour: string;
  readonly pick: (p: PictureQualityPoint) => number | null;
  readonly right?: boolean;
}

/** What tells the two picture-quality charts apart. */
interface PictureChartShape {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly lines: readonly SeriesLine[];
  readonly leftTitle: string;
  /** The right axis: its id (the datasets' yAxisID) and title. */
  readonly rightId: string;
  readonly rightTitle: string;
}

/** A picture-quality chart: the series' lines against host time, on a left and a right axis. */
function pictureChart(series: readonly PictureQualityPoint[], shape: PictureChartShape): ChartSpec {
  return {
    id: shape.id,
    title: shape.title,
    caption: shape.caption,
    heightPx: 300,
    config: {
      type: 'scatter',
      data: {
        datasets: shape.lines.map((l) =>
          line(l.label, l.colour, at(series, l.pick), l.right === true ? shape.rightId : 'y', l.right === true),
        ) as ChartDataset<'scatter', unknown[]>[],
      },
      options: scatterOptions(
        {
          x: hostTimeAxis(),
          y: linearAxis(shape.leftTitle, { beginAtZero: true, position: 'left' }),
          [shape.rightId]: rightAxis(shape.rightTitle),
        },
        { legend: { position: 'top' } },
      ),
    },
  };
}

/**
 * GOSPA over the run: the distance (metres, left axis) and its localisation, missed, false and
 * switching parts (metres^p, right axis; at each instant they sum to GOSPA^p). Null without a
 * series (no truth, or nothing sampled).
 */
export function gospaChart(input: PictureQualityChartInput): ChartSpec | null {
  if (input.series.length === 0) return null;
  const pText = input.p === null ? 'p' : String(input.p);
  const unitP = input.p === 2 ? 'm²' : `m^${pText}`;
  return pictureChart(input.series, {
    id: 'picture-gospa',
    title: 'Picture quality: GOSPA over time',
    caption: `The host picture at each sampled instant against the truth at that instant: GOSPA (α = 2${input.cutoffM === null ? '' : `, c = ${input.cutoffM} m`}, p = ${pText}) and its parts. Lower is better; missed and false are c^p/2 per missed target or false track.`,
    lines: [
      { label: 'GOSPA (m)', colour: COLOURS.total, pick: (p) => p.gospa },
      { label: `localisation (${unitP})`, colour: COLOURS.localisation, pick: (p) => p.localisation, right: true },
      { label: `missed (${unitP})`, colour: COLOURS.missed, pick: (p) => p.missed, right: true },
      { label: `false (${unitP})`, colour: COLOURS.false, pick: (p) => p.false, right: true },
      { label: `switching (${unitP})`, colour: COLOURS.switching, pick: (p) => p.switching, right: true },
    ],
    leftTitle: 'GOSPA (m)',
    rightId: 'parts',
    rightTitle: `parts (${unitP})`,
  });
}

/**
 * SIAP over the run: completeness, ambiguity and spuriousness (left axis) and positional
 * accuracy (metres, right axis) at each sampled instant. Null without a series.
 */
export function siapChart(input: PictureQualityChartInput): ChartSpec | null {
  if (input.series.length === 0) return null;
  return pictureChart(input.series, {
    id: 'picture-siap',
    title: 'Picture quality: SIAP over time',
    caption: `Completeness (tracked share of the targets present; 1 is ideal), ambiguity (tracks per tracked target; 1 is ideal), spuriousness (share of tracks on no target; 0 is ideal) and positional accuracy (mean position error of tracks on a target) — a track is on the nearest target within ${input.associationRadiusM ?? '?'} m.`,
    lines: [
      { label: 'completeness', colour: COLOURS.completeness, pick: (p) => p.completeness },
      { label: 'ambiguity', colour: COLOURS.ambiguity, pick: (p) => p.ambiguity },
      { label: 'spuriousness', colour: COLOURS.spuriousness, pick: (p) => p.spuriousness },
      { label: 'positional accuracy (m)', colour: COLOURS.position, pick: (p) => p.positionalAccuracyM, right: true },
    ],
    leftTitle: 'ratio',
    rightId: 'metres',
    rightTitle: 'positional accuracy (m)',
  });
}
