import type { ReportLedger } from './ledger-section.js';
import type { TruthRecord } from '../truth/truth-record.js';
import type { TickLoopMetrics } from '../control/realtime/tick-loop.js';
import type { RunSummary } from '../session/run-summary.js';
import type { RunFileContents } from '../record/run-reader.js';
import type { PictureQualityPoint } from '../metrics/index.js';

/**
 * One scenario measurement as `shieldlink run` judged it (src/session/evaluate-measurements.ts
 * writes `metric`, `min`, `max`, `message`; other producers may give `unit` and a `limit`).
 */
export interface ReportMeasurement {
  readonly name: string;
  /** Dotted path into the run summary, e.g. `launchErrorUs.p99` (gives the unit when `unit` is absent). */
  readonly metric?: string;
  /** The measured figure; null when the run produced no sample (e.g. no launch). */
  readonly value: number | null;
  readonly unit?: string;
  readonly min?: number | null;
  readonly max?: number | null;
  /** The limit as the producer stated it: text (`<= 2000`), a number, or `{ min?, max?, abs? }`. */
  readonly limit?: unknown;
  readonly pass: boolean;
  /** The run's own one-line verdict. */
  readonly message?: string;
}

/**
 * The `X.summary.json` file `shieldlink run` writes next to its recording. Every field may be
 * missing (older runs, interrupted runs): the report shows what there is.
 */
export interface ReportSummaryFile {
  readonly summary?: RunSummary;
  /** Null when the loop reported none (an interrupted start). */
  readonly loopMetrics?: TickLoopMetrics | null;
  readonly measurements?: readonly ReportMeasurement[];
  /**
   * Link and framing counters per device id: numbers, possibly nested by reason
   * (`{ framesIn: 10, naks: { busy: 0 } }`, src/devices/link/link-counters.ts).
   */
  readonly linkCounters?: Readonly<Record<string, unknown>>;
  /** Host time of the simulator's power-on (truth `tUs` 0); absent or 0 in lockstep runs. */
  readonly truthEpochHostUs?: number;
  /** GOSPA and SIAP of the host picture per sampled instant (runs with truth). */
  readonly pictureQualitySeries?: readonly PictureQualityPoint[];
}

/** A radar site for the plan view (the run file's core config does not carry radar positions). */
export interface RadarSite {
  readonly id: string;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  /** Instrumented range, when known (not drawn: usually far larger than the battle space). */
  readonly maxRangeM?: number;
}

/** Everything {@link renderReport} draws from. Only `run` is required. */
export interface ReportInput {
  /** The recording (`readRunFile`). */
  readonly run: RunFileContents;
  /** The simulator's truth log, when the run had one. Without it, plots use the host's view only. */
  readonly truth?: readonly TruthRecord[];
  /** The run's summary file. */
  readonly summary?: ReportSummaryFile;
  /** Radar positions (from the scenario), when known. */
  readonly radars?: readonly RadarSite[];
  /** Page title; default `shieldlink — <scenario>`. */
  readonly title?: string;
  /**
   * Host time of truth `tUs` 0. Default: the summary file's `truthEpochHostUs`, else 0 (virtual-time
   * lockstep runs, where truth time is host time).
   */
  readonly truthEpochHostUs?: number;
  /** ISO time shown as "generated"; default the wall clock now. Tests pin it. */
  readonly generatedAt?: string;
  /** The run's decision ledger, verified (`readReportLedger`). */
  readonly ledger?: ReportLedger;
}
