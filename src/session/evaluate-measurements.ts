import type { Measurement } from '../config/scenario-measurement-schema.js';
import type { RunSummary } from './run-summary.js';

/** One measurement's verdict. */
export interface MeasurementResult {
  readonly name: string;
  readonly metric: string;
  /** The measured value (null when the run produced none, e.g. no launch for launch error). */
  readonly value: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly pass: boolean;
  /** Why it failed, for a person. */
  readonly message: string;
}

/** Check every measurement against the summary. A missing value fails (nothing measured is not a pass). */
export function evaluateMeasurements(summary: RunSummary, measurements: readonly Measurement[]): MeasurementResult[] {
  return measurements.map((m) => {
    const raw = readPath(summary, m.metric);
    const value = raw === null ? null : m.abs ? Math.abs(raw) : raw;
    const name = m.name ?? m.metric;
    const limits = `${m.min !== undefined ? `>= ${m.min}` : ''}${m.min !== undefined && m.max !== undefined ? ' and ' : ''}${m.max !== undefined ? `<= ${m.max}` : ''}`;
    if (value === null) {
      return {
        name,
        metric: m.metric,
        value,
        min: m.min ?? null,
        max: m.max ?? null,
        pass: false,
        message: `${name}: no value measured (limit ${limits})`,
      };
    }
    const pass = (m.min === undefined || value >= m.min) && (m.max === undefined || value <= m.max);
    return {
      name,
      metric: m.metric,
      value,
      min: m.min ?? null,
      max: m.max ?? null,
      pass,
      message: `${name} = ${round(value)}${m.abs ? ' (abs)' : ''}, limit ${limits}: ${pass ? 'pass' : 'FAIL'}`,
    };
  });
}

function readPath(summary: RunSummary, path: string): number | null {
  let value: unknown = summary;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | null)?.[part];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(4);
}
