/**
 * The track-switching count of GOSPA for sets of trajectories (García-Fernández, Rahmathullah,
 * Svensson, "A metric on the space of finite sets of trajectories for evaluation of multi-target
 * tracking algorithms", IEEE TSP 2020), as Stone Soup's and MATLAB's trackGOSPAMetric count it:
 * per step, a truth whose track changes from one track to another counts 1 (a full switch), from
 * a track to none or from none to a track counts ½ (a half switch). A truth's first association
 * is free, and a truth absent at a step (not in the map) keeps its last association.
 */
export class SwitchingCounter {
  private readonly last = new Map<string, string | null>();

  /**
   * Add one step's associations (truth id → track id, or null when the truth is present but
   * missed) and return that step's switch count (0.5 per half switch).
   */
  add(associations: ReadonlyMap<string, string | null>): number {
    let switches = 0;
    for (const [truthId, trackId] of associations) {
      if (!this.last.has(truthId)) {
        if (trackId !== null) this.last.set(truthId, trackId);
        continue;
      }
      const before = this.last.get(truthId)!;
      if (before === trackId) continue;
      switches += before !== null && trackId !== null ? 1 : 0.5;
      this.last.set(truthId, trackId);
    }
    return switches;
  }
}
