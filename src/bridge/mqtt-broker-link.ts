import { readFile } from 'node:fs/promises';
import type { connect as MqttConnect, IClientOptions, MqttClient } from 'mqtt';
import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import { BridgeError } from './bridge-error.js';
import type { BrokerLink, BrokerLinkListener, OutboundMessage } from './broker-link.js';
import { type BackoffOptions, ReconnectBackoff } from './reconnect-backoff.js';

/** How to reach a broker: any MQTT 3.1.1 or 5 broker, TCP/TLS/WebSocket. */
export interface BrokerConnectionOptions {
  /** `mqtt://host:1883`, `mqtts://host:8883`, `ws://host:8080/mqtt`, `wss://...`. */
  readonly url: string;
  /** `auto` (default) tries MQTT 5 and falls back to 3.1.1 when the broker refuses the version. */
  readonly protocol?: 'auto' | '3.1.1' | '5';
  readonly clientId?: string;
  readonly username?: string;
  readonly password?: string;
  readonly tls?: {
    /** PEM file(s) of the CA(s) that sign the broker's certificate. */
    readonly caFile?: string;
    /** Client certificate and key (PEM) for mutual TLS. */
    readonly certFile?: string;
    readonly keyFile?: string;
    /** Default true; false only for a bench with self-signed certificates you trust. */
    readonly rejectUnauthorized?: boolean;
  };
  /** MQTT keepalive, s (default 10): a dead peer is noticed within 1.5 x this. */
  readonly keepaliveS?: number;
  /** Give up a connection attempt after this, ms (default 5000). */
  readonly connectTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
}

/** What the bridge adds: the last will and what to subscribe to. */
export interface LinkSession {
  readonly clientId: string;
  readonly will?: { readonly topic: string; readonly payload: string; readonly qos: 0 | 1; readonly retain: boolean };
  readonly subscriptions: readonly string[];
  /**
   * Subscribed too, but a broker may refuse them (an ACL written before the node read its own
   * retained topics) without failing the connection.
   */
  readonly optionalSubscriptions?: readonly string[];
}

/**
 * Wall time, ms, a stopping link waits for the broker to acknowledge what is in flight before it
 * drops the connection: a broker that never acknowledges (one that silently refuses a publish)
 * must not hold the stop forever.
 */
export const LINK_END_GRACE_MS = 2_000;

// Return codes that mean "speak an older protocol": 3.1.1 CONNACK 1, MQTT 5 reason 0x84.
const UNSUPPORTED_PROTOCOL = new Set([1, 0x84]);

/**
 * `BrokerLink` over mqtt.js. A fresh `MqttClient` per connection attempt with
 * `reconnectPeriod: 0`, `clean: true`, `queueQoSZero: false`: mqtt.js never queues offline and
 * never replays, and reconnection (with backoff on the injected clock) is ours. mqtt.js keeps its
 * own timers for keepalive and connect timeout; nothing of the bridge's logic depends on them.
 */
export class MqttBrokerLink implements BrokerLink {
  private client: MqttClient | null = null;
  private listener: BrokerLinkListener | null = null;
  private isUp = false;
  private stopped = false;
  private retryTimer: TimerHandle | null = null;
  private version: 4 | 5;
  private readonly backoff: ReconnectBackoff;

  private constructor(
    private readonly options: BrokerConnectionOptions,
    private readonly session: LinkSession,
    private readonly clock: Clock,
    private readonly tlsMaterial: Pick<IClientOptions, 'ca' | 'cert' | 'key'>,
    private readonly connectMqtt: typeof MqttConnect,
  ) {
    this.version = options.protocol === '3.1.1' ? 4 : 5;
    this.backoff = new ReconnectBackoff(options.backoff ?? {}, session.clientId);
  }

