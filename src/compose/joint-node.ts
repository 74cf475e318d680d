import type { CoreSnapshot } from '../session/tick-record-codec.js';
import type { TrackCovarianceSnapshot } from '../control/index.js';
import { type JointTrack, JointPicture, type PartnerTrack, selectReleasableLocalTracks } from '../fusion/index.js';
import { LocalFrame } from '../geo/index.js';
import { SharingLink } from '../bridge/sharing-link.js';
import type { NodeKey, NodePublicKey } from '../bridge/node-key.js';
import type { PictureSample } from '../session/picture-sampler.js';
import type { SessionObserver } from '../session/hil-session.js';
import type { ControlInput } from '../control/control-inputs.js';
import type { SharingConfig } from '../sharing/index.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { ThreatView } from '../coordination/index.js';
import type { InterNodeLink, NodeMessage } from './inter-node-link.js';
import type { FusedTrackSample } from './joint-nees.js';
import { type AssociatedMember, JointMemberPositions } from './joint-member-positions.js';
import { JointPlanTrace } from './joint-plan-trace.js';
import { InterNodeBrokerLink } from './inter-node-broker-link.js';
import { JointPictureSamples } from './joint-picture-samples.js';
import {
  type RadarAccuracy,
  localTrackOf,
  partnerFeedMeasurement,
  partnerTrackOf,
  trackForRelease,
} from './joint-track-conversions.js';

/** The core's source id for what a partner node shares (a track-measurement feed). */
export function partnerFeedId(partnerId: string): string {
  return `partner.${partnerId}`;
}

/** Options of a {@link JointNode}. */
export interface JointNodeOptions {
  readonly nodeId: string;
  readonly site: { readonly latDeg: number; readonly lonDeg: number; readonly heightM: number };
  readonly clock: Clock;
  /** UTC ms now (the run's virtual wall clock). */
  readonly wallClock: () => number;
  readonly nodeKey: NodeKey;
  readonly partnerKeys: ReadonlyMap<string, NodePublicKey>;
  readonly sharing: SharingConfig;
  /** This node's own radars (ids and accuracy). */
  readonly radars: ReadonlyMap<string, RadarAccuracy>;
  /**
   * Where the node's partner picture comes from, one of two:
   * - `link`: the in-process inter-node link of a one-process joint run; the node runs its own
   *   sharing link over it (releases out, partner releases in);
   * - `sharingLink`: a sharing link already started on the node's own broker (a node process whose
   *   broker is bridged to its partners': the MQTT bridge publishes the releases and hands it the
   *   partners' messages). The node only fuses from its partner pictures and feeds its core; the
   *   bridge starts and stops that link.
   */
  readonly link?: InterNodeLink;
  readonly sharingLink?: SharingLink;
  /** Hands a control input to the node's core (the session's input path: recorded, replayed). */
  readonly emit: (input: ControlInput) => void;
  /** Per-source sequence numbers of the session's inputs. */
  readonly nextSeq: (sourceId: string) => number;
  /** Quality the node's own tracks are released with (`simulated` for a simulated bench). */
  readonly releaseQuality: string;
  /** Fusion period, µs (default 200 ms). */
  readonly fusionPeriodUs?: number;
  /** Joint and own-picture samples for scoring, this often, µs. */
  readonly samplePeriodUs: number;
  /** Whether the core takes partner-only joint tracks as a track feed (default true). */
  readonly feedCore?: boolean;
  /**
   * A partner track last carried by a message received this long (host µs) before the partner's
   * latest message has ended: every message is the partner's whole release, so a track it no
   * longer carries was dropped, destroyed or left the policy there. A lost message ends nothing
   * (the next one carries the track again); the margin only absorbs messages arriving close
   * together out of order. Default 250 ms (at 2 Hz a track missing from one message has ended).
   */
  readonly partnerTrackEndedAfterUs?: number;
  /** False: the node shares nothing and hears nothing (an unlinked run; default true). */
  readonly linked?: boolean;
  /**
   * Called after every fusion update with its joint tracks and each fused track's members where
   * they stood (by joint id): what a live display draws as association lines. Must not throw.
   */
  readonly onAssociations?: (
    tracks: readonly JointTrack[],
    members: ReadonlyMap<number, readonly AssociatedMember[]>,
  ) => void;
}

