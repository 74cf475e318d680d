import type { RunDigest } from './digest-run.js';

/** Reaction of one FIRE: first detection of its track to the FIRE command. */
export interface ReactionTime {
  readonly commandId: number;
  readonly trackId: number;
  readonly reactionUs: number;
}

/**
 * Reaction time per FIRE, defined as the run summary defines it (src/session/run-statistics.ts):
 * the tick that issued the FIRE minus its track's `created` event. FIREs on a track whose
 * creation is not in the recording are left out.
 */
export function reactionTimes(digest: RunDigest): ReactionTime[] {
  const out: ReactionTime[] = [];
  for (const { command, issuedAtUs } of digest.fires.values()) {
    const track = digest.tracks.get(command.trackId);
    if (track === undefined) continue;
    out.push({ commandId: command.commandId, trackId: command.trackId, reactionUs: issuedAtUs - track.createdUs });
  }
  return out;
}
