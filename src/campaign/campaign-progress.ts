import { RealClock } from '../time/real-clock.js';
import type { StoredOutcome } from './result-store.js';
import { type Proportion, wilsonInterval } from './wilson-interval.js';

/** What the progress line shows. */
export interface CampaignProgress {
  readonly done: number;
  readonly total: number;
  /** Runs finished per wall second in this session (null before the first). */
  readonly ratePerS: number | null;
  /** Wall seconds to the end at that rate (null before the first run). */
  readonly etaS: number | null;
  /** Pooled intercept ratio so far. */
  readonly interceptRatio: Proportion;
  readonly safetyFailures: number;
  readonly errors: number;
  /** `paused`: the queue is unreachable; `message` says why. */
  readonly state: 'running' | 'paused';
  readonly message: string | null;
  /** Queue workers seen (distributed campaigns only). */
  readonly workers: number | null;
}

/**
 * Counts finished runs and turns them into {@link CampaignProgress}: rate over this session's
 * runs and wall time (monotonic clock), ETA, running intercept ratio.
 */
export class ProgressTracker {
  private readonly clock = new RealClock();
  private intercepted = 0;
  private inEnvelope = 0;
  private doneAtStart: number;
  private done: number;
  private safetyFailures = 0;
  private errors = 0;
  private firstAtUs: number | null = null;

  constructor(
    private readonly total: number,
    stored: Iterable<StoredOutcome>,
  ) {
    let n = 0;
    for (const o of stored) {
      n++;
      this.count(o);
    }
    this.doneAtStart = n;
    this.done = n;
  }

  /** A run finished (stored). Errors do not count as done. */
  add(outcome: StoredOutcome): void {
    if (outcome.status === 'error') {
      this.errors++;
      return;
    }
    this.done++;
    this.count(outcome);
  }

  snapshot(
    state: 'running' | 'paused' = 'running',
    message: string | null = null,
    workers: number | null = null,
  ): CampaignProgress {
    const elapsedS = this.clock.nowUs() / 1e6;
    const fresh = this.done - this.doneAtStart;
    const ratePerS = fresh > 0 && elapsedS > 0 ? fresh / elapsedS : null;
    return {
      done: this.done,
      total: this.total,
      ratePerS,
      etaS: ratePerS === null ? null : (this.total - this.done) / ratePerS,
      interceptRatio: wilsonInterval(this.intercepted, this.inEnvelope),
      safetyFailures: this.safetyFailures,
      errors: this.errors,
      state,
      message,
      workers,
    };
  }

  private count(o: StoredOutcome): void {
    this.firstAtUs ??= this.clock.nowUs();
    if (o.figures !== null) {
      this.intercepted += Math.min(o.figures.intercepted, o.figures.hostilesInEnvelope);
      this.inEnvelope += o.figures.hostilesInEnvelope;
    }
    if (o.status === 'safety-fail') this.safetyFailures++;
  }
}

/** One line: `[####......] 37/200  0.85 runs/s  ETA 3m12s  intercept 97.9% [97.1, 98.5]  safety OK`. */
export function formatProgressLine(p: CampaignProgress, width = 20): string {
  const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(Math.max(0, width - filled))}]`;
  const rate = p.ratePerS === null ? '-- runs/s' : `${p.ratePerS.toFixed(2)} runs/s`;
  const eta = p.etaS === null ? 'ETA --' : `ETA ${formatDuration(p.etaS)}`;
  const ir = p.interceptRatio;
  const intercept =
    ir.estimate === null ? 'intercept --' : `intercept ${pct(ir.estimate)} [${pct(ir.low!)}, ${pct(ir.high!)}]`;
  const safety = p.safetyFailures === 0 ? 'safety OK' : `SAFETY FAIL x${p.safetyFailures}`;
  const parts = [bar, `${p.done}/${p.total}`, rate, eta, intercept, safety];
  if (p.errors > 0) parts.push(`errors ${p.errors}`);
  if (p.workers !== null) parts.push(`workers ${p.workers}`);
  if (p.state === 'paused') parts.push(`PAUSED: ${p.message ?? ''}`);
  return parts.join('  ');
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** `3m12s`, `1h04m`, `12s`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '--';
  const total = Math.round(s);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(total / 3600)}h${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}m`;
}
