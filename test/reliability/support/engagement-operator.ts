import type { LauncherController } from '../../../src/devices/index.js';
import type { TimerHandle } from '../../../src/time/clock.js';
import type { VirtualClock } from '../../../src/time/virtual-clock.js';

/** What the scripted operator did and what came back, by outcome. */
export interface OperatorTally {
  arms: number;
  fires: number;
  firesAccepted: number;
  /** Rejections by error class name (LinkLostError, AckTimeoutError, NakError, …). */
  readonly rejected: Record<string, number>;
}

/**
 * A scripted engagement against one launcher: every `periodUs`, when the link is active, arm it
 * if it is not ARMED (or the driver holds it SAFE-latched), else FIRE with an execute-at 300 ms
 * ahead. Every outcome is tallied; nothing is retried by hand (the driver's retransmit is what
 * is under test). Returns a stop function.
 */
export function startEngagementOperator(
  clock: VirtualClock,
  launcher: LauncherController,
  periodUs: number,
): { readonly tally: OperatorTally; stop(): void } {
  const tally: OperatorTally = { arms: 0, fires: 0, firesAccepted: 0, rejected: {} };
  let nextId = 1;
  let busy = false;
  let timer: TimerHandle | undefined;
  const reject = (error: unknown): void => {
    const name = error instanceof Error ? error.constructor.name : 'unknown';
    tally.rejected[name] = (tally.rejected[name] ?? 0) + 1;
  };
  const tick = (): void => {
    timer = clock.setTimer(periodUs, tick);
    if (busy || launcher.linkState !== 'active') return;
    busy = true;
    const done = (): void => {
      busy = false;
    };
    if (launcher.safeLatched || launcher.status?.state !== 'armed') {
      tally.arms++;
      launcher.arm({ commandId: nextId++ }).then(done, (e: unknown) => (reject(e), done()));
    } else {
      tally.fires++;
      launcher
        .fire({
          commandId: nextId++,
          trackId: 1,
          executeAtHostUs: clock.nowUs() + 300_000,
          aim: { eastM: 10_000, northM: 5_000, upM: 3_000 },
        })
        .then(
          () => (tally.firesAccepted++, done()),
          (e: unknown) => (reject(e), done()),
        );
    }
  };
  timer = clock.setTimer(periodUs, tick);
  return { tally, stop: () => timer?.cancel() };
}
