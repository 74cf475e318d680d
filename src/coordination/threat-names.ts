import type { ThreatView } from './coordination-types.js';
import { memberKey } from './deconfliction.js';
import type { MemberRef } from './intent-schema.js';

/** Most members a track keeps as its names. */
const MAX_NAMES_PER_TRACK = 64;

/**
 * The names of this node's threats: which own track every member (a node's track id) stands for.
 * A track keeps every member its views ever held while it lives — at most 64 — so a partner track
 * fused with it stays one of its names when the partner falls silent and the picture drops the
 * partner's tracks. A track that leaves the picture loses its names.
 */
export class ThreatNames {
  private readonly self: string;
  private readonly threats = new Map<number, ThreatView>();
  private readonly trackOfMember = new Map<string, number>();
  private readonly namesOfTrack = new Map<number, Map<string, MemberRef>>();

  constructor(selfId: string) {
    this.self = selfId;
  }

  /** The threats now (replaces the previous set); returns each view with all the names it keeps. */
  set(views: readonly ThreatView[]): ThreatView[] {
    this.threats.clear();
    this.trackOfMember.clear();
    const names = new Map<number, Map<string, MemberRef>>();
    const out: ThreatView[] = [];
    for (const v of views) {
      const known = this.namesOfTrack.get(v.trackId) ?? new Map<string, MemberRef>();
      for (const m of v.members) if (known.size < MAX_NAMES_PER_TRACK) known.set(memberKey(m), { ...m });
      names.set(v.trackId, known);
      const view: ThreatView = { ...v, members: [...known.values()] };
      this.threats.set(v.trackId, view);
      for (const m of view.members) this.trackOfMember.set(memberKey(m), v.trackId);
      out.push(view);
    }
    this.namesOfTrack.clear();
    for (const [trackId, known] of names) this.namesOfTrack.set(trackId, known);
    return out;
  }

  /** The view of own track `trackId`, if it is a threat now. */
  get(trackId: number): ThreatView | undefined {
    return this.threats.get(trackId);
  }

  /** The names of own track `trackId` (just its own id when it is not a known threat). */
  membersOf(trackId: number): MemberRef[] {
    const view = this.threats.get(trackId);
    return view === undefined ? [{ node: this.self, trackId: String(trackId) }] : view.members.map((m) => ({ ...m }));
  }

  /** The own track a member key names: a known name, or this node's own id of a track. */
  trackOf(key: string): number | undefined {
    const t = this.trackOfMember.get(key);
    if (t !== undefined) return t;
    const own = `${this.self}|`;
    if (!key.startsWith(own)) return undefined;
    const n = Number(key.slice(own.length));
    return Number.isInteger(n) && n >= 0 ? n : undefined;
  }
}
