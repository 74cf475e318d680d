import type { NodeKey, NodePublicKey } from '../bridge/node-key.js';
import { PartnerTopicChannel } from '../bridge/partner-topics.js';
import type { SharingLink } from '../bridge/sharing-link.js';
import { engagementsTopic } from '../coordination/index.js';
import type { ControlInput } from '../control/control-inputs.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';
import type { SharingConfig } from '../sharing/index.js';
import type { SessionObserver } from '../session/hil-session.js';
import type { CoreSnapshot } from '../session/tick-record-codec.js';
import type { Clock } from '../time/clock.js';
import { coordinationFor } from './coordination-for.js';
import { type JointCoordinationSummary, JointCoordination } from './joint-coordination.js';
import { type JointNodeCounters, JointNode, partnerFeedId } from './joint-node.js';
import type { RadarAccuracy } from './joint-track-conversions.js';
import { trackAssociations } from './track-associations.js';

/** Most distinct core tracks and engagements the partner-feed watch remembers (counts stop there). */
const MAX_WATCHED_IDS = 10_000;

/** The core source ids of a node process's partner feeds (the core must know them before it starts). */
export function partnerFeedIdsOf(sharing: SharingConfig | undefined): string[] {
  return (sharing?.partners ?? []).map((p) => partnerFeedId(p.id));
}

/** The declared accuracy of a scenario's radars, by id. */
export function radarAccuracyOf(
  radars: readonly {
    readonly id: string;
    readonly position: { readonly eastM: number; readonly northM: number; readonly upM: number };
    readonly rangeSigmaM: number;
    readonly angleSigmaDeg: number;
    readonly velocitySigmaMps: number;
  }[],
): Map<string, RadarAccuracy> {
  return new Map(
    radars.map((r) => [
      r.id,
      {
        position: [r.position.eastM, r.position.northM, r.position.upM] as const,
        rangeSigmaM: r.rangeSigmaM,
        angleSigmaDeg: r.angleSigmaDeg,
        velocitySigmaMps: r.velocitySigmaMps,
      },
    ]),
  );
}

/** How long before a threat's predicted impact on one of its own assets a node fires regardless (as one-process joint runs). */
const MUST_FIRE_LEAD_MS = 6000;

/**
 * The channel a node process's engagement intents go over (its partners' `shared/engagements`
 * topics), to hand to the bridge before it starts; none without `sharing:` partners.
 */
export function intentChannelOf(sharing: SharingConfig | undefined): PartnerTopicChannel | undefined {
  if (sharing === undefined || sharing.partners.length === 0) return undefined;
  return new PartnerTopicChannel(sharing.partners.map((p) => engagementsTopic(p.id)));
}

/** Options of {@link startProcessJoint}. */
export interface ProcessJointOptions {
  readonly nodeId: string;
  /** The node's site (default: the default site of a single-node bench). */
  readonly site: { readonly latDeg: number; readonly lonDeg: number; readonly heightM: number } | undefined;
  readonly clock: Clock;
  /** UTC ms now. */
  readonly wallClock: () => number;
  readonly nodeKey: NodeKey;
  readonly sharing: SharingConfig;
  /** The bridge's sharing link, started on the node's broker (releases out, partner releases in). */
  readonly sharingLink: SharingLink;
  /** The node's own radars and their declared accuracy (a local track's covariance without the filter's). */
  readonly radars: ReadonlyMap<string, RadarAccuracy>;
  readonly emit: (input: ControlInput) => void;
  readonly nextSeq: (sourceId: string) => number;
  readonly addObserver: (observer: SessionObserver) => void;
  readonly log: (line: string) => void;
  /**
   * Engagement coordination over the node's broker: the channel given to the bridge
   * ({@link intentChannelOf}), the partners' keys, this process's boot id and the doctrine's kill
   * probability. Absent: the node shares its picture only.
   */
  readonly coordination?: {
    readonly channel: PartnerTopicChannel;
    readonly partnerKeys: ReadonlyMap<string, NodePublicKey>;
    readonly bootId: string;
    readonly killProbability: number;
  };
}

/** What a node process's joint picture did over its run (in the run summary's `linkCounters.joint`). */
export interface ProcessJointCounters extends JointNodeCounters {
  /** Distinct confirmed core tracks a partner feed contributed to (bounded count). */
  readonly partnerFedTracksConfirmed: number;
  /** Of those, the ones no own radar contributed to: threats only a partner sees. */
  readonly partnerOnlyTracksConfirmed: number;
  /** Distinct engagements the core planned against a track a partner feed contributed to. */
  readonly partnerFedEngagements: number;
}

