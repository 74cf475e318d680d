/**
 * Candidate intercept solutions per (track slot, launcher), used to rank launchers for a track
 * without solving every pair every tick. An entry is fresh while it was solved for the same
 * track id and filter version, less than `maxSolutionAgeUs` ago. Plans never use a cached
 * solution: the chosen pair is solved again at planning time.
 */
export class SolutionCache {
  private readonly trackId: Float64Array;
  private readonly version: Uint32Array;
  private readonly solvedAtUs: Float64Array;
  private readonly feasible: Uint8Array;
  private readonly interceptAtUs: Float64Array;

  constructor(
    maxTracks: number,
    private readonly launcherCount: number,
    private readonly maxSolutionAgeUs: number,
  ) {
    const n = maxTracks * launcherCount;
    this.trackId = new Float64Array(n);
    this.version = new Uint32Array(n);
    this.solvedAtUs = new Float64Array(n).fill(-Infinity);
    this.feasible = new Uint8Array(n);
    this.interceptAtUs = new Float64Array(n);
  }

  /** Entry index of a (slot, launcher) pair. */
  index(slot: number, launcherIndex: number): number {
    return slot * this.launcherCount + launcherIndex;
  }

  isFresh(i: number, trackId: number, version: number, nowUs: number): boolean {
    return (
      this.trackId[i] === trackId && this.version[i] === version && nowUs - this.solvedAtUs[i]! <= this.maxSolutionAgeUs
    );
  }

  store(i: number, trackId: number, version: number, nowUs: number, feasible: boolean, interceptAtUs: number): void {
    this.trackId[i] = trackId;
    this.version[i] = version;
    this.solvedAtUs[i] = nowUs;
    this.feasible[i] = feasible ? 1 : 0;
    this.interceptAtUs[i] = interceptAtUs;
  }

  /** Cached intercept instant, or +Infinity when the cached solve found no solution. */
  interceptAt(i: number): number {
    return this.feasible[i] === 1 ? this.interceptAtUs[i]! : Infinity;
  }
}
