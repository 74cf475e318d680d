import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { BrokerLink } from './broker-link.js';
import type { DetailMap, DeviceStateUpdate, LoopMetrics, TrackPicture } from './bridge-source.js';
import { finiteOrNull, idOf, isoOf, nameOf, sanitizeDetailMap, sanitizeNumberMap } from './payload-sanitizer.js';
import type { DeviceStatePayload } from './schemas/device-state-payload.js';
import type { BridgeMetricsPayload, MetricsPayload } from './schemas/metrics-payload.js';
import type { TrackSnapshotPayload } from './schemas/track-snapshot-payload.js';
import type { TopicTree } from './topic-tree.js';

export interface StatePublisherOptions {
  /** Track snapshots per second (default 10). */
  readonly trackRateHz?: number;
  /** Metrics period, ms (default 1000). */
  readonly metricsIntervalMs?: number;
  /** A device whose last frame is older than this is published `stale` (default 2000 ms). */
  readonly deviceStaleAfterMs?: number;
  /** How often device ages are checked against that bound, ms (default 250). */
  readonly staleCheckIntervalMs?: number;
  /** Skip a state flush while this many bytes wait in the socket (default 1 MiB). */
  readonly maxBacklogBytes?: number;
  /** Adds the node signature to a retained device state (the bridge sets it when it has a node key). */
  readonly seal?: <T extends object>(payload: T) => T;
  /** Extra `detail` of a track on `tracks` (a joint node's association facts); none: the track's own only. */
  readonly trackDetail?: (trackId: string) => DetailMap | undefined;
}

interface DeviceEntry {
  update: DeviceStateUpdate;
  publishedQuality: string | null;
}

/**
 * Coalesced, latest-wins state: retained device states, track snapshots at a fixed rate, and
 * periodic metrics. Updates only store a reference and arm a timer (O(1)); a congested socket
 * delays a flush rather than growing a queue, and nothing is queued while disconnected (the
 * bridge calls `republishAll` after every reconnect instead).
 */
export class StatePublisher {
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly dirtyDevices = new Set<string>();
  private latestTracks: TrackPicture | null = null;
  private tracksDirty = false;
  private trackSeq = 0;
  private latestMetrics: LoopMetrics = { loop: {}, links: {} };
  private flushTimer: TimerHandle | null = null;
  private periodic: TimerHandle[] = [];
  private running = false;
  private stateMessages = 0;
  private coalesced = 0;

  private readonly trackPeriodUs: number;
  private readonly metricsPeriodUs: number;
  private readonly staleAfterUs: number;
  private readonly staleCheckUs: number;
  private readonly maxBacklogBytes: number;
  private readonly seal: <T extends object>(payload: T) => T;
  private readonly trackDetail: ((trackId: string) => DetailMap | undefined) | undefined;

  constructor(
    private readonly link: BrokerLink,
    private readonly clock: Clock,
    private readonly wallClock: () => number,
    private readonly topics: TopicTree,
    private readonly bootId: string,
    private readonly bridgeMetrics: () => BridgeMetricsPayload,
    options: StatePublisherOptions = {},
  ) {
    this.trackPeriodUs = 1_000_000 / (options.trackRateHz ?? 10);
    this.metricsPeriodUs = (options.metricsIntervalMs ?? 1_000) * US_PER_MS;
    this.staleAfterUs = (options.deviceStaleAfterMs ?? 2_000) * US_PER_MS;
    this.staleCheckUs = (options.staleCheckIntervalMs ?? 250) * US_PER_MS;
    this.maxBacklogBytes = options.maxBacklogBytes ?? 1024 * 1024;
    this.seal = options.seal ?? ((payload) => payload);
    this.trackDetail = options.trackDetail;
  }

  get counters(): { stateMessages: number; coalescedUpdates: number } {
    return { stateMessages: this.stateMessages, coalescedUpdates: this.coalesced };
  }

  deviceState(update: DeviceStateUpdate): void {
    const entry = this.devices.get(update.deviceId);
    if (entry === undefined) this.devices.set(update.deviceId, { update, publishedQuality: null });
    else entry.update = update;
    if (this.dirtyDevices.has(update.deviceId)) this.coalesced++;
    else this.dirtyDevices.add(update.deviceId);
    this.scheduleFlush(0);
  }

  tracks(picture: TrackPicture): void {
    if (this.tracksDirty) this.coalesced++;
    this.latestTracks = picture;
    this.tracksDirty = true;
  }

  metrics(metrics: LoopMetrics): void {
    this.latestMetrics = metrics;
  }

  /** After a reconnect or on request: everything known goes out again. */
  republishAll(): void {
    for (const id of this.devices.keys()) this.dirtyDevices.add(id);
    this.tracksDirty = this.latestTracks !== null;
    this.scheduleFlush(0);
    this.publishMetrics();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.every(this.trackPeriodUs, () => this.publishTracks());
    this.every(this.metricsPeriodUs, () => this.publishMetrics());
    this.every(this.staleCheckUs, () => this.checkStaleness());
  }

  stop(): void {
    this.running = false;
    this.flushTimer?.cancel();
    this.flushTimer = null;
    for (const timer of this.periodic) timer.cancel();
    this.periodic = [];
  }

  /** Periodic work on absolute deadlines (t0 + k·period); missed periods are skipped, never burst. */
  private every(periodUs: number, work: () => void): void {
    const slot = this.periodic.length;
    let next = this.clock.nowUs() + periodUs;
    const tick = (): void => {
      if (!this.running) return;
      work();
      const now = this.clock.nowUs();
      next += periodUs;
      if (next <= now) next += Math.ceil((now - next) / periodUs) * periodUs;
      if (next <= now) next += periodUs;
      this.periodic[slot] = this.clock.setTimerAt(next, tick);
    };
    this.periodic.push(this.clock.setTimerAt(next, tick));
  }

