/**
 * FIREs refused per (track, launcher) pair, so that a launcher that keeps refusing one target
 * stops being offered it: after `maxPerTarget` refusals the pair is barred for the track's life.
 * Memory is allocated once (tracks × launchers); a pair remembers the track id it counted for,
 * so a track slot reused by a new track starts from zero. Deterministic, allocation-free.
 */
export class FireRefusalLedger {
  private readonly trackIds: Float64Array;
  private readonly counts: Uint8Array;

  constructor(
    maxTracks: number,
    private readonly launcherCount: number,
    private readonly maxPerTarget: number,
  ) {
    this.trackIds = new Float64Array(maxTracks * launcherCount).fill(-1);
    this.counts = new Uint8Array(maxTracks * launcherCount);
  }

  /** Refusals of `trackId` (in `trackSlot`) by launcher `launcherIndex` so far. */
  count(trackSlot: number, trackId: number, launcherIndex: number): number {
    const i = trackSlot * this.launcherCount + launcherIndex;
    return this.trackIds[i] === trackId ? this.counts[i]! : 0;
  }

  /** Counts one refusal; returns the pair's total (saturating at 255). */
  record(trackSlot: number, trackId: number, launcherIndex: number): number {
    if (trackSlot < 0) return 0;
    const i = trackSlot * this.launcherCount + launcherIndex;
    if (this.trackIds[i] !== trackId) {
      this.trackIds[i] = trackId;
      this.counts[i] = 0;
    }
    if (this.counts[i]! < 255) this.counts[i] = this.counts[i]! + 1;
    return this.counts[i]!;
  }

  /** Whether the launcher has refused the track `maxPerTarget` times (never planned again). */
  barred(trackSlot: number, trackId: number, launcherIndex: number): boolean {
    return this.count(trackSlot, trackId, launcherIndex) >= this.maxPerTarget;
  }
}
