import type { EngagementEvent } from '../control/index.js';
import type { HeldClaim } from './claim-book.js';
import { type ClaimIntent, type EngagementIntent, type MemberRef, isoOfMs } from './intent-schema.js';

/** What the translation of own engagements needs to know about the node. */
export interface OwnIntentContext {
  /** The members of the engaged track (see ThreatView). */
  readonly members: readonly MemberRef[];
  readonly aimToEcef: (eastM: number, northM: number, upM: number) => readonly [number, number, number];
  readonly killProbability: number;
  readonly claimGraceMs: number;
}

/** The claim id of a core engagement: `e<engagementId>` (unique per boot of the core). */
export function claimIdOf(e: EngagementEvent): string {
  return `e${e.engagementId}`;
}

/**
 * The intents one of the core's engagement events makes (`old`: the node's claim for it so far):
 * planned / replanned → claim; fire-sent → claim (committed) and commit; intercept assessed →
 * result kill or miss (a lost track counts as a miss: the threat may still be there); aborted or
 * failed → result aborted after a FIRE, else release. Other transitions make none. Times: host µs
 * → UTC ms by `toMs`.
 */
export function intentsOfEngagement(
  e: EngagementEvent,
  old: HeldClaim | undefined,
  toMs: (hostUs: number) => number,
  ctx: OwnIntentContext,
): EngagementIntent[] {
  const claimId = claimIdOf(e);
  switch (e.transition) {
    case 'planned':
    case 'replanned':
    case 'fire-sent': {
      const interceptMs = toMs(e.interceptAtHostUs);
      const claim: ClaimIntent = {
        type: 'claim',
        claimId,
        jointTrackId: e.trackId,
        members: ctx.members.map((m) => ({ ...m })),
        launcherId: e.launcherId,
        launchAt: isoOfMs(toMs(e.launchAtHostUs)),
        interceptAt: isoOfMs(interceptMs),
        interceptEcefM: [...ctx.aimToEcef(e.aimEastM, e.aimNorthM, e.aimUpM)],
        killProbability: ctx.killProbability,
        expiresAt: isoOfMs(interceptMs + ctx.claimGraceMs),
        committed: e.transition === 'fire-sent' || old?.committed === true,
      };
      return e.transition === 'fire-sent'
        ? [claim, { type: 'commit', claimId, firedAt: isoOfMs(toMs(e.atUs)) }]
        : [claim];
    }
    case 'intercept-assessed':
      return old === undefined ? [] : [{ type: 'result', claimId, result: e.result === 'kill' ? 'kill' : 'miss' }];
    case 'aborted':
    case 'failed':
      if (old === undefined) return [];
      return [old.committed ? { type: 'result', claimId, result: 'aborted' } : { type: 'release', claimId }];
    default:
      return [];
  }
}
