import type { SimTarget } from './sim-target.js';

/**
 * One interceptor's bookkeeping of which targets a sweep must look at, so that a step costs
 * per target that may matter rather than per target of the scenario.
 *
 * Each pair has a clearance time (`clearUntilUs`, written by the sweep): until then it provably
 * stays out of reach. A target is *cold* over a sweep interval (fromUs, tUs] when tUs is not
 * past its wake time — max(clearance, flight start) — or its flight ended by fromUs: the sweep
 * would skip it anyway. Cold targets are left out of the *hot* list until the earliest of their
 * wake times passes; then the list is rebuilt. Wake times never move earlier (clearances are
 * only written for hot targets; flight ends only move earlier), so skipping stays exact.
 */
export class PairWatch {
  /** Per target index: world time until which the pair provably stays out of reach (−∞: unknown). */
  readonly clearUntilUs: Float64Array;
  private readonly hot: Int32Array;
  private hotCount = 0;
  /** The earliest wake time of a cold target; −∞ forces a rebuild. */
  private coldWakeUs = -Infinity;

  constructor(targetCount: number) {
    this.clearUntilUs = new Float64Array(targetCount).fill(-Infinity);
    this.hot = new Int32Array(targetCount);
  }

  /**
   * Targets to look at over (fromUs, tUs]: their count is returned, their indices are
   * {@link hotTarget}(0 .. count), ascending. Calls come in non-decreasing time.
   */
  prepare(targets: readonly SimTarget[], fromUs: number, tUs: number): number {
    if (tUs > this.coldWakeUs) this.rebuild(targets, fromUs, tUs);
    return this.hotCount;
  }

  /** The target index at position `k` of the hot list. */
  hotTarget(k: number): number {
    return this.hot[k]!;
  }

  private rebuild(targets: readonly SimTarget[], fromUs: number, tUs: number): void {
    let count = 0;
    let coldWakeUs = Infinity;
    for (let j = 0; j < targets.length; j++) {
      const target = targets[j]!;
      const wakeUs = target.endUs <= fromUs ? Infinity : Math.max(this.clearUntilUs[j]!, target.motion.startUs);
      if (tUs <= wakeUs) coldWakeUs = Math.min(coldWakeUs, wakeUs);
      else this.hot[count++] = j;
    }
    this.hotCount = count;
    this.coldWakeUs = coldWakeUs;
  }
}
