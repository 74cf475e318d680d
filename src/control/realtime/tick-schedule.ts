/**
 * What a tick loop does when a tick ends after the next deadline. Only `skip` exists: run the
 * next tick at the first deadline still ahead and count the ones in between as missed — never
 * run them back to back to catch up (a burst of stale ticks is worse than a gap; this is
 * ros2_control's policy, docs/architecture.md §Time).
 */
export type OverrunPolicy = 'skip';

/** The overrun policies implemented. */
export const OVERRUN_POLICIES: readonly OverrunPolicy[] = ['skip'];

/**
 * The first deadline of a loop started at `nowT`: the first multiple of `period` at least one
 * period ahead, so deadlines land on round clock values and the loop has a period to settle.
 * Units are the caller's (ns or us), the same for all arguments.
 */
export function firstDeadline(nowT: number, period: number): number {
  return (Math.floor(nowT / period) + 2) * period;
}

/** The tick after one that ended at `endT`, under the `skip` policy. */
export interface NextTick {
  /** Index of the next tick to run (deadline `first + index·period`). */
  readonly index: number;
  /** Ticks skipped between the one that ended and `index` (0 without overrun). */
  readonly missed: number;
}

/**
 * The `skip` policy: after tick `index` ended at `endT`, run next the tick with the smallest
 * index > `index` whose deadline is not yet past (deadline >= `endT`); the ticks between are
 * missed. Units are the caller's, the same for all arguments.
 *
 * Pure: the loops and the property tests share it. `into` is filled and returned, so the hot
 * loop does not allocate.
 */
export function nextTickAfter(
  first: number,
  period: number,
  index: number,
  endT: number,
  into: { index: number; missed: number } = { index: 0, missed: 0 },
): NextTick {
  const dueIndex = Math.ceil((endT - first) / period);
  const next = dueIndex > index + 1 ? dueIndex : index + 1;
  into.index = next;
  into.missed = next - index - 1;
  return into;
}
