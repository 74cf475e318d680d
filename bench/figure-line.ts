import type { BenchFigure } from './bench-figure.js';

/** How {@link figureLine} lays a figure out. */
export interface FigureLineLayout {
  /** The name is padded with spaces to this width. */
  readonly nameWidth: number;
  /** Decimals of the value (and of the baseline). */
  readonly decimals: number;
  /** Append `   baseline <value>` when the figure has a baseline value. */
  readonly withBaseline?: boolean;
}

/**
 * One figure on one line, for a part run on its own: `<name padded> <value right-aligned in 10>
 * <unit>`, then `   baseline <value>` when asked for and the figure has one. No newline.
 */
export function figureLine(figure: BenchFigure, layout: FigureLineLayout): string {
  const line = `${figure.name.padEnd(layout.nameWidth)} ${figure.value.toFixed(layout.decimals).padStart(10)} ${figure.unit}`;
  return layout.withBaseline === true && figure.baselineValue !== undefined
    ? `${line}   baseline ${figure.baselineValue.toFixed(layout.decimals)}`
    : line;
}
