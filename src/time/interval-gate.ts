import type { Clock } from './clock.js';

/**
 * A gate that opens at most once per `minIntervalUs` of `clock` time: the first call opens it,
 * later calls open it again once the interval has passed since the last opening. For throttling
 * output only people look at (e.g. the live picture of a virtual run going 100× real time,
 * paced on a RealClock), never for anything recorded.
 */
export function intervalGate(clock: Clock, minIntervalUs: number): () => boolean {
  let nextOpenUs = Number.NEGATIVE_INFINITY;
  return () => {
    const nowUs = clock.nowUs();
    if (nowUs < nextOpenUs) return false;
    nextOpenUs = nowUs + minIntervalUs;
    return true;
  };
}
