import { readFile } from 'node:fs/promises';
import type { ReportSummaryFile } from './report-input.js';
import { ReportInputError } from './report-input-error.js';

/**
 * Read a run's summary file (`X.summary.json`). It must be a JSON object; its fields are
 * optional and checked where used. Fields of the wrong shape are dropped, not fatal: a report of
 * an odd summary is still worth more than none.
 */
export async function readSummaryFile(file: string): Promise<ReportSummaryFile> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReportInputError(
      code !== undefined ? `cannot read summary ${file}: ${code}` : `${file}: not JSON (${String(error)})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReportInputError(`${file}: expected a JSON object with summary, loopMetrics, measurements, linkCounters`);
  }
  const raw = parsed as Record<string, unknown>;
  const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
  const out: Record<string, unknown> = {};
  if (isObject(raw.summary)) out.summary = raw.summary;
  if (isObject(raw.loopMetrics)) out.loopMetrics = raw.loopMetrics;
  if (Array.isArray(raw.measurements))
    out.measurements = raw.measurements.filter(
      (m: unknown) => isObject(m) && typeof (m as { pass?: unknown }).pass === 'boolean',
    );
  if (isObject(raw.linkCounters)) out.linkCounters = raw.linkCounters;
  if (typeof raw.truthEpochHostUs === 'number' && Number.isFinite(raw.truthEpochHostUs))
    out.truthEpochHostUs = raw.truthEpochHostUs;
  if (Array.isArray(raw.pictureQualitySeries))
    out.pictureQualitySeries = raw.pictureQualitySeries.filter(
      (p: unknown) =>
        isObject(p) &&
        typeof (p as { tS?: unknown }).tS === 'number' &&
        typeof (p as { gospa?: unknown }).gospa === 'number',
    );
  return out as ReportSummaryFile;
}
