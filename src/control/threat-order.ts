import type { TrackTable } from './track-table.js';

/** Whether track slot `a` ranks before slot `b`. */
function before(t: TrackTable, value: Float64Array | null, a: number, b: number): boolean {
  const pa = t.priority[a]!;
  const pb = t.priority[b]!;
  if (pa !== pb) return pa > pb;
  if (value !== null) {
    const va = value[a]!;
    const vb = value[b]!;
    if (va !== vb) return va > vb;
  }
  const ia = t.impactAtUs[a]!;
  const ib = t.impactAtUs[b]!;
  if (ia !== ib) return ia < ib;
  const ra = t.rangeToOriginM[a]!;
  const rb = t.rangeToOriginM[b]!;
  if (ra !== rb) return ra < rb;
  return t.trackId[a]! < t.trackId[b]!;
}

/**
 * Threat order, in place on `table.active`: operator priority first, then (when `valueBySlot` is
 * given: the expected-value doctrine) the larger threat value, then earliest predicted
 * impact (ground or defended point; see time-to-impact.ts), then nearest to the ENU origin, then
 * track id (a total order, so the result does not depend on the previous order).
 *
 * Insertion sort: between two ticks only updated tracks move, so the list is nearly sorted and
 * the cost is O(n + moves) with no allocation.
 */
export function sortThreatOrder(table: TrackTable, valueBySlot: Float64Array | null = null): void {
  const a = table.active;
  const n = table.activeCount;
  for (let i = 1; i < n; i++) {
    const slot = a[i]!;
    let j = i - 1;
    if (!before(table, valueBySlot, slot, a[j]!)) continue;
    while (j >= 0 && before(table, valueBySlot, slot, a[j]!)) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = slot;
  }
}
