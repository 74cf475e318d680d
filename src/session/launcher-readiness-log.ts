import type { EngagementEvent, LauncherNotReadyReason, LauncherReadinessEvent } from '../control/index.js';

/** How one launcher spent the run, from the core's readiness events. */
export interface LauncherReadiness {
  readonly launcherId: string;
  /** Whether it was ready to fire at any moment of the run. */
  readonly everReady: boolean;
  readonly readyS: number;
  readonly notReadyS: number;
  /**
   * Seconds not ready, by the first failing condition (in the core's order: no status,
   * inactive, link, stale status, not armed, watchdog, time sync, rounds, FIRE refused).
   */
  readonly notReadyByReasonS: Readonly<Partial<Record<LauncherNotReadyReason, number>>>;
  /** Every failing condition at the end of the run (empty: ready). */
  readonly reasonsAtEnd: readonly LauncherNotReadyReason[];
  /** Time-sync uncertainty at its last readiness change, us (null: none), and its budget. */
  readonly syncUncertaintyUs: number | null;
  readonly syncBudgetUs: number | null;
  /** FIREs it refused (NAK), in all. */
  readonly fireRefusals: number;
}

/** Refused FIREs (NAKs) of the run. */
export interface FireRefusals {
  readonly total: number;
  /** By NAK reason. */
  readonly byReason: Readonly<Record<string, number>>;
  /** By launcher id. */
  readonly byLauncher: Readonly<Record<string, number>>;
  /** (track, launcher) pairs given up after `maxFireRefusalsPerTarget` refusals. */
  readonly targetsGivenUp: number;
}

interface Interval {
  reasons: readonly LauncherNotReadyReason[];
  sinceUs: number;
  readyUs: number;
  everReady: boolean;
  byReasonUs: Map<LauncherNotReadyReason, number>;
  syncUncertaintyUs: number | null;
  syncBudgetUs: number | null;
}

/**
 * Gathers launcher readiness and FIRE refusals as the core's events stream by (O(1) per event).
 * The core announces every launcher's readiness in its first tick, so each launcher is accounted
 * from then on: a launcher never ready is reported, never silently unused.
 */
export class LauncherReadinessLog {
  private readonly launchers = new Map<string, Interval>();
  private readonly refusalsByReason = new Map<string, number>();
  private readonly refusalsByLauncher = new Map<string, number>();
  private givenUp = 0;
  private frozenAtUs = Number.POSITIVE_INFINITY;

  /**
   * The run is over at `atUs`: later events (the launchers made SAFE and the links closed by
   * the stop itself) are not the run's readiness and are ignored.
   */
  freeze(atUs: number): void {
    this.frozenAtUs = Math.min(this.frozenAtUs, atUs);
  }

  addReadiness(event: LauncherReadinessEvent): void {
    if (event.atUs > this.frozenAtUs) return;
    let entry = this.launchers.get(event.launcherId);
    if (entry === undefined) {
      entry = this.fresh(event.atUs);
      this.launchers.set(event.launcherId, entry);
    }
    this.close(entry, event.atUs);
    entry.reasons = event.reasons;
    if (event.ready) entry.everReady = true;
    entry.syncUncertaintyUs = event.syncUncertaintyUs ?? null;
    entry.syncBudgetUs = event.syncBudgetUs ?? null;
  }

  addEngagement(event: EngagementEvent): void {
    if (event.transition !== 'failed' && event.transition !== 'abort-confirmed') return;
    if (event.nakReason === null || (event.reason !== 'refused' && event.reason !== 'refusal-limit')) return;
    this.refusalsByReason.set(event.nakReason, (this.refusalsByReason.get(event.nakReason) ?? 0) + 1);
    this.refusalsByLauncher.set(event.launcherId, (this.refusalsByLauncher.get(event.launcherId) ?? 0) + 1);
    if (event.reason === 'refusal-limit') this.givenUp++;
  }

  /** Every launcher's account up to `endUs`, in the order they were given. */
  readiness(untilUs: number): LauncherReadiness[] {
    const endUs = Math.min(untilUs, this.frozenAtUs);
    return [...this.launchers].map(([launcherId, entry]) => {
      const byReasonUs = new Map(entry.byReasonUs);
      let readyUs = entry.readyUs;
      const spanUs = Math.max(0, endUs - entry.sinceUs);
      if (entry.reasons.length === 0) readyUs += spanUs;
      else byReasonUs.set(entry.reasons[0]!, (byReasonUs.get(entry.reasons[0]!) ?? 0) + spanUs);
      const notReadyUs = [...byReasonUs.values()].reduce((a, b) => a + b, 0);
      return {
        launcherId,
        everReady: entry.everReady,
        readyS: readyUs / 1e6,
        notReadyS: notReadyUs / 1e6,
        notReadyByReasonS: Object.fromEntries([...byReasonUs].map(([k, v]) => [k, v / 1e6])),
        reasonsAtEnd: entry.reasons,
        syncUncertaintyUs: entry.syncUncertaintyUs,
        syncBudgetUs: entry.syncBudgetUs,
        fireRefusals: this.refusalsByLauncher.get(launcherId) ?? 0,
      };
    });
  }

  refusals(): FireRefusals {
    return {
      total: [...this.refusalsByReason.values()].reduce((a, b) => a + b, 0),
      byReason: Object.fromEntries(this.refusalsByReason),
      byLauncher: Object.fromEntries(this.refusalsByLauncher),
      targetsGivenUp: this.givenUp,
    };
  }

  private fresh(sinceUs: number): Interval {
    return {
      reasons: ['launcher-no-status'],
      sinceUs,
      readyUs: 0,
      everReady: false,
      byReasonUs: new Map(),
      syncUncertaintyUs: null,
      syncBudgetUs: null,
    };
  }

  private close(entry: Interval, atUs: number): void {
    const spanUs = Math.max(0, atUs - entry.sinceUs);
    if (entry.reasons.length === 0) entry.readyUs += spanUs;
    else entry.byReasonUs.set(entry.reasons[0]!, (entry.byReasonUs.get(entry.reasons[0]!) ?? 0) + spanUs);
    entry.sinceUs = atUs;
  }
}

/** "launcher-3: not ready 12.0 s of 20.0 s (time-sync-out-of-bound 11.5 s, ...)" — for tables and logs. */
export function describeReadiness(r: LauncherReadiness): string {
  const reasons = Object.entries(r.notReadyByReasonS)
    .filter(([, s]) => s !== undefined && s >= 0.05)
    .sort((a, b) => b[1]! - a[1]!)
    .map(([reason, s]) => `${reason} ${s!.toFixed(1)} s`)
    .join(', ');
  const sync =
    r.reasonsAtEnd.includes('time-sync-out-of-bound') && r.syncBudgetUs !== null
      ? ` — time sync ±${r.syncUncertaintyUs === null ? 'none' : `${Math.round(r.syncUncertaintyUs)} us`} > budget ${Math.round(r.syncBudgetUs)} us`
      : '';
  const head = r.everReady ? '' : 'NEVER READY, ';
  return `${head}not ready ${r.notReadyS.toFixed(1)} s of ${(r.readyS + r.notReadyS).toFixed(1)} s${reasons === '' ? '' : ` (${reasons})`}${r.reasonsAtEnd.length > 0 ? `; at end: ${r.reasonsAtEnd.join(', ')}` : ''}${sync}${r.fireRefusals > 0 ? `; ${r.fireRefusals} FIREs refused` : ''}`;
}