/** Where a message off the inter-node link goes besides the sharing link (by exact topic). */
export interface TopicReceiver {
  readonly subscriptions: readonly string[];
  receive(topic: string, payload: Uint8Array): void;
}

/** What a joint node counted over its run. */
export interface JointNodeCounters {
  readonly fusionUpdates: number;
  readonly fusedPairs: number;
  readonly outOfSequence: number;
  readonly partnerFeedMeasurements: number;
  readonly partnerFeedDrops: number;
  readonly releasesSent: number;
}

/**
 * One node of a joint run, on its session: publishes its releasable local tracks to each partner
 * through the sharing link (signed, under each partner's release policy) over the inter-node link,
 * takes the partners' releases through the intake gate into its partner pictures, and every
 * fusion period feeds its {@link JointPicture} with its own tracks plus the live partners' tracks.
 * Partner-only joint tracks (a threat the partner sees and this node does not) go to the core as
 * a track feed from `partner.<id>`, so the core tracks, evaluates and may engage them; the core's
 * tracks that such a feed touched are never released (no data incest). Samples the joint picture
 * and the node's own-radar picture for scoring against truth.
 */
export class JointNode implements SessionObserver {
  readonly sharingLink: SharingLink;
  readonly picture: JointPicture;
  /** The joint picture's tracks by source over the run, for plan views. */
  readonly planTrace = new JointPlanTrace();
  private readonly frame: LocalFrame;
  private readonly memberPositions: JointMemberPositions;
  private latest: CoreSnapshot['snapshot'] | null = null;
  private readonly estimates = new Map<number, TrackCovarianceSnapshot>();
  private timer: TimerHandle | null = null;
  private readonly samples: JointPictureSamples;
  private readonly fedTov = new Map<number, number>();
  private readonly feedIds = new Map<number, { readonly radarTrackId: number; readonly sourceId: string }>();
  private nextFeedId = 1;
  private lastJoint = new Map<number, JointTrack>();
  private readonly receivers = new Map<string, TopicReceiver>();
  private counts = {
    fusionUpdates: 0,
    fusedPairs: 0,
    outOfSequence: 0,
    partnerFeedMeasurements: 0,
    partnerFeedDrops: 0,
    releasesSent: 0,
  };

  constructor(private readonly options: JointNodeOptions) {
    this.frame = new LocalFrame(options.site);
    if (options.link === undefined && options.sharingLink === undefined)
      throw new Error('JointNode: a link or a sharing link is required');
    this.sharingLink =
      options.sharingLink ??
      new SharingLink({
        nodeKey: options.nodeKey,
        frame: this.frame,
        config: options.sharing,
        partnerKeys: options.partnerKeys,
        clock: options.clock,
        wallClock: options.wallClock,
      });
    this.picture = new JointPicture({ site: options.site, ownNodeId: options.nodeId });
    this.memberPositions = new JointMemberPositions(this.frame);
    this.samples = new JointPictureSamples(options.samplePeriodUs);
  }

  onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
    this.latest = snapshot;
    this.estimates.clear();
    for (const e of snapshot.covariances ?? []) this.estimates.set(e.trackId, e);
  }

  /** Messages off the link on `receiver.subscriptions` go to `receiver`, not the sharing link. Before {@link start}. */
  route(receiver: TopicReceiver): void {
    for (const topic of receiver.subscriptions) this.receivers.set(topic, receiver);
  }

  /** Attach to the inter-node link (unless unlinked) and start releasing and fusing. */
  start(): void {
    const { link, nodeId } = this.options;
    if (this.options.linked !== false && link !== undefined && this.options.sharingLink === undefined) {
      link.attach(nodeId, (message: NodeMessage) => {
        const receiver = this.receivers.get(message.topic);
        if (receiver !== undefined) {
          receiver.receive(message.topic, message.payload);
          return;
        }
        this.sharingLink.message({
          topic: message.topic,
          payload: message.payload,
          responseTopic: null,
          correlationData: null,
        });
      });
      this.sharingLink.start(new InterNodeBrokerLink(link, nodeId), () => this.releasable());
    }
    const period = this.options.fusionPeriodUs ?? 200_000;
    const tick = (): void => {
      this.fuse();
      this.timer = this.options.clock.setTimer(period, tick);
    };
    this.timer = this.options.clock.setTimer(period, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.options.linked !== false && this.options.sharingLink === undefined) this.sharingLink.stop();
  }

  /**
   * The core's live tracks as coordination's threats: each track's members are its own
   * `{ node: self, trackId }` plus every member of the joint tracks it is made of (the joint
   * track holding it as a local member, and the joint tracks a partner feed fed into it), so a
   * partner's claim on its own track of the same threat meets this node's. Must-fire-by: the
   * core's predicted impact minus `mustFireLeadMs` for a track threatening one of this node's
   * assets, else null.
   */
  threatViews(mustFireLeadMs: number): ThreatView[] {
    const snapshot = this.latest;
    if (snapshot === null) return [];
    const self = this.options.nodeId;
    const jointOfLocal = new Map<string, JointTrack>();
    for (const t of this.lastJoint.values())
      for (const m of t.members) if (m.kind === 'local') jointOfLocal.set(m.trackId, t);
    const jointOfFeed = new Map<string, number>();
    for (const [jointId, fed] of this.feedIds) jointOfFeed.set(`${fed.sourceId}|${fed.radarTrackId}`, jointId);
    const threatened = new Map<number, number>();
    for (const th of snapshot.threats ?? []) if (th.assets.length > 0) threatened.set(th.trackId, th.impactAtHostUs);
    const views: ThreatView[] = [];
    for (const track of snapshot.tracks) {
      if (track.destroyed) continue;
      const members = new Map<string, { node: string; trackId: string }>();
      const add = (node: string, trackId: string): void => {
        members.set(`${node}|${trackId}`, { node, trackId });
      };
      add(self, String(track.trackId));
      const joints = [jointOfLocal.get(String(track.trackId))];
      for (const r of track.radarTracks) {
        const jointId = jointOfFeed.get(`${r.radarId}|${r.radarTrackId}`);
        if (jointId !== undefined) joints.push(this.lastJoint.get(jointId));
      }
      for (const j of joints) for (const m of j?.members ?? []) if (m.kind === 'partner') add(m.nodeId, m.trackId);
      const impactUs = threatened.get(track.trackId);
      views.push({
        trackId: track.trackId,
        members: [...members.values()],
        mustFireByMs: impactUs === undefined ? null : this.utcOfHostUs(impactUs) / 1000 - mustFireLeadMs,
      });
    }
    return views;
  }

  counters(): JointNodeCounters {
    return {
      ...this.counts,
      releasesSent: Object.values(this.sharingLink.status().partners).reduce((a, p) => a + p.sent, 0),
    };
  }

  /** The joint picture sampled for scoring (host time). */
  jointPictureSamples(): readonly PictureSample[] {
    return this.samples.joint;
  }

  /** The fused joint tracks (local + partner) sampled at the same instants, with their covariance. */
  fusedTrackSamples(): readonly { readonly atUs: number; readonly tracks: readonly FusedTrackSample[] }[] {
    return this.samples.fused;
  }

  /** The node's own-radar picture sampled at the same instants (what it would hold alone). */
  ownPictureSamples(): readonly PictureSample[] {
    return this.samples.own;
  }

  private utcOfHostUs = (hostUs: number): number =>
    this.options.wallClock() * 1000 - (this.options.clock.nowUs() - hostUs);

  private localTracks() {
    const out = [];
    for (const t of this.latest?.tracks ?? []) {
      if (!t.confirmed || t.destroyed) continue;
      const local = localTrackOf(
        t,
        this.options.nodeId,
        this.options.radars,
        this.utcOfHostUs,
        this.estimates.get(t.trackId),
      );
      if (local !== null) out.push(local);
    }
    return out;
  }

  /** What may go to partners: own, unfused local tracks only (the policy is applied after). */
  private releasable() {
    return selectReleasableLocalTracks(this.localTracks(), this.options.nodeId).map((t) =>
      trackForRelease(t, this.options.releaseQuality),
    );
  }

  private fuse(): void {
    const nowUs = this.options.clock.nowUs();
    const utcUs = this.options.wallClock() * 1000;
    const locals = this.localTracks();
    this.picture.setLocalTracks(locals);
    const endedAfterUs = this.options.partnerTrackEndedAfterUs ?? 250_000;
    const status = this.sharingLink.pictures.status(nowUs);
    const offered: PartnerTrack[] = [];
    for (const partner of this.options.sharing.partners) {
      // Every message is the partner's whole release: a track it no longer carries has ended
      // there, and is not held on here as if it still flew (it would be a spurious track).
      this.picture.dropPartner(partner.id);
      if (this.sharingLink.pictures.state(partner.id) !== 'live') continue;
      let latestUs = nowUs - (status[partner.id]?.silentForMs ?? 0) * 1000; // ms-rounded: take the exact one
      const held = this.sharingLink.pictures.tracks(partner.id);
      for (const h of held)
        if (Math.abs(h.receivedAtUs - latestUs) <= 1000) latestUs = Math.max(latestUs, h.receivedAtUs);
      for (const h of held)
        if (latestUs - h.receivedAtUs <= endedAfterUs) {
          const report = partnerTrackOf(h);
          offered.push(report);
          this.picture.offerPartner(report);
        }
    }
    const update = this.picture.tick(utcUs);
    this.lastJoint = new Map(update.tracks.map((t) => [t.jointId, t]));
    this.counts.fusionUpdates += 1;
    this.counts.fusedPairs += update.stats.fusedPairs;
    this.counts.outOfSequence += update.stats.outOfSequence;
    if (this.options.feedCore !== false) this.feed(update.tracks, nowUs);
    let members: Map<number, AssociatedMember[]> | undefined;
    const membersOf = (): Map<number, AssociatedMember[]> =>
      (members ??= this.memberPositions.of(update.tracks, locals, offered));
    this.options.onAssociations?.(update.tracks, membersOf());
    if (this.samples.due(nowUs)) {
      const utcUs = this.options.wallClock() * 1000;
      this.planTrace.add(nowUs, update.tracks, membersOf());
      this.samples.add(nowUs, utcUs, update.tracks, locals);
    }
  }

  /** Partner-only joint tracks into the core; a fed track that is no longer partner-only is dropped. */
  private feed(tracks: readonly JointTrack[], nowUs: number): void {
    const live = new Set<number>();
    for (const t of tracks) {
      if (t.source !== 'partner') continue;
      const member = t.members[0]!;
      live.add(t.jointId);
      const last = this.fedTov.get(t.jointId);
      if (last !== undefined && member.tovUs <= last) continue;
      this.fedTov.set(t.jointId, member.tovUs);
      const sourceId = partnerFeedId(member.nodeId);
      let fed = this.feedIds.get(t.jointId);
      if (fed === undefined || fed.sourceId !== sourceId) {
        fed = { radarTrackId: this.nextFeedId++, sourceId };
        this.feedIds.set(t.jointId, fed);
      }
      this.options.emit(partnerFeedMeasurement(t, sourceId, fed.radarTrackId, nowUs, this.options.nextSeq(sourceId)));
      this.counts.partnerFeedMeasurements += 1;
    }
    for (const [jointId, { radarTrackId, sourceId }] of [...this.feedIds]) {
      if (live.has(jointId)) continue;
      this.options.emit({
        kind: 'track-drop',
        receivedAtUs: nowUs,
        sourceId,
        seq: this.options.nextSeq(sourceId),
        radarId: sourceId,
        radarTrackId,
        dropTimeUs: nowUs,
        reason: 'lost',
      });
      this.feedIds.delete(jointId);
      this.fedTov.delete(jointId);
      this.counts.partnerFeedDrops += 1;
    }
  }
}
