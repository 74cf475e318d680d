import type { MemberRef, RequestIntent } from './intent-schema.js';

/** Where a partner's engagement request stands. */
export type RequestState = 'pending' | 'accepted' | 'refused' | 'expired';

/** A partner's request as the node's operators see it. */
export interface HeldRequest {
  readonly from: string;
  readonly requestId: string;
  readonly jointTrackId: number;
  readonly members: readonly MemberRef[];
  readonly reason: string;
  readonly expiresAtMs: number;
  /** This node's track the request names (found through its members), or null when none matches. */
  localTrackId: number | null;
  state: RequestState;
  /** Who answered (from the signed, core-accepted operator command), else empty. */
  operatorIds: readonly string[];
}

/** Most requests held; the oldest answered ones go first. */
export const MAX_REQUESTS = 64;

/**
 * Partner engagement requests: advisory only. A request is held and shown; it never becomes a
 * control input. It is answered only by this node's own operators through the ordinary signed
 * command path (verified by the bridge, accepted by the core's two-person rules): an accepted
 * `engage-track` of the named track accepts it, an accepted `hold-fire` or `cease-fire` of it
 * refuses it; unanswered, it expires.
 */
export class PartnerRequests {
  private readonly held = new Map<string, HeldRequest>();

  take(from: string, r: RequestIntent, localTrackId: number | null): HeldRequest {
    const key = `${from}|${r.requestId}`;
    const old = this.held.get(key);
    if (old !== undefined) return old; // a request is taken once; its answer does not change
    const req: HeldRequest = {
      from,
      requestId: r.requestId,
      jointTrackId: r.jointTrackId,
      members: r.members,
      reason: r.reason,
      expiresAtMs: Date.parse(r.expiresAt),
      localTrackId,
      state: 'pending',
      operatorIds: [],
    };
    this.held.set(key, req);
    while (this.held.size > MAX_REQUESTS) {
      const victim = [...this.held.entries()].find(([, h]) => h.state !== 'pending') ?? [...this.held.entries()][0]!;
      this.held.delete(victim[0]);
    }
    return req;
  }

  /** An operator command the core accepted: the pending requests it answers. */
  answer(verb: string, trackId: number, operatorIds: readonly string[], nowMs: number): HeldRequest[] {
    const state: RequestState | null =
      verb === 'engage-track' ? 'accepted' : verb === 'hold-fire' || verb === 'cease-fire' ? 'refused' : null;
    if (state === null) return [];
    const out: HeldRequest[] = [];
    for (const r of this.held.values()) {
      if (r.state !== 'pending' || r.localTrackId !== trackId || nowMs >= r.expiresAtMs) continue;
      r.state = state;
      r.operatorIds = [...operatorIds];
      out.push(r);
    }
    return out;
  }

  /** Pending requests that expired at `nowMs`. */
  expire(nowMs: number): HeldRequest[] {
    const out: HeldRequest[] = [];
    for (const r of this.held.values())
      if (r.state === 'pending' && nowMs >= r.expiresAtMs) {
        r.state = 'expired';
        out.push(r);
      }
    return out;
  }

  list(): HeldRequest[] {
    return [...this.held.values()];
  }
}
