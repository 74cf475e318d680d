import type { RunManifest, RunRecord } from '../record/run-file-format.js';

/** One message of a derived channel, at a clock time (µs). */
export interface DerivedMessage {
  readonly tUs: number;
  readonly value: unknown;
}

interface Kinded {
  readonly kind?: unknown;
}

/**
 * Tick metrics from the run file: for every busy tick and every idle entry, its lateness against
 * the nominal schedule (first tick + n × period: the jitter of a real-time loop, 0 in virtual
 * time) and how much went in and out.
 */
export function tickMetrics(manifest: RunManifest, records: readonly RunRecord[]): DerivedMessage[] {
  const out: DerivedMessage[] = [];
  let origin: { tick: number; nowUs: number } | undefined;
  const lateness = (tick: number, nowUs: number): number => {
    origin ??= { tick, nowUs };
    return nowUs - (origin.nowUs + (tick - origin.tick) * manifest.tickPeriodUs);
  };
  for (const record of records) {
    if (record.kind === 'tick') {
      const rejected = record.events.filter((e) => (e as Kinded).kind === 'input-rejected').length;
      out.push({
        tUs: record.nowUs,
        value: {
          tick: record.tick,
          nowUs: record.nowUs,
          latenessUs: lateness(record.tick, record.nowUs),
          idleTicks: 0,
          inputs: record.inputs.length,
          commands: record.commands.length,
          events: record.events.length,
          rejectedInputs: rejected,
        },
      });
    } else if (record.kind === 'idle') {
      for (const entry of record.ticks) {
        const [tick, nowUs] = entry;
        out.push({
          tUs: nowUs,
          value: {
            tick,
            nowUs,
            latenessUs: lateness(tick, nowUs),
            idleTicks: entry.length === 4 ? entry[2] : 1,
            inputs: 0,
            commands: 0,
            events: 0,
            rejectedInputs: 0,
          },
        });
      }
    }
  }
  return out;
}

interface FireEvent {
  readonly kind: 'fire';
  readonly commandId: number;
  readonly launcherId: string;
  readonly trackId: number;
  readonly launchAtHostUs: number;
}
interface FireOutcome {
  readonly kind: 'fire-outcome';
  readonly fireCommandId: number;
  readonly launcherId: string;
  readonly outcome?: { readonly result?: string; readonly actualLaunchHostUs?: number };
}

/**
 * Launch errors from the run file: each FIRE the core planned (its `launchAtHostUs`) matched with
 * the launcher's report of it (`actualLaunchHostUs`), actual minus planned, at the report's time.
 */
export function launchErrors(records: readonly RunRecord[]): DerivedMessage[] {
  const planned = new Map<number, FireEvent>();
  const out: DerivedMessage[] = [];
  const visit = (item: unknown, nowUs: number): void => {
    const kind = (item as Kinded).kind;
    if (kind === 'fire') {
      const fire = item as FireEvent;
      planned.set(fire.commandId, fire);
    } else if (kind === 'fire-outcome') {
      const report = item as FireOutcome;
      const plan = planned.get(report.fireCommandId);
      const actual = report.outcome?.actualLaunchHostUs;
      if (plan === undefined || typeof actual !== 'number') return;
      out.push({
        tUs: nowUs,
        value: {
          fireCommandId: report.fireCommandId,
          launcherId: report.launcherId,
          trackId: plan.trackId,
          plannedLaunchUs: plan.launchAtHostUs,
          actualLaunchUs: actual,
          launchErrorUs: actual - plan.launchAtHostUs,
          result: report.outcome?.result ?? 'unknown',
        },
      });
    }
  };
  for (const record of records) {
    if (record.kind !== 'tick') continue;
    for (const item of record.commands) visit(item, record.nowUs);
    for (const item of record.events) visit(item, record.nowUs);
    for (const item of record.inputs) visit(item, record.nowUs);
  }
  return out;
}
