/** A point of a plotted series. */
export interface XY {
  readonly x: number;
  readonly y: number;
}

/**
 * Reduce a series to at most `maxPoints` points with Largest-Triangle-Three-Buckets (Steinarsson
 * 2013): keeps the first and last points and, per bucket, the point that spans the largest
 * triangle with its neighbours, so turns, apogees and dives survive where a stride would cut
 * them. Buckets go by index, so the series need not be monotonic in x (plan-view tracks).
 * Returns the input itself when it already fits. Picks the original objects (their extra fields
 * ride along).
 */
export function downsampleSeries<T extends XY>(points: readonly T[], maxPoints: number): readonly T[] {
  const n = points.length;
  const budget = Math.max(2, Math.floor(maxPoints));
  if (n <= budget) return points;
  const out: T[] = [points[0]!];
  const bucketSize = (n - 2) / (budget - 2);
  let a = 0;
  for (let i = 0; i < budget - 2; i++) {
    const start = Math.floor(i * bucketSize) + 1;
    const end = Math.min(Math.floor((i + 1) * bucketSize) + 1, n - 1);
    // Average of the next bucket (the last point for the final bucket).
    const nextStart = end;
    const nextEnd = Math.min(Math.floor((i + 2) * bucketSize) + 1, n);
    let avgX = 0;
    let avgY = 0;
    const count = Math.max(1, nextEnd - nextStart);
    for (let j = nextStart; j < nextStart + count && j < n; j++) {
      avgX += points[j]!.x;
      avgY += points[j]!.y;
    }
    avgX /= count;
    avgY /= count;
    const pa = points[a]!;
    let best = start;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const p = points[j]!;
      const area = Math.abs((pa.x - avgX) * (p.y - pa.y) - (pa.x - p.x) * (avgY - pa.y));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(points[best]!);
    a = best;
  }
  out.push(points[n - 1]!);
  return out;
}

/**
 * Share `total` points among series of the given lengths, in proportion to their length, each
 * getting at least `min(length, minEach)` and never more than its length; the sum never exceeds
 * `total` unless the minimums alone do.
 */
export function allocatePointBudget(lengths: readonly number[], total: number, minEach = 2): number[] {
  const floor = lengths.map((len) => Math.min(len, minEach));
  const sum = lengths.reduce((s, len) => s + len, 0);
  if (sum <= total) return [...lengths];
  const spare = Math.max(0, total - floor.reduce((s, f) => s + f, 0));
  const extra = lengths.map((len, i) => len - floor[i]!);
  const extraSum = extra.reduce((s, e) => s + e, 0);
  return lengths.map((len, i) =>
    Math.min(len, floor[i]! + (extraSum > 0 ? Math.floor((spare * extra[i]!) / extraSum) : 0)),
  );
}
