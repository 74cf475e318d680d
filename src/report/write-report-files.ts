import { readReportLedger } from './ledger-section.js';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TruthRecord } from '../truth/truth-record.js';
import { readRunFile } from '../record/run-reader.js';
import { readSummaryFile } from './read-summary-file.js';
import { readTruthLog } from './read-truth-log.js';
import { renderReport } from './render-report.js';
import { reportFilePaths } from './report-file-paths.js';
import type { ReportSummaryFile } from './report-input.js';
import { ReportInputError } from './report-input-error.js';
import { scenarioRadarSites } from './scenario-radar-sites.js';

/** Options of {@link writeReportFiles}. */
export interface WriteReportFilesOptions {
  /** The recording (`X.run`). */
  readonly runFile: string;
  /**
   * Truth log. Given: must be readable. Omitted: `X.truth.jsonl` next to the run file when it
   * exists, else the report shows the host's view only.
   */
  readonly truthFile?: string;
  /** Summary file; same rule, default `X.summary.json`. */
  readonly summaryFile?: string;
  /** Scenario file for radar positions; default: found by the manifest's name and hash. */
  readonly scenarioFile?: string;
  /** The HTML to write (its directory is created). */
  readonly outFile: string;
  readonly title?: string;
}

/**
 * Read a run's files, render the report and write it. Resolves to `outFile`.
 * @throws RunFileError (unreadable run file), ReportInputError (unreadable truth, summary or scenario).
 */
export async function writeReportFiles(options: WriteReportFilesOptions): Promise<string> {
  const defaults = reportFilePaths(options.runFile);
  const run = await readRunFile(options.runFile);
  const truth = await optional<TruthRecord[]>(options.truthFile, defaults.truthFile, readTruthLog);
  const summary = await optional<ReportSummaryFile>(options.summaryFile, defaults.summaryFile, readSummaryFile);
  const radars = await scenarioRadarSites(run.manifest, options.runFile, options.scenarioFile);
  const ledger = await readReportLedger(options.runFile);
  const html = renderReport({
    run,
    ...(truth === undefined ? {} : { truth }),
    ...(summary === undefined ? {} : { summary }),
    radars,
    ...(ledger === undefined ? {} : { ledger }),
    ...(options.title === undefined ? {} : { title: options.title }),
  });
  try {
    await mkdir(dirname(options.outFile), { recursive: true });
    await writeFile(options.outFile, html);
  } catch (error) {
    throw new ReportInputError(
      `cannot write ${options.outFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return options.outFile;
}

/** Read `given` (must work) or, when not given, `fallback` if it exists. */
async function optional<T>(
  given: string | undefined,
  fallback: string,
  read: (file: string) => Promise<T>,
): Promise<T | undefined> {
  if (given !== undefined) return read(given);
  try {
    await access(fallback);
  } catch {
    return undefined;
  }
  return read(fallback);
}
