import type { ChartConfiguration, ChartType } from 'chart.js';

declare module 'chart.js' {
  // Options of the page's own Chart.js plugins (report-browser-script.ts).
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    /** Keep one metre per pixel on both axes (plan view): the browser plugin widens one range. */
    equalAspect?: { readonly enabled: boolean };
  }
}

/**
 * A data point. `null` coordinates break a line (one dataset draws many tracks); `n` is the
 * tooltip text the page shows for the point instead of Chart.js's default `(x, y)`.
 */
export interface ChartPoint {
  readonly x: number | null;
  readonly y: number | null;
  readonly n?: string;
}

/** A floating bar of a horizontal bar chart: `x` = [start, end], `y` = row label. */
export interface FloatingBar {
  readonly x: readonly [number, number];
  readonly y: string;
  readonly n?: string;
}

/** A point on a category row (timeline markers): `y` = row label. */
export interface RowPoint {
  readonly x: number;
  readonly y: string;
  readonly n?: string;
}

/**
 * One chart of the page: its canvas id, heading, and a Chart.js configuration that is pure JSON
 * (no functions): the page adds tooltips and plugins (report-browser-script.ts).
 */
export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One or two sentences under the chart: what is drawn and how to read it. */
  readonly caption: string;
  readonly heightPx: number;
  /** Buttons the page shows above the chart: label → the x/y ranges to show (null: fit all). */
  readonly views?: readonly ChartView[];
  readonly config: ChartConfiguration<ChartType, unknown[], unknown>;
}

/** A preset view of a chart (e.g. plan view: whole raid or the defended area). */
export interface ChartView {
  readonly label: string;
  readonly xMin: number | null;
  readonly xMax: number | null;
  readonly yMin: number | null;
  readonly yMax: number | null;
}
