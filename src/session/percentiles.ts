/** p50 and p99 of a sample (nearest-rank), or nulls when it is empty. */
export interface P50P99 {
  readonly p50: number | null;
  readonly p99: number | null;
  readonly count: number;
}

/** Nearest-rank percentile q in [0, 1] of an ascending-sorted array. */
export function percentileSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function p50p99(values: readonly number[], scale = 1): P50P99 {
  const sorted = values.map((v) => v * scale).sort((a, b) => a - b);
  return { p50: percentileSorted(sorted, 0.5), p99: percentileSorted(sorted, 0.99), count: sorted.length };
}
