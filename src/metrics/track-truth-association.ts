import { euclideanDistance } from './euclidean-distance.js';
import { MetricParameterError } from './gospa.js';
import type { PictureFrame } from './picture-frame.js';

/** A track associated with a truth over a closed time interval [startS, endS]. */
export interface TrackTruthAssociation {
  readonly truthId: string;
  readonly trackId: string;
  readonly startS: number;
  readonly endS: number;
}

/**
 * Associate tracks with truths by position, frame by frame: at each frame every track is
 * associated with its nearest truth whose position is within `radius` (inclusive; equal
 * distances go to the truth listed first), so a truth may hold several tracks (ambiguity) and a
 * track at most one truth. A pair associated at consecutive frames forms one interval from its
 * first to its last frame; a frame without the pair ends the interval. Pure and deterministic;
 * throws MetricParameterError unless radius > 0 and finite.
 */
export function associateByDistance(frames: readonly PictureFrame[], radius: number): TrackTruthAssociation[] {
  if (!(Number.isFinite(radius) && radius > 0))
    throw new MetricParameterError(`association radius must be > 0, got ${radius}`);
  const open = new Map<string, { truthId: string; trackId: string; startS: number; endS: number; frame: number }>();
  const done: TrackTruthAssociation[] = [];
  for (const [k, frame] of frames.entries()) {
    for (const track of frame.tracks) {
      let best = -1;
      let bestDistance = Number.POSITIVE_INFINITY;
      for (const [i, truth] of frame.truths.entries()) {
        const d = euclideanDistance(track.position, truth.position);
        if (d <= radius && d < bestDistance) {
          best = i;
          bestDistance = d;
        }
      }
      if (best < 0) continue;
      const truthId = frame.truths[best]!.id;
      const key = JSON.stringify([truthId, track.id]);
      const current = open.get(key);
      if (current !== undefined && current.frame === k - 1) {
        current.endS = frame.tS;
        current.frame = k;
      } else {
        if (current !== undefined) done.push(closed(current));
        open.set(key, { truthId, trackId: track.id, startS: frame.tS, endS: frame.tS, frame: k });
      }
    }
  }
  for (const current of open.values()) done.push(closed(current));
  return done.sort(
    (a, b) => a.startS - b.startS || compare(a.truthId, b.truthId) || compare(a.trackId, b.trackId) || a.endS - b.endS,
  );
}

function closed(a: { truthId: string; trackId: string; startS: number; endS: number }): TrackTruthAssociation {
  return { truthId: a.truthId, trackId: a.trackId, startS: a.startS, endS: a.endS };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
