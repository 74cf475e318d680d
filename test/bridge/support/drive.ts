import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VirtualClock } from '../../../src/time/virtual-clock.js';

/**
 * Let the bridge work until `done()` holds: fire due virtual-clock timers and let file I/O
 * complete, turn after turn. Bounded by turns, not by time (no timed assertions): returns
 * whether `done()` held.
 */
export async function drive(clock: VirtualClock, done: () => boolean, maxTurns = 20_000): Promise<boolean> {
  for (let turn = 0; turn < maxTurns; turn++) {
    if (done()) return true;
    await clock.advance(0);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done();
}

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(prefix = 'shieldlink-bridge-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
