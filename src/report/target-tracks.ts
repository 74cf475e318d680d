import type { TargetSampleRecord, TruthIff, TruthRecord } from '../truth/truth-record.js';

/** One truth sample of a target, host time. */
export interface TargetSample {
  readonly tUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

/** A target's truth trajectory, samples in time order. */
export interface TargetTrack {
  readonly targetId: string;
  readonly iff: TruthIff;
  readonly samples: readonly TargetSample[];
}

/**
 * Group the truth log's target samples by target, in order of first appearance, shifting truth
 * time to host time by `epochHostUs`. A target's class is its first sample's (the simulator
 * never changes a target's truth identity).
 */
export function targetTracksFrom(truth: readonly TruthRecord[], epochHostUs = 0): TargetTrack[] {
  const byId = new Map<string, { iff: TruthIff; samples: TargetSample[] }>();
  for (const record of truth) {
    if (record.kind !== 'target') continue;
    const r: TargetSampleRecord = record;
    let track = byId.get(r.targetId);
    if (track === undefined) {
      track = { iff: r.iff, samples: [] };
      byId.set(r.targetId, track);
    }
    track.samples.push({ tUs: r.tUs + epochHostUs, eastM: r.eastM, northM: r.northM, upM: r.upM });
  }
  const tracks: TargetTrack[] = [];
  for (const [targetId, { iff, samples }] of byId) {
    samples.sort((a, b) => a.tUs - b.tUs);
    tracks.push({ targetId, iff, samples });
  }
  return tracks;
}
