import type { ControlInput } from './control-inputs.js';

/**
 * The processing order of inputs: host receive time, then source id (UTF-16 code units, no
 * locale), then per-source sequence number. Returns < 0, 0 or > 0.
 */
export function compareControlInputs(a: ControlInput, b: ControlInput): number {
  if (a.receivedAtUs !== b.receivedAtUs) return a.receivedAtUs < b.receivedAtUs ? -1 : 1;
  if (a.sourceId !== b.sourceId) return a.sourceId < b.sourceId ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

/**
 * Stable sort of a tick's inputs into buffers it owns, without touching the caller's array and
 * without allocating once the buffers have grown to the largest batch seen. An already ordered
 * batch (the common case) costs one pass; others a bottom-up merge sort.
 *
 * Usage: `const n = sorter.sort(inputs); for (i < n) sorter.at(i)`; valid until the next `sort`
 * or `release`.
 */
export class InputSorter {
  private sorted: (ControlInput | undefined)[] = [];
  private scratch: (ControlInput | undefined)[] = [];
  private count = 0;

  /** Sorts `inputs` and returns how many there are. */
  sort(inputs: readonly ControlInput[]): number {
    const n = inputs.length;
    if (this.sorted.length < n) {
      this.sorted = new Array<ControlInput | undefined>(n).fill(undefined);
      this.scratch = new Array<ControlInput | undefined>(n).fill(undefined);
    }
    let a = this.sorted;
    let inOrder = true;
    for (let i = 0; i < n; i++) {
      a[i] = inputs[i]!;
      if (inOrder && i > 0 && compareControlInputs(a[i - 1]!, a[i]!) > 0) inOrder = false;
    }
    this.count = n;
    if (inOrder) return n;
    let b = this.scratch;
    for (let width = 1; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(lo + width, n);
        const hi = Math.min(lo + 2 * width, n);
        let i = lo;
        let j = mid;
        let k = lo;
        // `<` (not `<=`) on the right run keeps equal keys in their given order: stable.
        while (i < mid && j < hi) b[k++] = compareControlInputs(a[j]!, a[i]!) < 0 ? a[j++] : a[i++];
        while (i < mid) b[k++] = a[i++];
        while (j < hi) b[k++] = a[j++];
      }
      const t = a;
      a = b;
      b = t;
    }
    this.sorted = a;
    this.scratch = b;
    return n;
  }

  /** The i-th input in processing order (0 <= i < count of the last sort). */
  at(i: number): ControlInput {
    return this.sorted[i]!;
  }

  /** Drops the references of the last batch so its inputs can be collected. */
  release(): void {
    for (let i = 0; i < this.count; i++) {
      this.sorted[i] = undefined;
      this.scratch[i] = undefined;
    }
    this.count = 0;
  }
}
