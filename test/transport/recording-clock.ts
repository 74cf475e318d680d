import type { Clock, TimerHandle } from '../../src/time/clock.js';
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

/**
 * A Clock over `virtual` that keeps what the callbacks of the timers set *through it* returned:
 * for tests that watch one component's timers while others share the same virtual time.
 */
export function recordingView(virtual: VirtualClock): { clock: Clock; returned: unknown[] } {
  const returned: unknown[] = [];
  const clock: Clock = {
    kind: 'virtual',
    nowUs: () => virtual.nowUs(),
    setTimerAt: (atUs, callback): TimerHandle =>
      virtual.setTimerAt(atUs, () => {
        const result: unknown = (callback as () => unknown)();
        returned.push(result);
        return result;
      }),
    setTimer: (delayUs, callback) => clock.setTimerAt(virtual.nowUs() + Math.max(0, delayUs), callback),
  };
  return { clock, returned };
}
