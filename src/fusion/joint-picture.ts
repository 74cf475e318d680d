/**
 * The node's hook into fusion: keeps the latest local tracks and the latest report of every
 * partner track, and yields the joint picture at a tick. Partner reports arrive whenever the
 * network delivers them (out of order too); the picture fuses what is held at the tick time.
 *
 * Bounded: at most `maxPartnerTracks` partner tracks are held (beyond that a report of a new
 * track is refused and counted); a partner track not refreshed within `partnerTimeoutUs` is
 * forgotten at the next tick, and so is every track of a partner node that is marked down.
 */
import type { FusionOptions, FusionUpdate } from './fusion-options.js';
import { TrackFuser } from './track-fuser.js';
import { type LocalTrack, type PartnerTrack, isWellFormed } from './tracks.js';

/** Settings of a {@link JointPicture}: the fusion's, plus the partner store's bounds. */
export interface JointPictureOptions extends FusionOptions {
  /** A partner track not refreshed for this long is dropped at the next tick. Default 10 s. */
  readonly partnerTimeoutUs?: number;
  /** At most this many partner tracks are held. Default 10,000. */
  readonly maxPartnerTracks?: number;
}

/** What {@link JointPicture.offerPartner} did with a report. */
export type OfferResult = 'held' | 'replaced' | 'older-than-held' | 'malformed' | 'store-full';

/** The local + partner track store and its fuser. */
export class JointPicture {
  private readonly fuser: TrackFuser;
  private readonly partners = new Map<string, PartnerTrack>();
  private locals: readonly LocalTrack[] = [];
  private readonly timeoutUs: number;
  private readonly maxPartners: number;
  /** Reports refused because the store was full, since construction. */
  refusedFull = 0;

  /** Throws FusionConfigError / GeoError for bad options (see {@link TrackFuser}). */
  constructor(options: JointPictureOptions) {
    this.fuser = new TrackFuser(options);
    this.timeoutUs = options.partnerTimeoutUs ?? 10_000_000;
    this.maxPartners = options.maxPartnerTracks ?? 10_000;
  }

  /** Replaces the local tracks (the tracker's current picture). */
  setLocalTracks(tracks: readonly LocalTrack[]): void {
    this.locals = tracks;
  }

  /**
   * Holds a partner report: the newest per (node, track) is kept (an older report of a held
   * track is not: its information is in the newer one). Never throws.
   */
  offerPartner(report: PartnerTrack): OfferResult {
    if (!isWellFormed(report) || report.kind !== 'partner') return 'malformed';
    const key = `${report.pedigree.nodeId}|${report.trackId}`;
    const held = this.partners.get(key);
    if (held !== undefined) {
      if (report.tovUs <= held.tovUs) return 'older-than-held';
      this.partners.set(key, report);
      return 'replaced';
    }
    if (this.partners.size >= this.maxPartners) {
      this.refusedFull++;
      return 'store-full';
    }
    this.partners.set(key, report);
    return 'held';
  }

  /** Forgets every track of `nodeId` (its link is down or stale). Returns how many. */
  dropPartner(nodeId: string): number {
    let n = 0;
    for (const [key, t] of this.partners)
      if (t.pedigree.nodeId === nodeId) {
        this.partners.delete(key);
        n++;
      }
    return n;
  }

  /** Partner tracks held now. */
  get partnerCount(): number {
    return this.partners.size;
  }

  /**
   * The joint picture at `tickUs` (UTC µs): drops partner tracks older than the timeout, then
   * fuses the local tracks with the partner tracks held.
   */
  tick(tickUs: number): FusionUpdate {
    for (const [key, t] of this.partners) if (tickUs - t.tovUs > this.timeoutUs) this.partners.delete(key);
    return this.fuser.fuse(tickUs, this.locals, [...this.partners.values()]);
  }
}
