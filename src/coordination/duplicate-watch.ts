import type { HeldClaim } from './claim-book.js';
import type { DuplicateEngagementEvent } from './coordination-events.js';
import { memberKey } from './deconfliction.js';
import type { MemberRef } from './intent-schema.js';
import type { PartnerLinks } from './partner-links.js';

const RECENT_WINDOW_MS = 120_000;
const MAX_RECENT = 256;
/** Most joined names remembered; past it the memory starts again (empty). */
export const MAX_MEMBER_ALIASES = 4096;

interface Fire {
  readonly key: string;
  readonly node: string;
  readonly members: ReadonlySet<string>;
  readonly atMs: number;
  endedAtMs: number;
}

/**
 * Finds duplicate engagements: two FIREs of different nodes on the same threat that were live at
 * once — the later one sent before the earlier one's claim ended. A FIRE after the other claim's
 * result or release is a second look, not a duplicate. Each pair is counted once, as `linked`
 * when coordination with the partner was live at both FIREs, else `lost`; pairs learnt late (a
 * partner's snapshot after a partition) still count. Remembers the FIREs of the last two minutes
 * (at most 256).
 *
 * "The same threat": the claims' members meet, or they name one track of this node. A claim's
 * members are fixed when it is made, so two nodes that claimed a threat before their pictures
 * fused it (or while their link was down, when a node's picture holds no partner track) name it
 * apart; this node's own picture joins the names: the members its threat views ever put on one
 * of its tracks, and that track, name one threat, and so (transitively) does every name joined
 * to them ({@link learn}; at most {@link MAX_MEMBER_ALIASES} names, then the memory starts
 * again). FIREs already seen are judged again when names are joined ({@link recheck}). Counting
 * only: nothing here holds fire or changes an owner.
 */
export class DuplicateWatch {
  private readonly recent: Fire[] = [];
  private readonly pairs = new Set<string>();
  /** Names joined by this node's views (union–find: name → a name of the same threat nearer the root). */
  private readonly parent = new Map<string, string>();
  private learnt = false;
  readonly counts = { linked: 0, lost: 0 };

  constructor(
    private readonly self: string,
    private readonly links: PartnerLinks,
  ) {}

  /** This node's track `trackId` holds these members now (its threat view): all name one threat. */
  learn(trackId: number, members: readonly MemberRef[]): void {
    const track = `#${trackId}`;
    for (const m of members) this.union(track, memberKey(m));
  }

  /**
   * The claim `c` became committed, its FIRE sent at `atMs`: the duplicates it makes. A claim
   * seen again (restated in a snapshot) keeps the times first learnt.
   */
  committed(c: HeldClaim, atMs: number): DuplicateEngagementEvent[] {
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
    const out: DuplicateEngagementEvent[] = [];
    const names = this.namesOf(mine);
    for (const other of this.recent) {
      if (other === mine) continue;
      const e = this.judge(mine, names, other, this.namesOf(other), atMs);
      if (e !== null) out.push(e);
    }
    return out;
  }

  /** A committed claim ended at `atMs`. */
  ended(c: HeldClaim, atMs: number): void {
    const key = `${c.node}:${c.claimId}`;
    const r = this.recent.find((x) => x.key === key);
    if (r !== undefined && r.endedAtMs === Number.POSITIVE_INFINITY) r.endedAtMs = atMs;
  }

  /** After new names were learnt: the duplicates among the remembered FIREs they reveal (at `nowMs`). */
  recheck(nowMs: number): DuplicateEngagementEvent[] {
    if (!this.learnt) return [];
    this.learnt = false;
    const names = this.recent.map((r) => this.namesOf(r));
    const out: DuplicateEngagementEvent[] = [];
    for (let i = 0; i < this.recent.length; i++)
      for (let j = i + 1; j < this.recent.length; j++) {
        const e = this.judge(this.recent[i]!, names[i]!, this.recent[j]!, names[j]!, nowMs);
        if (e !== null) out.push(e);
      }
    return out;
  }

  /** A FIRE's names: the threats (sets of names joined by this node's views) its members belong to. */
  private namesOf(fire: Fire): Set<string> {
    const names = new Set<string>();
    for (const k of fire.members) {
      names.add(this.find(k));
      if (k.startsWith(`${this.self}|`)) names.add(this.find(`#${k.slice(this.self.length + 1)}`));
    }
    return names;
  }

  private find(name: string): string {
    let root = name;
    for (let up = this.parent.get(root); up !== undefined; up = this.parent.get(root)) root = up;
    // Path compression: every name on the way points at the root.
    for (let n = name, up = this.parent.get(n); up !== undefined && up !== root; up = this.parent.get(n)) {
      this.parent.set(n, root);
      n = up;
    }
    return root;
  }

  private union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    if (this.parent.size >= MAX_MEMBER_ALIASES) this.parent.clear();
    // The smaller name becomes the root: the same joins give the same roots in any order.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
    this.learnt = true;
  }

  private judge(
    a: Fire,
    aNames: ReadonlySet<string>,
    b: Fire,
    bNames: ReadonlySet<string>,
    atMs: number,
  ): DuplicateEngagementEvent | null {
    if (a.node === b.node) return null;
    // Both live at once: each sent before the other ended.
    if (!(a.atMs < b.endedAtMs && b.atMs < a.endedAtMs)) return null;
    const pair = [a.key, b.key].sort() as [string, string];
    const pairKey = pair.join('+');
    if (this.pairs.has(pairKey)) return null;
    if (![...aNames].some((n) => bNames.has(n))) return null;
    this.pairs.add(pairKey);
    if (this.pairs.size > 4 * MAX_RECENT) this.pairs.delete(this.pairs.values().next().value!);
    const partner = a.node === this.self ? b.node : a.node;
    const lost = this.links.wasLost(partner, a.atMs) || this.links.wasLost(partner, b.atMs);
    this.counts[lost ? 'lost' : 'linked']++;
    return { kind: 'duplicate-engagement', atMs, claims: pair, coordination: lost ? 'lost' : 'linked' };
  }
}
