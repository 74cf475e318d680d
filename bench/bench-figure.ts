/**
 * One figure a benchmark reports. Benchmarks return arrays of these; the benchmark runner
 * prints them and stores them under bench/results/. Figures are measurements, never test
 * assertions (machines are noisy).
 */
export interface BenchFigure {
  /** Stable dotted id, e.g. `codec.decode.TRACK_REPORT`. */
  name: string;
  /** The measured value, in `unit`. */
  value: number;
  /** Unit of `value`, e.g. `frames/s`. */
  unit: string;
  /** The goal it is measured against, in words, e.g. `>= 2000000 frames/s`. */
  goal?: string;
  /** What `baselineValue` is, e.g. `921600-baud 8N1 line, 55-byte frames`. */
  baseline?: string;
  /** A reference figure in the same unit, to read `value` against. */
  baselineValue?: number;
  /**
   * Whether the goal is met, when the benchmark judges it itself (a goal relative to the
   * baseline, say). Otherwise the runner judges simple goals (`<= N`, `>= N`, `N`) from `goal`.
   */
  met?: boolean;
}
