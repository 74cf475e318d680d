import type { Clock } from '../time/clock.js';

/** A device whose link state can be read (RadarController, LauncherController). */
export interface LinkedDriver {
  readonly linkState: string;
}

/**
 * Real time: wait until every device's link is `active` (handshake done), polling every 50 ms,
 * for at most `timeoutUs`. A simulator process on a loaded machine can take seconds to come up,
 * and a scenario's operator commands (ARM at t = 2 s) sent before its links are active are
 * refused and never repeated. Resolves with the instant the wait ended; `notActive` names the
 * devices still not active at the timeout (the run goes on: their readiness reports why).
 */
export function waitForLinks(
  clock: Clock,
  drivers: ReadonlyMap<string, LinkedDriver>,
  timeoutUs: number,
): Promise<{ atUs: number; notActive: string[] }> {
  const deadlineUs = clock.nowUs() + timeoutUs;
  return new Promise((resolve) => {
    const check = (): void => {
      const notActive = [...drivers].filter(([, d]) => d.linkState !== 'active').map(([id]) => id);
      const nowUs = clock.nowUs();
      if (notActive.length === 0 || nowUs >= deadlineUs) resolve({ atUs: nowUs, notActive });
      else clock.setTimer(50_000, check);
    };
    check();
  });
}
