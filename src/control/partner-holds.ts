import type { PartnerHoldsInput } from './control-inputs.js';

/** Most tracks a `partner-holds` input may name (more is malformed). */
export const MAX_PARTNER_HOLDS = 4_096;

/**
 * The tracks a partner node has the engagement of, as the coordination layer last said (a
 * `partner-holds` input replaces the whole set): track id → host time until which this node
 * holds fire on it. While `nowUs < untilUs` the planner does not engage the track and a planned
 * (not yet fired) engagement of it is dropped with reason `partner-engages`; a FIRE already sent
 * is never touched. The coordination layer puts the node's own must-fire-by instant into
 * `untilUs`, so a hold never outlasts the node's last chance to defend its own assets.
 *
 * Empty until the first input: a node without partners behaves exactly as before.
 */
export class PartnerHoldTable {
  private readonly untilUs = new Map<number, number>();

  /** Replace the set. The input is well formed (checked by the caller). */
  apply(input: PartnerHoldsInput): void {
    this.untilUs.clear();
    for (const h of input.holds) this.untilUs.set(h.trackId, h.untilUs);
  }

  /** Whether fire is held on `trackId` at `nowUs`. */
  held(trackId: number, nowUs: number): boolean {
    if (this.untilUs.size === 0) return false;
    const until = this.untilUs.get(trackId);
    return until !== undefined && nowUs < until;
  }

  /** How many tracks are named (held or expired). */
  get size(): number {
    return this.untilUs.size;
  }
}
