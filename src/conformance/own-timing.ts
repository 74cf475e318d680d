import { HEARTBEAT_PERIOD_US } from '../protocol/timing-rules.js';
import { formatMs } from './format-ms.js';

/**
 * How late the kit's own timers may run during a check that judges no limit tighter than this
 * (waits for statuses and answers of 250 ms to 1 s keep their meaning up to it), microseconds.
 */
export const OWN_TIMING_TOLERANCE_US = 100_000;

/**
 * The longest the kit's own heartbeat may lapse during a check: 3 heartbeat periods, after which
 * the ICD lets a node count the link lost (ICD-HOST-001), and which leaves the launcher watchdog
 * (250 ms) a period of margin for its own clock. Beyond it the device may rightly act on a
 * silent host (watchdog SAFE, ARM refused no-heartbeat): nothing it does then is a verdict.
 */
export const HEARTBEAT_LAPSE_LIMIT_US = 3 * HEARTBEAT_PERIOD_US;

/** The kit's own timing during one check, measured by the check runner. */
export interface OwnTiming {
  /** Largest lateness of the kit's own timers during the check (its scheduling error), µs. */
  readonly latenessUs: number;
  /** Longest gap of its running host heartbeat during the check, µs (0 when it did not run). */
  readonly heartbeatLapseUs: number;
  /** The tightest limit the check judged from arrival times, or OWN_TIMING_TOLERANCE_US, µs. */
  readonly toleranceUs: number;
}

/**
 * Why the kit cannot judge a check because of its own timing, or undefined when its timing held:
 * its timers ran later than the check's tolerance, or its heartbeat lapsed beyond
 * HEARTBEAT_LAPSE_LIMIT_US. The text gives the measured figures and the limits they broke.
 */
export function ownTimingProblem(own: OwnTiming): string | undefined {
  const parts: string[] = [];
  if (own.latenessUs > own.toleranceUs) {
    parts.push(
      `its timers ran up to ${formatMs(own.latenessUs)} late, more than the ${formatMs(own.toleranceUs)} this check judges`,
    );
  }
  if (own.heartbeatLapseUs > HEARTBEAT_LAPSE_LIMIT_US) {
    parts.push(
      `its heartbeat lapsed for ${formatMs(own.heartbeatLapseUs)}, more than ${formatMs(HEARTBEAT_LAPSE_LIMIT_US)} (3 periods: the device may rightly treat the host as silent)`,
    );
  }
  return parts.length === 0
    ? undefined
    : `cannot judge: the kit's own timing failed during the check — ${parts.join('; ')}`;
}
