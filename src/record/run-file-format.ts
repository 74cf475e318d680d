/**
 * The run file: JSON Lines, append-only, one record per line (docs/recording.md).
 * - line 1: the manifest;
 * - one `tick` line per control tick that saw inputs or produced outputs, and one compact
 *   `idle` line per run of ticks that did neither (replay must still step them);
 * - `audit` lines for every operator command and its outcome (key material never included);
 * - `end` line with the summary and the SHA-256 of all outputs.
 * No wall-clock time is written anywhere, so two runs of the same seed, scenario and config
 * are byte-identical. A file cut short (host killed) reads back to its last complete line.
 */

export const RUN_FILE_FORMAT = 'shieldlink-run/1';

/** First line of a run file. */
export interface RunManifest {
  readonly kind: 'manifest';
  readonly format: typeof RUN_FILE_FORMAT;
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

/** Ticks that saw no input and produced nothing: [first tick, last tick], their times derivable. */
export interface IdleRecord {
  readonly kind: 'idle';
  /** Pairs of [tick, nowUs] for every idle tick, in order. */
  readonly ticks: readonly (readonly [number, number])[];
}

/** An operator command and its outcome, as the command path saw it. */
export interface AuditRecord {
  readonly kind: 'audit';
  readonly nowUs: number;
  readonly entry: unknown;
}

/** Last line: the run's summary and the hash of every output. */
export interface EndRecord {
  readonly kind: 'end';
  readonly ticks: number;
  /** SHA-256 (hex) over the canonical JSON of every tick's commands and events, in order. */
  readonly outputsSha256: string;
  readonly summary: unknown;
}

export type RunRecord = RunManifest | TickRecord | IdleRecord | AuditRecord | EndRecord;
