import type { Clock } from './clock.js';
import { US_PER_MS } from './clock.js';
import { wallClockMs } from './real-clock.js';

/**
 * A wall clock that a system time step cannot move: wall time is read once, at creation, and
 * from then on advanced by the monotonic `clock` — `startWallMs + (clock.nowUs() − startMonoUs) / 1000`.
 *
 * Why: the MQTT bridge checks command freshness against wall time (operators sign with theirs).
 * If the host's clock is stepped (an NTP step, an operator setting the date) by ±1 h while the
 * node runs, `Date.now()` would make every correctly-timed command look an hour stale; this clock
 * keeps the node's wall time continuous and monotonic after start, so commands signed by
 * operators whose own clocks are right still pass. The price: a node started with a wrong clock
 * stays wrong until restarted (drift of the monotonic clock against UTC is negligible over a
 * bench session). `startWallMs` defaults to the system wall clock at creation.
 */
export function anchoredWallClock(clock: Clock, startWallMs: number = wallClockMs()): () => number {
  const startMonoUs = clock.nowUs();
  return () => startWallMs + (clock.nowUs() - startMonoUs) / US_PER_MS;
}
