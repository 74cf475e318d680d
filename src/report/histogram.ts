/** Equal-width bins over a sample. */
export interface Histogram {
  /** Lower edge of each bin; bin i covers [edges[i], edges[i] + width). */
  readonly lowerEdges: readonly number[];
  readonly width: number;
  readonly counts: readonly number[];
  readonly min: number;
  readonly max: number;
  readonly total: number;
}

/**
 * Bin a sample into equal bins: about √n of them (between 5 and `maxBins`), the width rounded up
 * to a "nice" 1, 2 or 5 × 10^k on aligned edges so labels read well (aligning may add a bin). A
 * sample of one value gets one bin. Non-finite values are ignored. Null for an empty sample.
 */
export function histogram(values: readonly number[], maxBins = 30): Histogram | null {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return null;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of finite) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === min) {
    const width = niceWidth(Math.abs(min) > 0 ? Math.abs(min) / 10 : 1);
    return { lowerEdges: [min - width / 2], width, counts: [finite.length], min, max, total: finite.length };
  }
  const wanted = Math.min(maxBins, Math.max(5, Math.ceil(Math.sqrt(finite.length))));
  const width = niceWidth((max - min) / wanted);
  const start = Math.floor(min / width) * width;
  const bins = Math.max(1, Math.min(maxBins * 3, Math.floor((max - start) / width) + 1));
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    const i = Math.min(bins - 1, Math.floor((v - start) / width));
    counts[i]!++;
  }
  const lowerEdges = counts.map((_, i) => start + i * width);
  return { lowerEdges, width, counts, min, max, total: finite.length };
}

function niceWidth(raw: number): number {
  const exponent = Math.floor(Math.log10(raw));
  const base = 10 ** exponent;
  const f = raw / base;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * base;
}
