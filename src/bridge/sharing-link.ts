import { JointTrackFacts } from './joint-track-facts.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { LocalFrame } from '../geo/index.js';
import {
  type IntakeCounters,
  type PartnerPictureChange,
  type PartnerPictureStatus,
  PartnerIntake,
  PartnerPictures,
  PartnerRelease,
  type SharingConfig,
  type TrackForRelease,
  type UnsignedSharedTracks,
  MAX_SHARED_MESSAGE_BYTES,
  SHARED_TRACKS_KIND,
} from '../sharing/index.js';
import type { BrokerLink, InboundMessage } from './broker-link.js';
import type { TrackPicture } from './bridge-source.js';
import type { NodeKey, NodePublicKey } from './node-key.js';
import { isoOf } from './payload-sanitizer.js';
import type { SharingStatusPayload } from './schemas/status-payload.js';
import { TOPIC_ROOT } from './topic-tree.js';

/** `shieldlink/v1/<node>/shared/tracks/<partner>`: what `node` releases to `partner`. */
export function sharedTracksTopic(nodeId: string, partnerId: string): string {
  return `${TOPIC_ROOT}/${nodeId}/shared/tracks/${partnerId}`;
}

/** What a node subscribes to for its partners' releases (one filter per partner). */
export function sharedTracksInFilters(selfId: string, partnerIds: readonly string[]): string[] {
  return partnerIds.map((p) => sharedTracksTopic(p, selfId));
}

/** Told about every partner-picture change and every dropped message (status, display, recording). */
export interface SharingEvents {
  pictureChanged?(change: PartnerPictureChange): void;
  dropped?(partnerId: string | null, reason: string, detail: string): void;
}

/** `partners` of the status: per partner its picture and intake counters, and whether the node is alone. */
export interface SharingStatus {
  readonly alone: boolean;
  readonly partners: Record<string, PartnerPictureStatus & { readonly intake: IntakeCounters; readonly sent: number }>;
  readonly unknownSenders: IntakeCounters;
}

export interface SharingLinkOptions {
  readonly nodeKey: NodeKey;
  readonly frame: LocalFrame;
  readonly config: SharingConfig;
  /** Public key per partner id (from `partners[].publicKey`). */
  readonly partnerKeys: ReadonlyMap<string, NodePublicKey>;
  readonly clock: Clock;
  /** UTC now, ms (the bench's wall clock; virtual runs give a virtual one). */
  readonly wallClock: () => number;
  /** Staleness is checked this often, ms (default 100). */
  readonly pollMs?: number;
  readonly events?: SharingEvents;
}

/**
 * The MQTT side of a joint picture, for one node: signs and publishes each partner's release on
 * `shared/tracks/<partner>` (QoS 1, not retained), takes the partners' releases through
 * {@link PartnerIntake} into {@link PartnerPictures}, and watches their staleness on the clock.
 *
 * The link to the broker is the caller's (`MqttBrokerLink` subscribed to
 * {@link sharedTracksInFilters}); messages are handed in by {@link message}. Nothing a partner
 * sends can throw out of here: everything is counted and dropped with a reason, or held.
 */
export class SharingLink {
  readonly intake: PartnerIntake;
  readonly pictures: PartnerPictures;
  /** The node's fusion's associations, added to its fused tracks on `tracks` (set by the joint node). */
  readonly jointFacts = new JointTrackFacts();
  private readonly releases: PartnerRelease[];
  private readonly sent = new Map<string, number>();
  private readonly seqs = new Map<string, number>();
  private readonly bootId: string;
  private timer: TimerHandle | null = null;
  private link: BrokerLink | null = null;
  private readonly listeners: SharingEvents[] = [];

  constructor(private readonly options: SharingLinkOptions) {
    const self = options.nodeKey.nodeId;
    const partners = options.config.partners;
    this.bootId = `${self}-${options.wallClock().toString(36)}`.slice(0, 64);
    this.releases = partners.flatMap((p) =>
      p.release === undefined ? [] : [new PartnerRelease(self, p.id, p.release, options.frame)],
    );
    this.intake = new PartnerIntake({
      selfId: self,
      maxBytes: MAX_SHARED_MESSAGE_BYTES,
      futureToleranceMs: options.config.futureToleranceMs,
      maxAgeMs: options.config.maxAgeMs,
      partners: partners.map((p) => {
        const key = options.partnerKeys.get(p.id);
        return {
          id: p.id,
          // A partner without a key is refused: every message is 'bad-signature'.
          verify:
            key === undefined || key.nodeId !== p.id ? () => 'bad-signature' : (payload) => key.verifyPayload(payload),
          ...(p.declared === undefined ? {} : { declared: p.declared }),
        };
      }),
    });
    if (options.events !== undefined) this.listeners.push(options.events);
    this.pictures = new PartnerPictures(
      partners.map((p) => p.id),
      options.config.staleAfterMs * US_PER_MS,
    );
  }

  /** The topic filters to subscribe to. */
  get subscriptions(): string[] {
    return sharedTracksInFilters(
      this.options.nodeKey.nodeId,
      this.options.config.partners.map((p) => p.id),
    );
  }

