/**
 * The run file: JSON Lines, append-only, one record per line (docs/recording.md).
 * - line 1: the manifest;
 * - one `tick` line per control tick that saw inputs or produced outputs, and one compact
 *   `idle` line per run of ticks that did neither (replay must still step them);
 * - `audit` lines for every operator command and its outcome (key material never included);
 * - `threats` lines: the core's threat picture once per second of run time;
 * - `end` line with the summary and the SHA-256 of all outputs.
 * No wall-clock time is written anywhere, so two runs of the same seed, scenario and config
 * are byte-identical. A file cut short (host killed) reads back to its last complete line.
 */

/**
 * The format written. Version 2 added runs of idle ticks (`IdleEntry` with four numbers);
 * version 3 added `threats` lines (the core's threat picture once a second of run time).
 */
export const RUN_FILE_FORMAT = 'shieldlink-run/3';
/** Formats read (a version 1 file is a version 2 file without idle runs, a version 2 one a version 3 without threats). */
export const READABLE_RUN_FILE_FORMATS: readonly string[] = ['shieldlink-run/1', 'shieldlink-run/2', RUN_FILE_FORMAT];

/** First line of a run file. */
export interface RunManifest {
  readonly kind: 'manifest';
  /** `RUN_FILE_FORMAT` when written; any of `READABLE_RUN_FILE_FORMATS` when read. */
  readonly format: string;
  readonly softwareVersion: string;
  readonly configHash: string;
  /** Scenario file name (as given) and SHA-256 of its content. */
  readonly scenario: { readonly name: string; readonly sha256: string } | null;
  readonly seed: number | null;
  readonly clockMode: 'virtual' | 'real';
  readonly tickPeriodUs: number;
  /** Everything replay needs to rebuild the control core (its full config). */
  readonly coreConfig: unknown;
}

/** One control tick with what went in and what came out. */
export interface TickRecord {
  readonly kind: 'tick';
  readonly tick: number;
  readonly nowUs: number;
  readonly inputs: readonly unknown[];
  readonly commands: readonly unknown[];
  readonly events: readonly unknown[];
}

/**
 * Idle ticks: one tick `[tick, nowUs]`, or a run `[tick, nowUs, count, stepUs]` of `count`
 * consecutive ticks, tick + i at `nowUs + i * stepUs` (evaluated in float64 exactly so; the
 * recorder only forms a run when that reproduces every tick's recorded time). Virtual time gives
 * long runs; real time, whose ticks start with jitter, mostly single ticks.
 */
export type IdleEntry = readonly [number, number] | readonly [number, number, number, number];

/** Ticks that saw no input and produced nothing (replay must still step them), in order. */
export interface IdleRecord {
  readonly kind: 'idle';
  readonly ticks: readonly IdleEntry[];
}

/** Number of ticks an idle record stands for. */
export function idleTickCount(record: IdleRecord): number {
  let count = 0;
  for (const entry of record.ticks) count += entry.length === 4 ? entry[2] : 1;
  return count;
}

/**
 * Call `visit(tick, nowUs)` for every tick of an idle record, in order, until it returns false.
 * @returns false when a visit stopped the walk.
 */
export function forEachIdleTick(record: IdleRecord, visit: (tick: number, nowUs: number) => boolean | void): boolean {
  for (const entry of record.ticks) {
    if (entry.length === 4) {
      const [tick, nowUs, count, stepUs] = entry;
      for (let i = 0; i < count; i++) if (visit(tick + i, nowUs + i * stepUs) === false) return false;
    } else if (visit(entry[0], entry[1]) === false) return false;
  }
  return true;
}

/** An operator command and its outcome, as the command path saw it. */
export interface AuditRecord {
  readonly kind: 'audit';
  readonly nowUs: number;
  readonly entry: unknown;
}

/**
 * The core's threat picture after the tick at `nowUs` (written right after that tick's own line),
 * once per second of run time while there are threats: per track the predicted impact point and
 * its covariance, the assets threatened and the assignment (`ThreatRecordEntry` of
 * src/session/threat-record.ts). Replay recomputes it from its own core and compares.
 */
export interface ThreatsRecord {
  readonly kind: 'threats';
  readonly nowUs: number;
  readonly threats: readonly unknown[];
}

/** Last line: the run's summary and the hash of every output. */
export interface EndRecord {
  readonly kind: 'end';
  readonly ticks: number;
  /** SHA-256 (hex) over the canonical JSON of every tick's commands and events, in order. */
  readonly outputsSha256: string;
  readonly summary: unknown;
}

export type RunRecord = RunManifest | TickRecord | IdleRecord | AuditRecord | ThreatsRecord | EndRecord;
