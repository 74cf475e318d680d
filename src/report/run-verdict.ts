import type { ReportMeasurement } from './report-input.js';
import type { SafetyCounter } from './safety-counters.js';

/** The header verdict. */
export interface RunVerdict {
  /** `none`: nothing to judge by (no summary, no truth, no measurements). */
  readonly verdict: 'pass' | 'fail' | 'none';
  /** Why it failed (each failing counter or measurement), or what it was judged on. */
  readonly reasons: readonly string[];
  /** Things a reader should know that do not decide the verdict (cut recording, unknown counters). */
  readonly warnings: readonly string[];
}

/**
 * PASS when every known safety counter is zero and every measurement passed; FAIL otherwise.
 * `none` when there is neither a known counter nor a measurement.
 */
export function judgeRun(
  counters: readonly SafetyCounter[],
  measurements: readonly ReportMeasurement[],
  recording: { readonly complete: boolean; readonly truncatedTail: boolean },
): RunVerdict {
  const reasons: string[] = [];
  const warnings: string[] = [];
  for (const c of counters) if (c.value !== null && c.value > 0) reasons.push(`${c.label}: ${c.value}`);
  for (const m of measurements) if (!m.pass) reasons.push(`measurement failed: ${m.name}`);
  const known = counters.filter((c) => c.value !== null).length;
  const unknown = counters.filter((c) => c.value === null);
  if (unknown.length > 0 && known > 0)
    warnings.push(`not known from these inputs: ${unknown.map((c) => c.label).join(', ')}`);
  if (!recording.complete) warnings.push('the recording stops before its end record (run interrupted or host killed)');
  if (recording.truncatedTail) warnings.push('the last line of the recording was cut and ignored');
  if (reasons.length > 0) return { verdict: 'fail', reasons, warnings };
  if (known === 0 && measurements.length === 0) {
    return { verdict: 'none', reasons: ['no summary, truth log or measurements to judge by'], warnings };
  }
  const basis: string[] = [];
  if (known > 0) basis.push(`${known} safety counter${known === 1 ? '' : 's'} at zero`);
  if (measurements.length > 0)
    basis.push(`${measurements.length} measurement${measurements.length === 1 ? '' : 's'} within limits`);
  return { verdict: 'pass', reasons: [basis.join(', ')], warnings };
}