  private scheduleFlush(delayUs: number): void {
    if (this.flushTimer !== null || !this.running) return;
    this.flushTimer = this.clock.setTimer(delayUs, () => {
      this.flushTimer = null;
      this.flushDevices();
    });
  }

  private congested(): boolean {
    return this.link.writeBacklogBytes > this.maxBacklogBytes;
  }

  private flushDevices(): void {
    if (!this.link.connected || this.dirtyDevices.size === 0) return;
    if (this.congested()) {
      this.scheduleFlush(5 * US_PER_MS);
      return;
    }
    const nowUs = this.clock.nowUs();
    const wallMs = this.wallClock();
    this.link.batch(() => {
      for (const id of this.dirtyDevices) {
        const entry = this.devices.get(id)!;
        const payload = this.devicePayload(entry, nowUs, wallMs);
        entry.publishedQuality = payload.quality;
        this.publish(this.topics.deviceState(id), JSON.stringify(this.seal(payload)), 1, true);
      }
    });
    this.dirtyDevices.clear();
  }

  private devicePayload(entry: DeviceEntry, nowUs: number, wallMs: number): DeviceStatePayload {
    const u = entry.update;
    const receivedAtUs = finiteOrNull(u.receivedAtUs);
    const ageUs = receivedAtUs === null ? null : Math.max(0, nowUs - receivedAtUs);
    const tooOld = ageUs !== null && ageUs > this.staleAfterUs && (u.quality === 'good' || u.quality === 'suspect');
    return {
      v: 1,
      nodeId: this.topics.nodeId,
      deviceId: idOf(u.deviceId),
      kind: nameOf(u.kind),
      link: nameOf(u.link),
      state: nameOf(u.state),
      quality: tooOld ? 'stale' : u.quality,
      qualityReason: tooOld ? 'age' : (u.qualityReason?.slice(0, 64) ?? null),
      deviceTimeUs: finiteOrNull(u.deviceTimeUs),
      receivedAtHostUs: receivedAtUs,
      receivedAt: ageUs === null ? null : isoOf(wallMs - ageUs / US_PER_MS),
      ageMs: ageUs === null ? null : ageUs / US_PER_MS,
      hostTimeUs: nowUs,
      publishedAt: isoOf(wallMs),
      counters: sanitizeNumberMap(u.counters),
      detail: sanitizeDetailMap(u.detail),
    };
  }

  private checkStaleness(): void {
    const nowUs = this.clock.nowUs();
    for (const [id, entry] of this.devices) {
      const u = entry.update;
      if (u.receivedAtUs === null || entry.publishedQuality === 'stale') continue;
      if ((u.quality === 'good' || u.quality === 'suspect') && nowUs - u.receivedAtUs > this.staleAfterUs) {
        this.dirtyDevices.add(id);
      }
    }
    if (this.dirtyDevices.size > 0) this.scheduleFlush(0);
  }

  private publishTracks(): void {
    const picture = this.latestTracks;
    if (!this.tracksDirty || picture === null || !this.link.connected || this.congested()) return;
    this.tracksDirty = false;
    const payload: TrackSnapshotPayload = {
      v: 1,
      nodeId: this.topics.nodeId,
      bootId: this.bootId,
      seq: ++this.trackSeq,
      hostTimeUs: finiteOrNull(picture.hostTimeUs) ?? 0,
      publishedAt: isoOf(this.wallClock()),
      tracks: picture.tracks.map((t) => ({
        trackId: idOf(t.trackId),
        iff: nameOf(t.iff),
        quality: t.quality,
        eastM: finiteOrNull(t.eastM),
        northM: finiteOrNull(t.northM),
        upM: finiteOrNull(t.upM),
        eastMps: finiteOrNull(t.eastMps),
        northMps: finiteOrNull(t.northMps),
        upMps: finiteOrNull(t.upMps),
        estimateTimeUs: finiteOrNull(t.estimateTimeUs) ?? 0,
        threatRank:
          t.threatRank !== null && Number.isSafeInteger(t.threatRank) && t.threatRank >= 0 ? t.threatRank : null,
        engagementId: t.engagementId === null ? null : idOf(t.engagementId),
        detail: sanitizeDetailMap(this.withExtraDetail(t.trackId, t.detail)),
      })),
    };
    this.publish(this.topics.tracks, JSON.stringify(payload), 0, false);
  }

  private withExtraDetail(trackId: string, detail: DetailMap | undefined): DetailMap | undefined {
    const extra = this.trackDetail?.(trackId);
    return extra === undefined ? detail : { ...detail, ...extra };
  }

  private publishMetrics(): void {
    if (!this.link.connected || this.congested()) return;
    const links: Record<string, Record<string, number | null>> = {};
    for (const id of Object.keys(this.latestMetrics.links)) links[id] = sanitizeNumberMap(this.latestMetrics.links[id]);
    const payload: MetricsPayload = {
      v: 1,
      nodeId: this.topics.nodeId,
      bootId: this.bootId,
      hostTimeUs: this.clock.nowUs(),
      publishedAt: isoOf(this.wallClock()),
      loop: sanitizeNumberMap(this.latestMetrics.loop),
      links,
      bridge: this.bridgeMetrics(),
    };
    this.publish(this.topics.metrics, JSON.stringify(payload), 0, false);
  }

  private publish(topic: string, payload: string, qos: 0 | 1, retain: boolean): void {
    this.stateMessages++;
    // Delivery of state is best effort: a loss is repaired by the next update or the
    // republish after reconnect, so the callback has nothing to do.
    this.link.publish({ topic, payload, qos, retain }, () => undefined);
  }
}
