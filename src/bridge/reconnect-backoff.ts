import { mulberry32 } from '../common/mulberry32.js';

/**
 * Exponential reconnect backoff with deterministic jitter (seeded, so virtual-time runs repeat;
 * distinct seeds per node keep a fleet from reconnecting in lockstep after a broker restart).
 */
export interface BackoffOptions {
  /** First delay, ms (default 200). */
  readonly initialMs?: number;
  /** Largest delay, ms (default 5000). */
  readonly maxMs?: number;
  /** Growth per failed attempt (default 2). */
  readonly factor?: number;
  /** Fraction of the delay that is randomised, 0..1 (default 0.2). */
  readonly jitter?: number;
}

export class ReconnectBackoff {
  private attempt = 0;
  private readonly random: () => number;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;

  constructor(options: BackoffOptions, seed: string) {
    this.initialMs = options.initialMs ?? 200;
    this.maxMs = options.maxMs ?? 5_000;
    this.factor = options.factor ?? 2;
    this.jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));
    let hash = 2166136261;
    for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 16777619);
    this.random = mulberry32(hash); // tiny, seeded, good enough to spread reconnects
  }

  /** Delay before the next attempt, ms; grows until `reset`. */
  nextDelayMs(): number {
    const base = Math.min(this.maxMs, this.initialMs * this.factor ** this.attempt);
    this.attempt++;
    return Math.round(base * (1 - this.jitter + this.jitter * this.random()));
  }

  /** After a successful connection. */
  reset(): void {
    this.attempt = 0;
  }
}
