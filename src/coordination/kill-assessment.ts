import type { HeldClaim } from './claim-book.js';
import { memberKey } from './deconfliction.js';

/** Threats killed within the window, most held at once (the oldest goes first beyond). */
const MAX_KILLED = 256;
/** Kills remembered so a restatement (every snapshot restates recent results) marks nothing again. */
const MAX_REMEMBERED = 4096;

/** A threat a committed claim (own or a verified partner's) reported killed. */
export interface KilledThreat {
  readonly node: string;
  readonly claimId: string;
  /** `node|trackId` of the killed claim's members: the names of the threat. */
  readonly memberKeys: readonly string[];
  /** UTC ms the kill was taken (the result's arrival, or the claim's lapse if earlier). */
  readonly atMs: number;
  /** UTC ms until which this node holds fire on the threat. */
  readonly untilMs: number;
}

/**
 * Kill assessment across nodes: a threat whose engagement (a committed claim, this node's or a
 * partner's taken through the intake gate: signed, fresh, in order) ended in `kill` is treated as
 * killed for `windowMs` — this node holds fire on every track named by the claim's members, so a
 * killed target's track, coasting or fed by a partner until the pictures drop it, draws no second
 * round. The window starts at the result, or at the claim's lapse (planned intercept + grace)
 * if that is earlier, so a result restated long after (a snapshot after a partition) holds
 * nothing. Each claim's kill marks once (snapshots restate it). A threat that is still seen after the window may be engaged again (a wrong kill
 * assessment must not leave it alone), and no hold outlasts the node's own must-fire-by instant
 * (the caller bounds it). Pure: times come from the caller.
 */
export class KillAssessment {
  private readonly marks: KilledThreat[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly windowMs: number) {}

  /** A committed claim ended in `kill`, taken at UTC `atMs`. Returns the mark, or null when its window is already over. */
  killed(claim: HeldClaim, atMs: number): KilledThreat | null {
    const id = `${claim.node}|${claim.claimId}`;
    if (this.seen.has(id)) return null;
    this.seen.add(id);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.values().next().value!);
    const startMs = Math.min(atMs, claim.expiresAtMs);
    const untilMs = startMs + this.windowMs;
    if (untilMs <= atMs) return null;
    const mark: KilledThreat = {
      node: claim.node,
      claimId: claim.claimId,
      memberKeys: claim.members.map(memberKey),
      atMs: startMs,
      untilMs,
    };
    this.marks.push(mark);
    if (this.marks.length > MAX_KILLED) this.marks.shift();
    return mark;
  }

  /** The marks still holding at `nowMs` (expired ones are forgotten). */
  live(nowMs: number): readonly KilledThreat[] {
    for (let i = this.marks.length - 1; i >= 0; i--) if (nowMs >= this.marks[i]!.untilMs) this.marks.splice(i, 1);
    return this.marks;
  }
}
