import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';

/** Options of {@link AuditBudget}. */
export interface AuditBudgetOptions {
  /** Rejected messages per source recorded one by one in a burst (default 20). */
  readonly burst?: number;
  /** Refill of that allowance, per second (default 2). */
  readonly perSecond?: number;
  /** How often a summary of what was left out is written, ms (default 1000). */
  readonly summaryIntervalMs?: number;
}

/** What was left out in one summary period. */
export interface SuppressedSummary {
  readonly sinceUs: number;
  readonly messages: number;
  readonly byReason: Readonly<Record<string, number>>;
  readonly bySource: Readonly<Record<string, number>>;
  readonly totalSuppressed: number;
  readonly totalRejected: number;
}

interface Bucket {
  tokens: number;
  lastUs: number;
}

/**
 * Bounds what garbage costs the audit trail, the recording and the outbound stream: each source
 * (`key:<keyId>` for a configured key, else `anonymous`, so that nobody can spend another key
 * holder's allowance without that key's secret... or at all beyond the claimed key's own bucket)
 * may have `burst` rejected messages recorded one by one, refilled at `perSecond`; the rest are
 * counted and summarised at most once per `summaryIntervalMs`. Totals are kept since boot.
 * Sources are the configured key ids plus `anonymous`, so the table is bounded by the keyring.
 */
export class AuditBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;
  private readonly perUs: number;
  private readonly summaryUs: number;
  private period: {
    sinceUs: number;
    messages: number;
    byReason: Record<string, number>;
    bySource: Record<string, number>;
  } | null = null;
  private timer: TimerHandle | null = null;
  private suppressedTotal = 0;
  private rejectedTotal = 0;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (summary: SuppressedSummary) => void,
    options: AuditBudgetOptions = {},
  ) {
    this.burst = options.burst ?? 20;
    this.perUs = (options.perSecond ?? 2) / 1_000_000;
    this.summaryUs = (options.summaryIntervalMs ?? 1_000) * US_PER_MS;
  }

  get totals(): { rejected: number; suppressed: number } {
    return { rejected: this.rejectedTotal, suppressed: this.suppressedTotal };
  }

  /**
   * One rejected (or foreign) message from `source` for `reason`: true when it may be recorded
   * and answered one by one, false when it was only counted (into the next summary).
   */
  admit(source: string, reason: string): boolean {
    this.rejectedTotal++;
    const nowUs = this.clock.nowUs();
    let bucket = this.buckets.get(source);
    if (bucket === undefined) {
      bucket = { tokens: this.burst, lastUs: nowUs };
      this.buckets.set(source, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (nowUs - bucket.lastUs) * this.perUs);
    bucket.lastUs = nowUs;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return true;
    }
    this.suppressedTotal++;
    const period = (this.period ??= { sinceUs: nowUs, messages: 0, byReason: {}, bySource: {} });
    period.messages++;
    period.byReason[reason] = (period.byReason[reason] ?? 0) + 1;
    period.bySource[source] = (period.bySource[source] ?? 0) + 1;
    this.timer ??= this.clock.setTimer(this.summaryUs, () => this.flush());
    return false;
  }

  /** Write the pending summary now (at stop); nothing when nothing was left out. */
  flush(): void {
    this.timer?.cancel();
    this.timer = null;
    const period = this.period;
    this.period = null;
    if (period === null) return;
    this.emit({ ...period, totalSuppressed: this.suppressedTotal, totalRejected: this.rejectedTotal });
  }
}