  /** Reads TLS files now, so a missing file fails at start, not at the first reconnect. */
  static async create(options: BrokerConnectionOptions, session: LinkSession, clock: Clock): Promise<MqttBrokerLink> {
    if (!/^(mqtts?|wss?|tcp|ssl):\/\//.test(options.url)) {
      throw new BridgeError(
        'broker-config',
        `broker URL '${options.url}' must start with mqtt://, mqtts://, ws:// or wss://`,
      );
    }
    const read = async (file: string | undefined, what: string): Promise<Buffer | undefined> => {
      if (file === undefined) return undefined;
      try {
        return await readFile(file);
      } catch (error) {
        throw new BridgeError(
          'broker-config',
          `TLS ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
        );
      }
    };
    const tls = options.tls;
    const material = {
      ca: await read(tls?.caFile, 'CA'),
      cert: await read(tls?.certFile, 'certificate'),
      key: await read(tls?.keyFile, 'key'),
    };
    // The MQTT client loads when a bridge starts, not with every command (virtual-time runs
    // without a broker never load it).
    const { connect } = await import('mqtt');
    return new MqttBrokerLink(options, session, clock, material, connect);
  }

  get connected(): boolean {
    return this.isUp;
  }

  get protocolVersion(): 4 | 5 | null {
    return this.isUp ? this.version : null;
  }

  get writeBacklogBytes(): number {
    return this.client?.stream?.writableLength ?? 0;
  }

  start(listener: BrokerLinkListener): void {
    if (this.listener !== null) throw new BridgeError('already-started', 'broker link already started');
    this.listener = listener;
    this.attempt();
  }

  publish(message: OutboundMessage, done: (error?: Error) => void): void {
    const client = this.client;
    if (!this.isUp || client === null) {
      queueMicrotask(() => done(new BridgeError('broker-unavailable', 'not connected')));
      return;
    }
    const properties =
      this.version === 5 && message.correlationData !== undefined
        ? { correlationData: message.correlationData }
        : undefined;
    client.publish(message.topic, message.payload, { qos: message.qos, retain: message.retain, properties }, (error) =>
      done(error ?? undefined),
    );
  }

  batch(fn: () => void): void {
    const stream = this.client?.stream;
    if (stream === undefined || !this.isUp) {
      fn();
      return;
    }
    stream.cork();
    try {
      fn();
    } finally {
      // mqtt.js writes some packets a tick later; uncork after them so they share a syscall.
      process.nextTick(() => stream.uncork());
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    this.isUp = false;
    if (client === null) return;
    client.removeAllListeners();
    client.on('error', () => undefined);
    // Network time, not the run's clock: the acknowledgements come at the broker's pace.
    await new Promise<void>((resolve) => {
      const grace = new RealClock().setTimer(LINK_END_GRACE_MS * US_PER_MS, () => {
        // mqtt.js ignores a second end() while one waits for its acknowledgements: force it.
        client.removeAllListeners('outgoingEmpty');
        client.disconnecting = false;
        client.end(true, {}, () => resolve());
      });
      client.end(!client.connected, {}, () => {
        grace.cancel();
        resolve();
      });
    });
  }

  private attempt(): void {
    if (this.stopped) return;
    const version = this.version;
    const options: IClientOptions = {
      clientId: this.session.clientId,
      protocolVersion: version,
      clean: true,
      reconnectPeriod: 0,
      queueQoSZero: false,
      resubscribe: false,
      keepalive: this.options.keepaliveS ?? 10,
      connectTimeout: this.options.connectTimeoutMs ?? 5_000,
      username: this.options.username,
      password: this.options.password,
      rejectUnauthorized: this.options.tls?.rejectUnauthorized ?? true,
      ...this.tlsMaterial,
      will: this.session.will,
    };
    const client = this.connectMqtt(this.options.url, options);
    this.client = client;
    let finished = false;
    let refusedVersion = false;

    const finish = (reason: string): void => {
      if (finished) return;
      finished = true;
      if (this.client === client) this.client = null;
      const wasUp = this.isUp;
      this.isUp = false;
      // Tell the listener first: mqtt.js calls pending publish callbacks with errors while it
      // ends, and those must already count as "lost with the connection", not as refusals.
      if (wasUp) this.listener?.down(reason);
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true);
      if (this.stopped) return;
      if (refusedVersion && this.options.protocol !== '5' && this.version === 5) {
        this.version = 4; // sticky: the broker speaks 3.1.1 only (e.g. Aedes)
        this.retryTimer = this.clock.setTimer(0, () => this.attempt());
        return;
      }
      this.retryTimer = this.clock.setTimer(this.backoff.nextDelayMs() * US_PER_MS, () => this.attempt());
    };

    client.on('connect', () => {
      if (this.session.subscriptions.length === 0) {
        this.onConnected(client, version);
        return;
      }
      const required = this.session.subscriptions.length;
      const subscriptions = Object.fromEntries(
        [...this.session.subscriptions, ...(this.session.optionalSubscriptions ?? [])].map((topic) => [
          topic,
          version === 5 ? { qos: 1 as const, nl: true } : { qos: 1 as const },
        ]),
      );
      client.subscribe(subscriptions, (error, granted) => {
        if (finished) return;
        if (error || granted === undefined || granted.slice(0, required).some((g) => g.qos === 128)) {
          finish(`subscribe refused${error ? `: ${error.message}` : ''}`);
          return;
        }
        this.onConnected(client, version);
      });
    });
    client.on('message', (topic, payload, packet) => {
      if (!this.isUp || this.client !== client) return;
      this.listener?.message({
        topic,
        payload,
        responseTopic: packet.properties?.responseTopic ?? null,
        correlationData: packet.properties?.correlationData ?? null,
        retained: packet.retain === true,
      });
    });
    client.on('error', (error) => {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'number' && UNSUPPORTED_PROTOCOL.has(code)) refusedVersion = true;
      finish(error.message);
    });
    client.on('close', () => finish('connection closed'));
  }

  private onConnected(client: MqttClient, version: 4 | 5): void {
    if (this.client !== client || this.stopped) return;
    // Writes are batched by `batch()` already; Nagle would only add delay to lone state updates.
    const socket = client.stream as { setNoDelay?: (noDelay: boolean) => unknown };
    if (typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    this.backoff.reset();
    this.isUp = true;
    this.listener?.up(version);
  }
}
