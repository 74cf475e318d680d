import type { HeldClaim } from './claim-book.js';
import type { DuplicateEngagementEvent } from './coordination-events.js';
import { memberKey } from './deconfliction.js';
import type { PartnerLinks } from './partner-links.js';

const RECENT_WINDOW_MS = 120_000;
const MAX_RECENT = 256;

/**
 * Finds duplicate engagements: two FIREs of different nodes on the same threat (their claims'
 * members meet) that were live at once — the later one sent before the earlier one's claim
 * ended. A FIRE after the other claim's result or release is a second look, not a duplicate.
 * Each pair is counted once, as `linked` when coordination with the partner was live at both
 * FIREs, else `lost`; pairs learnt late (a partner's snapshot after a partition) still count.
 * Remembers the FIREs of the last two minutes (at most 256).
 */
export class DuplicateWatch {
  private readonly recent: {
    key: string;
    node: string;
    members: Set<string>;
    atMs: number;
    endedAtMs: number;
  }[] = [];
  private readonly pairs = new Set<string>();
  readonly counts = { linked: 0, lost: 0 };

  constructor(
    private readonly self: string,
    private readonly links: PartnerLinks,
  ) {}

  /**
   * The claim `c` became committed, its FIRE sent at `atMs`: the duplicates it makes. A claim
   * seen again (restated in a snapshot) keeps the times first learnt.
   */
  committed(c: HeldClaim, atMs: number): DuplicateEngagementEvent[] {
    const out: DuplicateEngagementEvent[] = [];
    const key = `${c.node}:${c.claimId}`;
    let mine = this.recent.find((r) => r.key === key);
    if (mine === undefined) {
      mine = {
        key,
        node: c.node,
        members: new Set(c.members.map(memberKey)),
        atMs,
        endedAtMs: Number.POSITIVE_INFINITY,
      };
      this.recent.push(mine);
      while (
        this.recent.length > MAX_RECENT ||
        (this.recent.length > 0 && atMs - this.recent[0]!.atMs > RECENT_WINDOW_MS)
      )
        this.recent.shift();
    }
    for (const other of this.recent) {
      if (other === mine || other.node === mine.node) continue;
      // Both live at once: each sent before the other ended.
      if (!(mine.atMs < other.endedAtMs && other.atMs < mine.endedAtMs)) continue;
      if (![...mine.members].some((m) => other.members.has(m))) continue;
      const pair = [key, other.key].sort() as [string, string];
      const pairKey = pair.join('+');
      if (this.pairs.has(pairKey)) continue;
      this.pairs.add(pairKey);
      if (this.pairs.size > 4 * MAX_RECENT) this.pairs.delete(this.pairs.values().next().value!);
      const partner = mine.node === this.self ? other.node : mine.node;
      const lost = this.links.wasLost(partner, mine.atMs) || this.links.wasLost(partner, other.atMs);
      this.counts[lost ? 'lost' : 'linked']++;
      out.push({ kind: 'duplicate-engagement', atMs, claims: pair, coordination: lost ? 'lost' : 'linked' });
    }
    return out;
  }

  /** A committed claim ended at `atMs`. */
  ended(c: HeldClaim, atMs: number): void {
    const key = `${c.node}:${c.claimId}`;
    const r = this.recent.find((x) => x.key === key);
    if (r !== undefined && r.endedAtMs === Number.POSITIVE_INFINITY) r.endedAtMs = atMs;
  }
}
