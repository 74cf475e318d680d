/** z for a two-sided 95 % interval (the 97.5th percentile of the standard normal). */
export const Z_95 = 1.959963984540054;

/** A proportion with its Wilson score interval. */
export interface Proportion {
  readonly successes: number;
  readonly trials: number;
  /** successes / trials; null when there were no trials. */
  readonly estimate: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/**
 * The Wilson score interval (Wilson 1927) for `successes` out of `trials` at normal quantile
 * `z` (default 95 %). Unlike the normal (Wald) interval it stays inside [0, 1] and does not
 * collapse to a point at 0 or n successes. Nulls when `trials` is 0 (nothing was measured).
 * Throws RangeError for counts that are not integers with 0 <= successes <= trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z_95): Proportion {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || successes < 0 || successes > trials)
    throw new RangeError(`expected integers 0 <= successes <= trials, got ${successes}/${trials}`);
  if (trials === 0) return { successes, trials, estimate: null, low: null, high: null };
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    successes,
    trials,
    estimate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}
