/** The state of coordination with one partner. */
export type CoordinationLinkState = 'never-heard' | 'live' | 'lost';

/** A change of a partner link's state (status, display, recording). */
export interface CoordinationLinkChange {
  readonly kind: 'coordination-lost' | 'coordination-restored';
  readonly partnerId: string;
  readonly from: CoordinationLinkState;
  /** UTC ms of the change. */
  readonly atMs: number;
  /** Time since the last valid intent message, ms (null: none ever). */
  readonly silentForMs: number | null;
}

/** Lost intervals remembered per partner (for classifying duplicates after the fact). */
const MAX_INTERVALS = 32;

/**
 * Liveness of coordination per partner: `live` from the first valid intent message (heartbeats
 * count), `lost` after `staleAfterMs` without one, `live` again at the next. Remembers the last
 * lost intervals, so a duplicate engagement found after the link returned is still classified by
 * the link state at the time of the FIRE. Time is UTC ms from the caller (no clock here).
 */
export class PartnerLinks {
  private readonly links = new Map<
    string,
    {
      state: CoordinationLinkState;
      lastMs: number | null;
      lostFromMs: number;
      /** UTC ms of the last change of state (null: never heard). */
      sinceMs: number | null;
      lost: [number, number][];
    }
  >();

  constructor(
    partnerIds: readonly string[],
    private readonly staleAfterMs: number,
  ) {
    for (const id of partnerIds)
      this.links.set(id, { state: 'never-heard', lastMs: null, lostFromMs: 0, sinceMs: null, lost: [] });
  }

  /** A valid message from `partnerId` at `nowMs`; returns the change it makes, if any. */
  heard(partnerId: string, nowMs: number): CoordinationLinkChange | null {
    const l = this.links.get(partnerId);
    if (l === undefined) return null;
    const silent = l.lastMs === null ? null : nowMs - l.lastMs;
    l.lastMs = nowMs;
    if (l.state === 'live') return null;
    const from = l.state;
    if (from === 'lost') {
      l.lost.push([l.lostFromMs, nowMs]);
      if (l.lost.length > MAX_INTERVALS) l.lost.shift();
    }
    l.state = 'live';
    l.sinceMs = nowMs;
    return { kind: 'coordination-restored', partnerId, from, atMs: nowMs, silentForMs: silent };
  }

  /** The live links that turned lost at `nowMs`. */
  poll(nowMs: number): CoordinationLinkChange[] {
    const out: CoordinationLinkChange[] = [];
    for (const [partnerId, l] of this.links) {
      if (l.state !== 'live' || l.lastMs === null || nowMs - l.lastMs < this.staleAfterMs) continue;
      l.state = 'lost';
      l.lostFromMs = l.lastMs + this.staleAfterMs;
      l.sinceMs = nowMs;
      out.push({ kind: 'coordination-lost', partnerId, from: 'live', atMs: nowMs, silentForMs: nowMs - l.lastMs });
    }
    return out;
  }

  /**
   * `partnerId`'s link as status shows it: its state, since when (UTC ms of the change; null while
   * never heard) and the last valid message (UTC ms; null: none).
   */
  detail(
    partnerId: string,
  ): { state: CoordinationLinkState; sinceMs: number | null; lastHeardMs: number | null } | undefined {
    const l = this.links.get(partnerId);
    return l === undefined ? undefined : { state: l.state, sinceMs: l.sinceMs, lastHeardMs: l.lastMs };
  }

  state(partnerId: string): CoordinationLinkState | undefined {
    return this.links.get(partnerId)?.state;
  }

  /** Whether coordination with `partnerId` was lost (or never there) at `atMs`. */
  wasLost(partnerId: string, atMs: number): boolean {
    const l = this.links.get(partnerId);
    if (l === undefined) return true;
    if (l.state !== 'live' && (l.state === 'never-heard' || atMs >= l.lostFromMs)) return true;
    return l.lost.some(([from, to]) => atMs >= from && atMs < to);
  }

  ids(): string[] {
    return [...this.links.keys()];
  }
}
