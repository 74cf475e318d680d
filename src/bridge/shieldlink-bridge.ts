import { randomBytes } from 'node:crypto';
import type { TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { AuditBudget } from './audit-budget.js';
import { AuditLog } from './audit-log.js';
import { NULL_AUDIT_SINK } from './audit-sink.js';
import { BridgeError } from './bridge-error.js';
import {
  type BridgeHealth,
  type BridgeHealthInputs,
  birthHealthOf,
  bridgeHealthOf,
  bridgeMetricsOf,
  healthKeyOf,
} from './bridge-health.js';
import type { ShieldlinkBridgeOptions } from './bridge-options.js';
import type { BrokerLink, InboundMessage } from './broker-link.js';
import type {
  BridgeSink,
  BridgeSource,
  DeviceStateUpdate,
  EngagementChange,
  LoopMetrics,
  TrackPicture,
} from './bridge-source.js';
import { CommandHandler, type ReplyTo } from './command-handler.js';
import { EngagementRecord } from './engagement-record.js';
import { EventSpool } from './event-spool.js';
import { openGuardedLink } from './guarded-link.js';
import { idOf, isoOf, nameOf } from './payload-sanitizer.js';
import { ReliableChannel } from './reliable-channel.js';
import { ReplayStore, type ReplayStoreOpened } from './replay-store.js';
import type { RetainedGuard } from './retained-guard.js';
import type { AuditRecord } from './schemas/audit-record-payload.js';
import type { CommandResultPayload } from './schemas/command-result-payload.js';
import type { BridgeMetricsPayload } from './schemas/metrics-payload.js';
import type { StatusOfflinePayload, StatusOnlinePayload } from './schemas/status-payload.js';
import { coordinationOf } from './coordination-status.js';
import { releasableTracks } from './sharing-link.js';
import { StatePublisher } from './state-publisher.js';
import { type ThreatPicture, ThreatPublisher } from './threat-publisher.js';
import { TopicTree } from './topic-tree.js';

export type { BridgeHealth } from './bridge-health.js';
export type { ShieldlinkBridgeOptions } from './bridge-options.js';

interface Started {
  readonly topics: TopicTree;
  readonly link: BrokerLink;
  readonly channel: ReliableChannel;
  readonly state: StatePublisher;
  readonly threats: ThreatPublisher;
  readonly commands: CommandHandler;
  readonly source: BridgeSource;
  readonly guard: RetainedGuard;
  readonly budget: AuditBudget;
  readonly replay: ReplayStoreOpened | null;
  detach: () => void;
}

/**
 * The MQTT bridge of one node (docs/mqtt.md). The loop side (`BridgeSink`: `deviceState`,
 * `tracks`, `engagement`, `metrics`) is synchronous and O(1) and never fails; everything else —
 * publishing, spooling, reconnecting with backoff, commands — runs on the injected clock.
 *
 * Lifecycle: `new` → `start(source)` (opens the spool, starts connecting; resolves without
 * waiting for the broker) → `stop()` (final results, waits up to the grace for delivery, publishes
 * `offline`, disconnects cleanly, spools what is left). Not restartable.
 */
export class ShieldlinkBridge implements BridgeSink {
  readonly bootId: string;
  private started: Started | null = null;
  private stopped = false;
  private engagementSeq = 0;
  private connects = 0;
  private outages = 0;
  private outageStart: { at: string; spooledTotal: number } | null = null;
  private lastOutage: BridgeHealth['lastOutage'] = null;
  private protocol: 4 | 5 | null = null;
  private healthKey = '';
  private readonly healthListeners = new Set<(health: BridgeHealth) => void>();
  private connectedWaiters: (() => void)[] = [];
  private auditLog: AuditLog | null = null;
  private birthSuppressed = false;
  private latestPicture: TrackPicture | null = null;

  constructor(private readonly options: ShieldlinkBridgeOptions) {
    this.bootId = options.bootId ?? randomBytes(6).toString('hex');
  }

  async start(source: BridgeSource): Promise<void> {
    if (this.started !== null || this.stopped) throw new BridgeError('already-started', 'bridge already started');
    const o = this.options;
    const topics = new TopicTree(o.nodeId);
    const lastWill: StatusOfflinePayload = this.seal({
      v: 1,
      state: 'offline',
      nodeId: o.nodeId,
      bootId: this.bootId,
      reason: 'connection-lost',
      at: null,
    });
    const budget = new AuditBudget(o.clock, (summary) => this.auditLog?.suppressed(summary), o.auditBudget);
    const { link, guard } = await openGuardedLink(o, topics, lastWill, budget, () => this.auditLog);
    const staleAfterMs = o.commands?.staleAfterMs ?? 5_000;
    const replay =
      o.replayCacheFile === undefined
        ? null
        : ReplayStore.open(
            o.replayCacheFile,
            o.wallClock(),
            2 * staleAfterMs,
            (o.commands?.maxNonces ?? 100_000) + (o.commands?.rememberedIds ?? 10_000),
          );
    const opened = await EventSpool.open(o.spoolFile, o.spoolFsync ?? 'batch');
    const channel = new ReliableChannel(link, opened.spool, opened.records, o.clock, o.channel, () =>
      this.healthChanged(),
    );
    const state = new StatePublisher(link, o.clock, o.wallClock, topics, this.bootId, () => this.metricsSnapshot(), {
      ...o.state,
      seal: (payload) => this.seal(payload),
      ...(o.sharing === undefined ? {} : { trackDetail: (id: string) => o.sharing?.jointFacts.of(id) }),
    });
    const audit = new AuditLog(o.nodeId, this.bootId, o.clock, o.wallClock, o.audit ?? NULL_AUDIT_SINK, (record) =>
      this.publishAudit(record),
    );
    this.auditLog = audit;
    const commands = new CommandHandler(
      {
        topics,
        keyring: o.keyring,
        executor: o.executor,
        clock: o.clock,
        wallClock: o.wallClock,
        audit,
        sendResult: (result, replyTo) => this.publishResult(result, replyTo),
        republish: () => this.republish(),
        budget,
        ...(replay === null ? {} : { replayStore: replay }),
      },
      o.commands,
    );
    this.started = {
      topics,
      link,
      channel,
      state,
      threats: new ThreatPublisher(link, o.clock, o.wallClock, topics, this.bootId, o.threats),
      commands,
      source,
      guard,
      budget,
      replay,
      detach: () => undefined,
    };
    state.start();
    this.started.threats.start();
    link.start({
      up: (version) => this.linkUp(version),
      down: (reason) => this.linkDown(reason),
      message: (message: InboundMessage) => {
        if (o.sharing?.takes(message.topic) === true) o.sharing.message(message);
        else if (o.partnerTopics?.takes(message.topic) === true) o.partnerTopics.message(message);
        else if (!guard.inbound(message)) commands.handle(message);
      },
    });
    if (o.sharing !== undefined) {
      o.sharing.listen({
        pictureChanged: () => {
          if (!this.stopped && this.started?.link.connected === true) this.publishBirth();
        },
      });
      o.sharing.start(link, () =>
        this.latestPicture === null ? [] : releasableTracks(this.latestPicture, o.clock.nowUs(), o.wallClock()),
      );
    }
    o.ledgerFeed?.start(link);
    o.partnerTopics?.start(link);
    o.partnerTopics?.status.listen(() => {
      if (!this.stopped && this.started?.link.connected === true) this.publishBirth();
    });
    this.started.detach = source.attach(this);
  }

  // ---- BridgeSink: called by the loop; synchronous, O(1), never throws ----

  deviceState(update: DeviceStateUpdate): void {
    this.started?.state.deviceState(update);
  }

  tracks(picture: TrackPicture): void {
    this.latestPicture = picture;
    this.started?.state.tracks(picture);
  }

  metrics(metrics: LoopMetrics): void {
    this.started?.state.metrics(metrics);
  }

  threats(picture: ThreatPicture): void {
    this.started?.threats.update(picture);
  }

  engagement(change: EngagementChange): void {
    const s = this.started;
    if (s === null || this.stopped) return;
    // O(1): numbered and timestamped now, rendered to JSON when published or spooled.
    s.channel.enqueue(
      new EngagementRecord(s.topics, this.bootId, ++this.engagementSeq, this.options.wallClock(), change),
    );
  }

  // ---- health and control ----

  health(): BridgeHealth {
    return bridgeHealthOf(this.healthInputs());
  }

  /** Called on every change of connection, mode or degradation (not on every record). */
  onHealthChange(listener: (health: BridgeHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  /** Resolves when the broker link is up (immediately if it is). */
  whenConnected(): Promise<void> {
    if (this.started?.link.connected) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Resolves when every event, result and audit record so far is acknowledged by the broker. */
  whenIdle(): Promise<void> {
    return this.started?.channel.whenIdle() ?? Promise.resolve();
  }

  /** Publish the full state again: birth, every device state, the track picture, metrics. */
  republish(): void {
    const s = this.started;
    if (s === null || !s.link.connected) return;
    this.publishBirth();
    s.state.republishAll();
    s.threats.republish();
  }

  metricsSnapshot(): BridgeMetricsPayload {
    const s = this.started;
    return bridgeMetricsOf(this.healthInputs(), {
      commands: s?.commands.stats,
      state: s?.state.counters,
      commandsSuppressed: s?.budget.totals.suppressed ?? 0,
      foreignPublishes: s?.guard.stats.foreign ?? 0,
    });
  }

  async stop(): Promise<void> {
    const s = this.started;
    if (s === null || this.stopped) {
      this.stopped = true;
      return;
    }
    s.detach();
    s.commands.shutdown();
    s.state.stop();
    s.threats.stop();
    this.options.sharing?.stop();
    this.options.partnerTopics?.stop();
    // One grace for both drains: the stop as a whole stays within its bound (the run gives a
    // stopping bridge 5 s of virtual time; two graces back to back plus the offline ack reached it).
    if (s.link.connected) {
      const feed = this.options.ledgerFeed;
      const drains = feed === undefined ? s.channel.whenIdle() : Promise.all([s.channel.whenIdle(), feed.whenIdle()]);
      await this.within(this.options.stopGraceMs ?? 2_000, drains);
    }
    this.options.ledgerFeed?.stop();
    if (s.link.connected) {
      const offline: StatusOfflinePayload = this.seal({
        v: 1,
        state: 'offline',
        nodeId: this.options.nodeId,
        bootId: this.bootId,
        reason: 'shutdown',
        at: isoOf(this.options.wallClock()),
      });
      const acked = new Promise<void>((resolve) =>
        s.link.publish({ topic: s.topics.status, payload: JSON.stringify(offline), qos: 1, retain: true }, () =>
          resolve(),
        ),
      );
      await this.within(1_000, acked);
    }
    this.stopped = true;
    s.budget.flush();
    await s.link.stop();
    await s.channel.close();
    s.replay?.store.close();
    this.emitHealth(true);
  }

  // ---- internals ----

  private healthInputs(): BridgeHealthInputs {
    const s = this.started;
    return {
      stopped: this.stopped,
      connected: s?.link.connected === true,
      channel: s?.channel.stats,
      auditFailures: this.auditLog?.failures ?? 0,
      outages: this.outages,
      connects: this.connects,
      lastOutage: this.lastOutage,
      protocol: this.protocol,
    };
  }

  private linkUp(version: 4 | 5): void {
    const s = this.started!;
    this.connects++;
    this.protocol = version;
    if (this.outageStart !== null) {
      this.lastOutage = {
        startedAt: this.outageStart.at,
        endedAt: isoOf(this.options.wallClock()),
        spooledRecords: s.channel.stats.spooledTotal - this.outageStart.spooledTotal,
      };
      this.outageStart = null;
    }
    // Channel first, so the birth below already shows whether it is live or catching up.
    this.birthSuppressed = true;
    s.channel.linkUp();
    this.birthSuppressed = false;
    this.republish();
    const waiters = this.connectedWaiters;
    this.connectedWaiters = [];
    for (const resolve of waiters) resolve();
    this.emitHealth(false);
  }

  private linkDown(_reason: string): void {
    const s = this.started!;
    this.outages++;
    this.outageStart = { at: isoOf(this.options.wallClock()), spooledTotal: s.channel.stats.spooledTotal };
    s.channel.linkDown();
    this.emitHealth(false);
  }

  private publishBirth(): void {
    const s = this.started!;
    const birth = s.source.birth();
    const bridge = birthHealthOf(this.health());
    const payload: StatusOnlinePayload = this.seal({
      v: 1,
      state: 'online',
      nodeId: this.options.nodeId,
      bootId: this.bootId,
      softwareVersion: birth.softwareVersion.slice(0, 64),
      configHash: birth.configHash.slice(0, 128),
      startedAt: birth.startedAt,
      publishedAt: isoOf(this.options.wallClock()),
      devices: birth.devices.map((d) => ({ deviceId: idOf(d.deviceId), kind: nameOf(d.kind) })),
      bridge,
      ...(this.options.sharing === undefined ? {} : { sharing: this.options.sharing.statusPayload() }),
      ...coordinationOf(this.options.partnerTopics),
    });
    s.link.publish({ topic: s.topics.status, payload: JSON.stringify(payload), qos: 1, retain: true }, () => undefined);
  }

  private publishResult(result: CommandResultPayload, replyTo: ReplyTo | null): void {
    const s = this.started!;
    const payload = JSON.stringify(this.seal(result));
    s.channel.enqueue({ topic: s.topics.commandResult, payload });
    if (replyTo !== null && replyTo.topic !== s.topics.commandResult) {
      s.channel.enqueue({
        topic: replyTo.topic,
        payload,
        ...(replyTo.correlationData === null ? {} : { correlation: replyTo.correlationData.toString('base64') }),
      });
    }
  }

  /** `payload` signed with the node key (`nodeSig`), or as it is when the node has no key. */
  private seal<T extends object>(payload: T): T {
    return this.options.nodeKey?.signPayload(payload) ?? payload;
  }

  private publishAudit(record: AuditRecord): void {
    const s = this.started!;
    s.channel.enqueue({ topic: s.topics.audit, payload: JSON.stringify(record) });
  }

  private healthChanged(): void {
    this.emitHealth(false);
  }

  /** Tell listeners, and re-publish the birth when what it shows changed (e.g. caught up). */
  private emitHealth(force: boolean): void {
    const health = this.health();
    const key = healthKeyOf(health);
    if (key === this.healthKey && !force) return;
    this.healthKey = key;
    if (this.started?.link.connected && !this.stopped && !this.birthSuppressed) this.publishBirth();
    for (const listener of this.healthListeners) {
      try {
        listener(health);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /** `promise`, or give up after `ms` on the bridge clock. */
  private within(ms: number, promise: Promise<unknown>): Promise<void> {
    let timer: TimerHandle | null = null;
    const timeout = new Promise<void>((resolve) => {
      timer = this.options.clock.setTimer(ms * US_PER_MS, resolve);
    });
    return Promise.race([promise.then(() => undefined), timeout]).finally(() => timer?.cancel());
  }
}
