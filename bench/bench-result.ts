import type { BenchFigure } from './bench-figure.js';
import type { MachineDescription } from './machine.js';

/**
 * One record of bench/results/latest.json: a figure as a benchmark reported it, with where and
 * how it was measured. A part that could not run leaves one record with `value: null` and
 * `notRun` saying why.
 */
export interface BenchResult {
  readonly name: string;
  /** null when not run, or when the measurement produced no number (NaN, Infinity). */
  readonly value: number | null;
  readonly unit: string;
  readonly baseline?: string;
  readonly baselineValue?: number | null;
  readonly goal?: string;
  /** Whether the goal is met (absent when there is no goal, or it cannot be judged). */
  readonly met?: boolean;
  readonly machine: MachineDescription;
  /** The issue-7 group (`loop`, `codec`, …) and the part that measured it. */
  readonly group: string;
  readonly part: string;
  readonly mode: 'quick' | 'full' | 'long';
  /** ISO time the part ended. */
  readonly measuredAt: string;
  /** Why the part did not run (module missing, crashed, timed out). */
  readonly notRun?: string;
}

const number = (value: number | undefined): number | null | undefined =>
  value === undefined ? undefined : Number.isFinite(value) ? value : null;

/**
 * Judge a figure against its goal: the benchmark's own verdict (`met`) when it gives one, else
 * a goal that starts with `<= N`, `>= N`, `< N`, `> N` or a bare `N` (must equal). Anything
 * else (a goal in words) is not judged.
 */
export function judge(figure: BenchFigure): boolean | undefined {
  if (figure.met !== undefined) return figure.met;
  if (figure.goal === undefined || !Number.isFinite(figure.value)) return undefined;
  const match = /^\s*(<=|>=|<|>)?\s*(-?[\d][\d,_]*(?:\.\d+)?)(?![\d.])/.exec(figure.goal);
  if (match === null) return undefined;
  const bound = Number(match[2]!.replace(/[,_]/g, ''));
  switch (match[1]) {
    case '<=':
      return figure.value <= bound;
    case '>=':
      return figure.value >= bound;
    case '<':
      return figure.value < bound;
    case '>':
      return figure.value > bound;
    default:
      return figure.value === bound;
  }
}

/** The record of one figure. */
export function toResult(
  figure: BenchFigure,
  context: Pick<BenchResult, 'machine' | 'group' | 'part' | 'mode' | 'measuredAt'>,
): BenchResult {
  const met = judge(figure);
  const baselineValue = number(figure.baselineValue);
  return {
    name: figure.name,
    value: number(figure.value) ?? null,
    unit: figure.unit,
    ...(figure.baseline === undefined ? {} : { baseline: figure.baseline }),
    ...(baselineValue === undefined ? {} : { baselineValue }),
    ...(figure.goal === undefined ? {} : { goal: figure.goal }),
    ...(met === undefined ? {} : { met }),
    ...context,
  };
}

/** The record of a part that did not run. */
export function notRunResult(
  reason: string,
  context: Pick<BenchResult, 'machine' | 'group' | 'part' | 'mode' | 'measuredAt'>,
): BenchResult {
  return { name: context.part, value: null, unit: 'not run', notRun: reason, ...context };
}