/** A node process's joint picture, running. */
export interface ProcessJoint {
  counters(): ProcessJointCounters;
  /** What coordination did (null without it). */
  coordination(): JointCoordinationSummary | null;
  stop(): void;
}

/**
 * The joint picture of a node process (`shieldlink run --config` with `sharing:` and a broker):
 * the same {@link JointNode} as a one-process joint run, over the sharing link the MQTT bridge runs
 * on the node's broker instead of the in-process inter-node link. Every fusion period it fuses the
 * live partners' releases with the core's own tracks and feeds partner-only joint tracks to the
 * core as a track feed from `partner.<id>` (recorded inputs: the recording replays on its own), so
 * the core tracks, evaluates and may engage a threat only a partner sees. Releases stay the
 * bridge's, of the core's own tracks only: a track a partner feed touched is never sent back out.
 */
export function startProcessJoint(options: ProcessJointOptions): ProcessJoint {
  const joint = new JointNode({
    nodeId: options.nodeId,
    site: options.site ?? DEFAULT_SITE,
    clock: options.clock,
    wallClock: options.wallClock,
    nodeKey: options.nodeKey,
    // The partners' keys are the bridge's sharing link's: it checks every message before fusion sees it.
    partnerKeys: new Map(),
    sharing: options.sharing,
    radars: options.radars,
    sharingLink: options.sharingLink,
    emit: options.emit,
    nextSeq: options.nextSeq,
    releaseQuality: 'good',
    samplePeriodUs: 1_000_000,
    // Each fused track's own and partner members go out with its own track on `tracks` (the display's association lines).
    onAssociations: (tracks, members) => options.sharingLink.jointFacts.set(trackAssociations(tracks, members)),
  });
  const fed = new Set<number>();
  const partnerOnly = new Set<number>();
  const engagements = new Set<number>();
  const watch: SessionObserver = {
    onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
      const fedNow = new Set<number>();
      for (const t of snapshot.tracks) {
        const fromPartner = t.radarTracks.filter((r) => r.radarId.startsWith(partnerFeedId('')));
        if (fromPartner.length === 0) continue;
        fedNow.add(t.trackId);
        if (!t.confirmed || fed.size >= MAX_WATCHED_IDS) continue;
        fed.add(t.trackId);
        if (fromPartner.length === t.radarTracks.length) partnerOnly.add(t.trackId);
      }
      for (const e of snapshot.engagements)
        if (fedNow.has(e.trackId) && engagements.size < MAX_WATCHED_IDS) engagements.add(e.engagementId);
    },
  };
  options.addObserver(joint);
  options.addObserver(watch);
  let coordination: JointCoordination | null = null;
  const c = options.coordination;
  if (c !== undefined) {
    const partnerIds = options.sharing.partners.map((p) => p.id);
    coordination = new JointCoordination({
      nodeId: options.nodeId,
      partnerIds,
      agent: coordinationFor({
        nodeKey: options.nodeKey,
        partnerKeys: c.partnerKeys,
        partnerIds,
        frame: new LocalFrame(options.site ?? DEFAULT_SITE),
        bootId: c.bootId,
        killProbability: c.killProbability,
      }),
      clock: options.clock,
      wallClock: options.wallClock,
      publish: (topic, payload) => c.channel.publish(topic, payload),
      status: c.channel.status,
      log: options.log,
      connected: () => c.channel.connected,
      threats: () => joint.threatViews(MUST_FIRE_LEAD_MS),
      emit: options.emit,
      nextSeq: options.nextSeq,
    });
    const coordinating = coordination;
    c.channel.attach((topic, payload) => coordinating.receive(topic, payload));
    options.addObserver(coordination);
    coordination.start();
  }
  joint.start();
  options.log(
    `joint picture: fusing ${options.sharing.partners.map((p) => p.id).join(', ') || 'no partner'}; partner-only tracks feed the core${c === undefined ? '' : '; engagements coordinated'}`,
  );
  return {
    counters: () => ({
      ...joint.counters(),
      partnerFedTracksConfirmed: fed.size,
      partnerOnlyTracksConfirmed: partnerOnly.size,
      partnerFedEngagements: engagements.size,
    }),
    coordination: () => coordination?.summary() ?? null,
    stop: () => {
      joint.stop();
      coordination?.stop();
      options.coordination?.channel.stop();
    },
  };
}