  /**
   * Start publishing through `link` and polling staleness every `pollMs`; with `picture`, each
   * poll also offers the node's latest picture (the releases' rates decide what goes).
   */
  start(link: BrokerLink, picture?: () => readonly TrackForRelease[]): void {
    this.link = link;
    const period = (this.options.pollMs ?? 100) * US_PER_MS;
    const poll = (): void => {
      for (const change of this.pictures.poll(this.options.clock.nowUs())) this.changed(change);
      if (picture !== undefined) this.offer(picture());
      this.timer = this.options.clock.setTimer(period, poll);
    };
    this.timer = this.options.clock.setTimer(period, poll);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.link = null;
  }

  /**
   * Offer the node's current picture: each partner whose rate allows gets its release, signed.
   * Returns the number of messages published. Nothing is queued while the broker is away.
   */
  offer(tracks: readonly TrackForRelease[]): number {
    const link = this.link;
    if (link === null || !link.connected) return 0;
    const nowMs = this.options.wallClock();
    let published = 0;
    for (const release of this.releases) {
      const result = release.release(tracks, nowMs);
      if (result === null) continue;
      const seq = (this.seqs.get(release.partnerId) ?? 0) + 1;
      this.seqs.set(release.partnerId, seq);
      const unsigned: UnsignedSharedTracks = {
        v: 1,
        kind: SHARED_TRACKS_KIND,
        nodeId: this.options.nodeKey.nodeId,
        to: release.partnerId,
        bootId: this.bootId,
        seq,
        sentAt: isoOf(nowMs),
        tracks: [...result.entries],
      };
      const payload = JSON.stringify(this.options.nodeKey.signPayload(unsigned));
      link.publish(
        { topic: sharedTracksTopic(this.options.nodeKey.nodeId, release.partnerId), payload, qos: 1, retain: false },
        () => undefined,
      );
      this.sent.set(release.partnerId, (this.sent.get(release.partnerId) ?? 0) + 1);
      published += 1;
    }
    return published;
  }

  /** Be told of picture changes and drops too (the bridge republishes its status on a change). */
  listen(events: SharingEvents): void {
    this.listeners.push(events);
  }

  private changed(change: PartnerPictureChange): void {
    for (const l of this.listeners) l.pictureChanged?.(change);
  }

  /** Whether `topic` is one of the partner releases this link takes. */
  takes(topic: string): boolean {
    return this.subscriptions.includes(topic);
  }

  /** A message from a subscription: through intake into the partner picture, or dropped. Never throws. */
  message(message: InboundMessage): void {
    const verdict = this.intake.accept(message.topic, message.payload, this.options.wallClock());
    if (!verdict.ok) {
      for (const l of this.listeners) l.dropped?.(verdict.partnerId, verdict.reason, verdict.detail);
      return;
    }
    const change = this.pictures.take(verdict.partnerId, verdict.message, this.options.clock.nowUs());
    if (change !== null) this.changed(change);
  }

  status(): SharingStatus {
    const counters = this.intake.counters();
    const pictures = this.pictures.status(this.options.clock.nowUs());
    const partners: SharingStatus['partners'] = {};
    for (const [id, p] of Object.entries(pictures)) {
      partners[id] = { ...p, intake: counters[id]!, sent: this.sent.get(id) ?? 0 };
    }
    return { alone: this.pictures.alone(), partners, unknownSenders: counters['*']! };
  }

  /** The `sharing` member of the node's status (compact: counts, no details). */
  statusPayload(): SharingStatusPayload {
    const s = this.status();
    const partners: SharingStatusPayload['partners'] = {};
    for (const [id, p] of Object.entries(s.partners)) {
      partners[id] = {
        state: p.state,
        tracks: p.tracks,
        silentForMs: p.silentForMs,
        sent: p.sent,
        accepted: p.intake.accepted,
        dropped: { ...(p.intake.dropped as Record<string, number>) },
      };
    }
    const unknown = Object.values(s.unknownSenders.dropped).reduce((a, b) => a + (b ?? 0), 0);
    return { alone: s.alone, partners, droppedUnknown: unknown };
  }
}

const ORIGINS = new Set(['local', 'partner', 'fused']);

/**
 * The host picture as the release step sees it. A track's `detail.origin` says where it comes
 * from (`local`: the node's own sensors; `partner`; `fused`) and `detail.sensor` (or
 * `detail.radarId`) which sensor. Fail closed: a track without an origin, or with any other
 * value, is treated as `fused` — never released (the session's publisher tags the core's own
 * tracks `local`). Its time of validity in UTC is the wall time of
 * `estimateTimeUs` (the one clock's offset to the wall clock now).
 */
export function releasableTracks(picture: TrackPicture, nowUs: number, wallMs: number): TrackForRelease[] {
  return picture.tracks.map((track) => {
    const detail = track.detail ?? {};
    const origin = detail['origin'];
    const sensor = detail['sensor'] ?? detail['radarId'];
    return {
      trackId: track.trackId,
      validAtMs: wallMs - (nowUs - track.estimateTimeUs) / US_PER_MS,
      identity: track.iff,
      quality: track.quality,
      positionEnuM: { eastM: track.eastM, northM: track.northM, upM: track.upM },
      velocityEnuMps: { eastM: track.eastMps, northM: track.northMps, upM: track.upMps },
      sensors: typeof sensor === 'string' ? [sensor] : [],
      origin: typeof origin === 'string' && ORIGINS.has(origin) ? (origin as TrackForRelease['origin']) : 'fused',
    };
  });
}
