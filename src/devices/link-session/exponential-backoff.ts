/** Knobs of {@link ExponentialBackoff}. */
export interface BackoffConfig {
  /** First delay. Default 50 000 us. */
  readonly initialUs: number;
  /** Growth per attempt. Default 2. */
  readonly factor: number;
  /**
   * Cap. Default 500 000 us, so a device that comes back is reopened within 0.5 s (the device-driver goal:
   * reconnect within 1 s of the link returning, handshake included).
   */
  readonly maxUs: number;
}

export const DEFAULT_BACKOFF_CONFIG: BackoffConfig = { initialUs: 50_000, factor: 2, maxUs: 500_000 };

/**
 * Bounded exponential backoff: initial, initial·factor, … capped at maxUs; `reset()` after a
 * success. Deterministic (no jitter: one host per device link, nothing to de-synchronise).
 */
export class ExponentialBackoff {
  private nextUs: number;

  constructor(private readonly config: BackoffConfig = DEFAULT_BACKOFF_CONFIG) {
    if (!(config.initialUs > 0) || !(config.factor >= 1) || !(config.maxUs >= config.initialUs)) {
      throw new RangeError('backoff: need initialUs > 0, factor >= 1, maxUs >= initialUs');
    }
    this.nextUs = config.initialUs;
  }

  /** The delay before the next attempt; each call grows the following one. */
  next(): number {
    const delay = this.nextUs;
    this.nextUs = Math.min(this.config.maxUs, this.nextUs * this.config.factor);
    return delay;
  }

  reset(): void {
    this.nextUs = this.config.initialUs;
  }
}
