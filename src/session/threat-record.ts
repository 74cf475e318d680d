import type { ThreatSnapshot } from '../control/index.js';
import type { RunRecorder } from '../record/run-recorder.js';

/** Run time between two `threats` lines of the run file, µs (1 s). */
export const THREAT_RECORD_PERIOD_US = 1_000_000;

/**
 * One threat as the run file keeps it (docs/recording.md): rounded so the line stays short and
 * its bytes depend only on the core's state (positions 0.1 m, covariances 0.1 m², probabilities
 * 1e-4, threat value 1e-6, times whole µs).
 */
export interface ThreatRecordEntry {
  readonly trackId: number;
  readonly kind: 'impact' | 'approach';
  readonly impactAtHostUs: number;
  /** IPP east, north (m). */
  readonly ipp: readonly [number, number];
  /** IPP covariance: var east, cov east-north, var north (m²). */
  readonly cov: readonly [number, number, number];
  readonly value: number;
  /** `[assetId, probability]`, largest value × probability first. */
  readonly assets: readonly (readonly [string, number])[];
  /** `[engagementId, launcherId]` of the assignment, or null. */
  readonly assigned: readonly [number, string] | null;
}

const round = (x: number, step: number): number => {
  const r = Math.round(x / step) * step;
  // Fix the binary noise of the multiplication, so the JSON text is the short decimal.
  return Number(r.toFixed(Math.max(0, -Math.floor(Math.log10(step)))));
};

/** The run file's form of a threat picture (replay computes the same from its own core). */
export function threatRecordEntries(threats: readonly ThreatSnapshot[]): ThreatRecordEntry[] {
  return threats.map((t) => ({
    trackId: t.trackId,
    kind: t.kind,
    impactAtHostUs: Number.isFinite(t.impactAtHostUs) ? Math.round(t.impactAtHostUs) : -1,
    ipp: [round(t.ippEastM, 0.1), round(t.ippNorthM, 0.1)],
    cov: [round(t.ippVarEastM2, 0.1), round(t.ippCovM2, 0.1), round(t.ippVarNorthM2, 0.1)],
    value: round(t.threatValue, 1e-6),
    assets: t.assets.map((a) => [a.assetId, round(a.probability, 1e-4)] as const),
    assigned: t.assignment === null ? null : [t.assignment.engagementId, t.assignment.launcherId],
  }));
}

/**
 * Writes the core's threat picture into the run file once per {@link THREAT_RECORD_PERIOD_US} of
 * run time: the first snapshot at or after each due instant, when it holds at least one threat.
 * Snapshots come from the tick loop at run-time instants, so the lines are the same run to run.
 */
export class ThreatRecordPacer {
  private nextUs = Number.NEGATIVE_INFINITY;

  constructor(private readonly periodUs = THREAT_RECORD_PERIOD_US) {}

  offer(
    snapshot: { readonly nowUs: number; readonly threats?: readonly ThreatSnapshot[] },
    recorder: RunRecorder,
  ): void {
    if (snapshot.nowUs < this.nextUs || snapshot.threats === undefined || snapshot.threats.length === 0) return;
    this.nextUs = snapshot.nowUs + this.periodUs;
    recorder.recordThreats(snapshot.nowUs, threatRecordEntries(snapshot.threats));
  }
}
