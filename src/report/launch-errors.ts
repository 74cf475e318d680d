import type { TruthRecord } from '../truth/truth-record.js';
import type { RunDigest } from './digest-run.js';

/** One launch matched with the FIRE that planned it. */
export interface LaunchError {
  readonly commandId: number;
  readonly launcherId: string;
  readonly engagementId: number;
  /** The FIRE's planned launch instant, host µs. */
  readonly plannedUs: number;
  /** When it actually launched (ignition), host µs. */
  readonly actualUs: number;
  /** actual − planned, µs (positive: late). */
  readonly errorUs: number;
}

/** Launch timing errors and what could not be matched. */
export interface LaunchErrorMatch {
  /**
   * `truth`: actual = the simulator's executedUs (what really happened); `host-report`: actual =
   * the launcher's FIRE_REPORT as the host converted it (used when there is no truth log).
   */
  readonly source: 'truth' | 'host-report';
  readonly errors: readonly LaunchError[];
  /** Truth launches whose command id matches no recorded FIRE (never expected; recording cut short). */
  readonly unmatchedLaunches: number;
  /** FIREs with no launch (aborted, refused, misfired, or the run ended first). */
  readonly firesWithoutLaunch: number;
}

/**
 * Match every launch with the FIRE command of the same command id (ids are never reused,
 * ICD-CMN-008) and take actual − planned launch instant. With a truth log the actual instant is
 * the simulator's `executedUs` (shifted by `epochHostUs` into host time); without one it falls
 * back to the host's `launched` engagement events (`actualLaunchHostUs`).
 */
export function matchLaunchErrors(
  digest: RunDigest,
  truth: readonly TruthRecord[] | undefined,
  epochHostUs = 0,
): LaunchErrorMatch {
  const errors: LaunchError[] = [];
  const launched = new Set<number>();
  let unmatchedLaunches = 0;
  if (truth !== undefined) {
    for (const record of truth) {
      if (record.kind !== 'launch') continue;
      const fire = digest.fires.get(record.commandId);
      if (fire === undefined || launched.has(record.commandId)) {
        if (fire === undefined) unmatchedLaunches++;
        continue;
      }
      launched.add(record.commandId);
      const actualUs = record.executedUs + epochHostUs;
      errors.push({
        commandId: record.commandId,
        launcherId: fire.command.launcherId,
        engagementId: fire.command.engagementId,
        plannedUs: fire.command.launchAtHostUs,
        actualUs,
        errorUs: actualUs - fire.command.launchAtHostUs,
      });
    }
  } else {
    for (const events of digest.engagements.values()) {
      for (const event of events) {
        if (event.transition !== 'launched' || event.actualLaunchHostUs === null || event.fireCommandId === null)
          continue;
        const fire = digest.fires.get(event.fireCommandId);
        if (fire === undefined || launched.has(event.fireCommandId)) continue;
        launched.add(event.fireCommandId);
        errors.push({
          commandId: event.fireCommandId,
          launcherId: fire.command.launcherId,
          engagementId: fire.command.engagementId,
          plannedUs: fire.command.launchAtHostUs,
          actualUs: event.actualLaunchHostUs,
          errorUs: event.actualLaunchHostUs - fire.command.launchAtHostUs,
        });
      }
    }
  }
  errors.sort((a, b) => a.commandId - b.commandId);
  let firesWithoutLaunch = 0;
  for (const commandId of digest.fires.keys()) if (!launched.has(commandId)) firesWithoutLaunch++;
  return {
    source: truth !== undefined ? 'truth' : 'host-report',
    errors,
    unmatchedLaunches,
    firesWithoutLaunch,
  };
}
