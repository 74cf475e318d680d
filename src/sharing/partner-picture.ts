import type { SharedTrackEntry, SharedTracksPayload } from './shared-tracks-schema.js';

/** The state of one partner's picture. */
export type PartnerPictureState = 'never-heard' | 'live' | 'stale';

/** A change of a partner picture's state (a status field, a display badge, a recording event). */
export interface PartnerPictureChange {
  readonly partnerId: string;
  readonly from: PartnerPictureState;
  readonly to: PartnerPictureState;
  /** Host monotonic time of the change, µs. */
  readonly atUs: number;
  /** Time since the last valid message, µs (null when none was ever had). */
  readonly silentForUs: number | null;
}

/** What status says about one partner. */
export interface PartnerPictureStatus {
  readonly state: PartnerPictureState;
  readonly tracks: number;
  readonly silentForMs: number | null;
}

/** A partner track as the node holds it: the entry and when it arrived (host µs). */
export interface HeldPartnerTrack {
  readonly partnerId: string;
  readonly entry: SharedTrackEntry;
  readonly receivedAtUs: number;
}

/** Most tracks held per partner (the oldest by time of validity go first). */
export const MAX_TRACKS_PER_PARTNER = 2_000;

/**
 * Each partner's picture: the latest entry per partner track id (only what passed intake), and
 * whether the picture is `live` or `stale` — stale after `staleAfterUs` without a valid message
 * (an empty message counts: it says the partner is there with nothing to release). A stale picture
 * is kept but marked, so the node goes on alone and says so; the next valid message makes it live
 * again by itself. Host time only (the injected clock), so virtual runs are deterministic.
 */
export class PartnerPictures {
  private readonly partners = new Map<
    string,
    { state: PartnerPictureState; lastValidUs: number | null; tracks: Map<string, HeldPartnerTrack> }
  >();

  constructor(
    partnerIds: readonly string[],
    private readonly staleAfterUs: number,
  ) {
    for (const id of partnerIds) this.partners.set(id, { state: 'never-heard', lastValidUs: null, tracks: new Map() });
  }

  /** Take an accepted message; returns the state change it makes (stale/never-heard → live), if any. */
  take(partnerId: string, message: SharedTracksPayload, nowUs: number): PartnerPictureChange | null {
    const p = this.partners.get(partnerId);
    if (p === undefined) return null;
    for (const entry of message.tracks) p.tracks.set(entry.trackId, { partnerId, entry, receivedAtUs: nowUs });
    if (p.tracks.size > MAX_TRACKS_PER_PARTNER) {
      const byAge = [...p.tracks.values()].sort((a, b) => Date.parse(a.entry.validAt) - Date.parse(b.entry.validAt));
      for (const old of byAge.slice(0, p.tracks.size - MAX_TRACKS_PER_PARTNER)) p.tracks.delete(old.entry.trackId);
    }
    const silent = p.lastValidUs === null ? null : nowUs - p.lastValidUs;
    p.lastValidUs = nowUs;
    if (p.state === 'live') return null;
    const change = { partnerId, from: p.state, to: 'live' as const, atUs: nowUs, silentForUs: silent };
    p.state = 'live';
    return change;
  }

  /** Call periodically: the live pictures that have turned stale at `nowUs`. */
  poll(nowUs: number): PartnerPictureChange[] {
    const changes: PartnerPictureChange[] = [];
    for (const [partnerId, p] of this.partners) {
      if (p.state !== 'live' || p.lastValidUs === null) continue;
      if (nowUs - p.lastValidUs >= this.staleAfterUs) {
        changes.push({ partnerId, from: 'live', to: 'stale', atUs: nowUs, silentForUs: nowUs - p.lastValidUs });
        p.state = 'stale';
      }
    }
    return changes;
  }

  state(partnerId: string): PartnerPictureState | undefined {
    return this.partners.get(partnerId)?.state;
  }

  /** The held tracks of one partner (empty for an unknown one). */
  tracks(partnerId: string): HeldPartnerTrack[] {
    return [...(this.partners.get(partnerId)?.tracks.values() ?? [])];
  }

  /** True when every partner's picture is stale or was never heard: the node is on its own. */
  alone(): boolean {
    return [...this.partners.values()].every((p) => p.state !== 'live');
  }

  status(nowUs: number): Record<string, PartnerPictureStatus> {
    const out: Record<string, PartnerPictureStatus> = {};
    for (const [id, p] of this.partners) {
      out[id] = {
        state: p.state,
        tracks: p.tracks.size,
        silentForMs: p.lastValidUs === null ? null : Math.round((nowUs - p.lastValidUs) / 1000),
      };
    }
    return out;
  }
}
