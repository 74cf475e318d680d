import type { PictureFrame, PictureObject } from './picture-frame.js';

/** One object's states over time, in frame order. */
export interface ObjectHistory {
  readonly id: string;
  /** Frame instants where the object is present, increasing. */
  readonly timesS: number[];
  readonly states: PictureObject[];
}

/**
 * Group the frames' tracks (or truths) by id. An id listed twice in one frame keeps its last
 * entry there.
 */
export function objectHistories(
  frames: readonly PictureFrame[],
  side: 'tracks' | 'truths',
): Map<string, ObjectHistory> {
  const out = new Map<string, ObjectHistory>();
  for (const frame of frames) {
    for (const object of frame[side]) {
      let history = out.get(object.id);
      if (history === undefined) {
        history = { id: object.id, timesS: [], states: [] };
        out.set(object.id, history);
      }
      const last = history.timesS.length - 1;
      if (last >= 0 && history.timesS[last] === frame.tS) history.states[last] = object;
      else {
        history.timesS.push(frame.tS);
        history.states.push(object);
      }
    }
  }
  return out;
}

/**
 * The object's position and velocity at `tS`: its own state at that instant, else linearly
 * interpolated between its states just before and just after (velocity only when both have
 * one); null outside its lifetime.
 */
export function stateAt(
  history: ObjectHistory,
  tS: number,
): { position: readonly number[]; velocity: readonly number[] | undefined } | null {
  const times = history.timesS;
  if (times.length === 0 || tS < times[0]! || tS > times[times.length - 1]!) return null;
  let lo = 0;
  let hi = times.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= tS) lo = mid;
    else hi = mid;
  }
  if (times[hi] === tS) lo = hi;
  const a = history.states[lo]!;
  if (times[lo] === tS) return { position: a.position, velocity: a.velocity };
  const b = history.states[hi]!;
  const f = (tS - times[lo]!) / (times[hi]! - times[lo]!);
  const mix = (x: readonly number[], y: readonly number[]) => x.map((v, i) => v + ((y[i] ?? v) - v) * f);
  return {
    position: mix(a.position, b.position),
    velocity: a.velocity !== undefined && b.velocity !== undefined ? mix(a.velocity, b.velocity) : undefined,
  };
}
