import type {
  BridgeSink,
  BridgeSource,
  DeviceStateUpdate,
  EngagementChange,
  NodeBirth,
  TrackPicture,
} from '../bridge/index.js';
import type { DefendedAssetConfig, EngagementEvent } from '../control/index.js';
import { threatPicture } from './threat-picture.js';
import type { LauncherController, RadarController } from '../devices/index.js';
import type { SessionObserver } from './hil-session.js';
import type { BusyTickRecord, CoreSnapshot } from './tick-record-codec.js';

/** What the publisher needs to know about the node. */
export interface BridgePublisherOptions {
  readonly birth: NodeBirth;
  readonly radars: ReadonlyMap<string, RadarController>;
  readonly launchers: ReadonlyMap<string, LauncherController>;
  /** Devices played by the simulator publish quality `simulated` while their link is good. */
  readonly simulated: boolean;
  /** Extra loop figures for the metrics topic. */
  readonly loopFigures?: () => Readonly<Record<string, number>>;
  /**
   * Asked once per core snapshot: false holds it back (its track picture, device states and
   * metrics; a later snapshot or `flush()` supersedes it). Default: every snapshot goes out.
   * Virtual runs pass a wall-time gate: at 100× real time a 5 Hz picture would be 500 Hz on the
   * network, which no one watching can use. Engagement events are never held back.
   */
  readonly forwardSnapshot?: () => boolean;
  /** The defended assets threats are judged against (with the core's defended points), for the `threats` topic. */
  readonly assets?: readonly DefendedAssetConfig[];
}

/**
 * Feeds the MQTT bridge from the session: every engagement event of the core, in order (never
 * coalesced); the track picture and device states from each core snapshot (coalesced by the
 * bridge, latest wins); link counters as metrics. Every call into the sink is synchronous
 * enqueue-only, so publishing never slows the tick.
 */
export class BridgePublisher implements BridgeSource, SessionObserver {
  private sink: BridgeSink | undefined;
  private heldBack: CoreSnapshot['snapshot'] | undefined;

  constructor(private readonly options: BridgePublisherOptions) {}

  birth(): NodeBirth {
    return this.options.birth;
  }

  attach(sink: BridgeSink): () => void {
    this.sink = sink;
    this.publishDevices();
    return () => {
      if (this.sink === sink) this.sink = undefined;
    };
  }

  onBusyTick(record: BusyTickRecord): void {
    const sink = this.sink;
    if (sink === undefined) return;
    for (const event of record.events) if (event.kind === 'engagement') sink.engagement(engagementChange(event));
  }

  onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
    if (this.sink === undefined) return;
    if (this.options.forwardSnapshot !== undefined && !this.options.forwardSnapshot()) {
      this.heldBack = snapshot;
      return;
    }
    this.forward(snapshot);
  }

  /** Forward the latest snapshot held back, if any (at the end of a run: the final picture). */
  flush(): void {
    const snapshot = this.heldBack;
    if (snapshot !== undefined && this.sink !== undefined) this.forward(snapshot);
  }

  private forward(snapshot: CoreSnapshot['snapshot']): void {
    this.heldBack = undefined;
    const sink = this.sink;
    if (sink === undefined) return;
    const engagementOf = new Map<number, number>();
    for (const e of snapshot.engagements)
      if (e.blocking || e.state === 'planned') engagementOf.set(e.trackId, e.engagementId);
    const picture: TrackPicture = {
      hostTimeUs: snapshot.nowUs,
      tracks: snapshot.tracks.map((t) => ({
        trackId: String(t.trackId),
        iff: t.iff,
        quality: t.coasting ? 'stale' : this.options.simulated ? 'simulated' : 'good',
        eastM: t.eastM,
        northM: t.northM,
        upM: t.upM,
        eastMps: t.eastMps,
        northMps: t.northMps,
        upMps: t.upMps,
        estimateTimeUs: t.estimateTimeUs,
        threatRank: t.threatRank,
        engagementId: engagementOf.has(t.trackId) ? String(engagementOf.get(t.trackId)) : null,
        // Only a track of this node's own radars is `local` (sharing releases only these): one a
        // partner feed (`partner.<id>`) touched is `partner` or `fused`, never sent back out.
        detail: {
          origin: originOf(t.radarTracks),
          model: t.model,
          confirmed: t.confirmed,
          destroyed: t.destroyed,
          hold: t.hold,
        },
      })),
    };
    sink.tracks(picture);
    if (snapshot.threats !== undefined)
      sink.threats?.(threatPicture(snapshot.nowUs, snapshot.threats, this.options.assets ?? []));
    this.publishDevices(snapshot.launchers);
    const links: Record<string, Record<string, number>> = {};
    for (const [id, device] of [...this.options.radars, ...this.options.launchers]) {
      const c = device.counters();
      links[id] = {
        framesIn: c.framesIn,
        framesOut: c.framesOut,
        seqGaps: c.seqGaps,
        retransmits: c.retransmits,
        discardedBytes: c.discardedBytes,
        crcErrors: c.frameErrors.crc,
      };
    }
    sink.metrics({
      loop: {
        tracks: snapshot.tracks.length,
        engagements: snapshot.engagements.length,
        ...this.options.loopFigures?.(),
      },
      links,
    });
  }

  private publishDevices(readiness: CoreSnapshot['snapshot']['launchers'] = []): void {
    const sink = this.sink;
    if (sink === undefined) return;
    for (const [id, radar] of this.options.radars) {
      const status = radar.status;
      sink.deviceState(
        this.deviceState(
          id,
          'radar',
          radar.linkState,
          status?.mode ?? 'unknown',
          status?.quality,
          status?.deviceTimeUs,
          status?.receivedAtHostUs,
          radar.counters(),
        ),
      );
    }
    for (const [id, launcher] of this.options.launchers) {
      const status = launcher.status;
      const core = readiness.find((l) => l.launcherId === id);
      sink.deviceState({
        ...this.deviceState(
          id,
          'launcher',
          launcher.linkState,
          status?.state ?? 'unknown',
          status?.quality,
          status?.deviceTimeUs,
          status?.receivedAtHostUs,
          launcher.counters(),
        ),
        detail: {
          roundsReady: status?.roundsReady ?? null,
          watchdog: status?.watchdog ?? null,
          safeLatched: launcher.safeLatched,
          azimuthDeg: status?.azimuthDeg ?? null,
          elevationDeg: status?.elevationDeg ?? null,
          // The core's view: ready to fire, or why not (every failing condition, first first).
          ready: core?.ready ?? null,
          notReady: core === undefined ? null : core.notReadyReasons.join(', ').slice(0, 256),
          syncUncertaintyUs: core?.syncUncertaintyUs ?? null,
          syncBudgetUs: core?.syncBudgetUs ?? null,
          fireRefusals: core?.fireRefusals ?? null,
        },
      });
    }
  }

  private deviceState(
    deviceId: string,
    kind: string,
    link: string,
    state: string,
    quality: 'good' | 'stale' | undefined,
    deviceTimeUs: number | undefined,
    receivedAtUs: number | undefined,
    counters: ReturnType<RadarController['counters']>,
  ): DeviceStateUpdate {
    const good = link === 'active' && quality === 'good';
    return {
      deviceId,
      kind,
      link,
      state,
      quality: good ? (this.options.simulated ? 'simulated' : 'good') : 'stale',
      qualityReason: good ? null : `link ${link}`,
      deviceTimeUs: deviceTimeUs ?? null,
      receivedAtUs: receivedAtUs ?? null,
      counters: {
        framesIn: counters.framesIn,
        framesOut: counters.framesOut,
        seqGaps: counters.seqGaps,
        duplicates: counters.duplicates,
        retransmits: counters.retransmits,
        discardedBytes: counters.discardedBytes,
        crcErrors: counters.frameErrors.crc,
      },
    };
  }
}

function engagementChange(event: EngagementEvent): EngagementChange {
  return {
    engagementId: String(event.engagementId),
    trackId: String(event.trackId),
    launcherId: event.launcherId,
    transition: event.transition,
    state: event.state,
    reason: event.reason ?? event.result ?? null,
    commandId: event.fireCommandId === null ? null : String(event.fireCommandId),
    sourceSeq: event.seq,
    hostTimeUs: event.atUs,
    detail: {
      launchAtHostUs: event.launchAtHostUs,
      interceptAtHostUs: event.interceptAtHostUs,
      aimEastM: event.aimEastM,
      aimNorthM: event.aimNorthM,
      aimUpM: event.aimUpM,
      actualLaunchHostUs: event.actualLaunchHostUs,
      result: event.result,
      nakReason: event.nakReason,
    },
  };
}

/** Where a core track's data comes from: its own radars, a partner feed (`partner.<id>`) alone, or both. */
function originOf(radarTracks: readonly { readonly radarId: string }[]): 'local' | 'partner' | 'fused' {
  const fromPartner = radarTracks.filter((r) => r.radarId.startsWith('partner.')).length;
  if (fromPartner === 0) return 'local';
  return fromPartner === radarTracks.length ? 'partner' : 'fused';
}
