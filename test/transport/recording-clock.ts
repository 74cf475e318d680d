import type { TimerHandle } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

/**
 * A VirtualClock that keeps what every timer callback returned, in firing order, so tests can
 * see which timers told the clock they started no asynchronous work (SYNC_ONLY).
 */
export class RecordingClock extends VirtualClock {
  readonly results: unknown[] = [];

  override setTimerAt(atUs: number, callback: () => void): TimerHandle {
    return super.setTimerAt(atUs, () => {
      const result: unknown = (callback as () => unknown)();
      this.results.push(result);
      return result;
    });
  }
}
