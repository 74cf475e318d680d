/** What one `IoStallDetector.update` call observed. */
export type IoStallTransition = 'none' | 'stalled' | 'cleared';

/**
 * Decides, from the tick thread, whether the I/O thread is stalled. The I/O thread bumps a
 * heartbeat counter in shared memory on each turn of its event loop; the tick notes when it last
 * saw the counter change, on its own clock. No timestamps cross threads, so nothing tears and
 * nothing allocates.
 *
 * Contract: the heartbeat age is `nowNs` minus the first tick that saw the current counter value
 * (resolution: one tick period). The state becomes stalled when the age exceeds `boundNs`
 * (transition `stalled`, reported once), and clears on the next change of the counter
 * (transition `cleared`).
 */
export class IoStallDetector {
  private lastBeat: number;
  private lastChangeNs: number;
  private stalledNow = false;
  private ageNs = 0;

  constructor(
    private readonly boundNs: number,
    initialBeat: number,
    startNs: number,
  ) {
    this.lastBeat = initialBeat;
    this.lastChangeNs = startNs;
  }

  /** Whether the I/O thread is currently considered stalled. */
  get stalled(): boolean {
    return this.stalledNow;
  }

  /** Heartbeat age at the last update, ns (for `cleared`: the age when the beat came back). */
  get heartbeatAgeNs(): number {
    return this.ageNs;
  }

  update(beat: number, nowNs: number): IoStallTransition {
    if (beat !== this.lastBeat) {
      this.ageNs = nowNs - this.lastChangeNs;
      this.lastBeat = beat;
      this.lastChangeNs = nowNs;
      if (this.stalledNow) {
        this.stalledNow = false;
        return 'cleared';
      }
      return 'none';
    }
    this.ageNs = nowNs - this.lastChangeNs;
    if (!this.stalledNow && this.ageNs > this.boundNs) {
      this.stalledNow = true;
      return 'stalled';
    }
    return 'none';
  }
}
