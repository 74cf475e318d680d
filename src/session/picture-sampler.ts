import type { TrackSnapshot } from '../control/index.js';

/** One sample of the host picture: its confirmed, live tracks, predicted to the sample instant. */
export interface PictureSample {
  /** Host time of the sample. */
  readonly atUs: number;
  readonly tracks: readonly {
    readonly trackId: number;
    /** East, north, up metres at `atUs`. */
    readonly position: readonly [number, number, number];
    /** East, north, up metres per second. */
    readonly velocity: readonly [number, number, number];
  }[];
}

/** Most samples kept (a day at one per second); later snapshots are not sampled. */
export const MAX_PICTURE_SAMPLES = 86_400;

/**
 * Samples the core's picture snapshots for scoring against truth: at most one sample per
 * `periodUs` (the first snapshot at or after each due instant), keeping the confirmed tracks the
 * host has not assessed destroyed, each predicted (constant velocity) from its estimate time to
 * the snapshot instant — the picture as it stood at that instant. Bounded to `maxSamples`
 * (then `truncated` is true).
 */
export class PictureSampler {
  private readonly kept: PictureSample[] = [];
  private nextUs = Number.NEGATIVE_INFINITY;
  /** True once a due snapshot was dropped because `maxSamples` were kept. */
  truncated = false;

  constructor(
    private readonly periodUs: number,
    private readonly maxSamples = MAX_PICTURE_SAMPLES,
  ) {}

  /** Offer a snapshot (call with every one, in time order). */
  add(snapshot: { readonly nowUs: number; readonly tracks: readonly TrackSnapshot[] }): void {
    if (snapshot.nowUs < this.nextUs) return;
    if (this.kept.length >= this.maxSamples) {
      this.truncated = true;
      return;
    }
    this.nextUs = (this.nextUs === Number.NEGATIVE_INFINITY ? snapshot.nowUs : this.nextUs) + this.periodUs;
    if (this.nextUs <= snapshot.nowUs) this.nextUs = snapshot.nowUs + this.periodUs;
    const tracks = [];
    for (const t of snapshot.tracks) {
      if (!t.confirmed || t.destroyed) continue;
      const dtS = (snapshot.nowUs - t.estimateTimeUs) / 1e6;
      tracks.push({
        trackId: t.trackId,
        position: [t.eastM + t.eastMps * dtS, t.northM + t.northMps * dtS, t.upM + t.upMps * dtS] as const,
        velocity: [t.eastMps, t.northMps, t.upMps] as const,
      });
    }
    this.kept.push({ atUs: snapshot.nowUs, tracks });
  }

  /** The samples so far, in time order. */
  samples(): readonly PictureSample[] {
    return this.kept;
  }
}
