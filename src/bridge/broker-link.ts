/** One message to publish. */
export interface OutboundMessage {
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly qos: 0 | 1;
  readonly retain: boolean;
  /** MQTT 5 correlation data (ignored on 3.1.1). */
  readonly correlationData?: Buffer;
}

/** One message received on a subscription. */
export interface InboundMessage {
  readonly topic: string;
  readonly payload: Buffer;
  /** MQTT 5 response topic, null on 3.1.1 or when absent. */
  readonly responseTopic: string | null;
  /** MQTT 5 correlation data, null on 3.1.1 or when absent. */
  readonly correlationData: Buffer | null;
  /** Delivered as the retained message present when the subscription was made (not live). */
  readonly retained?: boolean;
}

export interface BrokerLinkListener {
  /** Connected, and the subscriptions are granted. */
  up(protocolVersion: 4 | 5): void;
  /** A connection that was up is gone (the link reconnects by itself). */
  down(reason: string): void;
  message(message: InboundMessage): void;
}

/**
 * One logical connection to a broker, reconnecting by itself with backoff on the injected clock.
 *
 * Contract:
 * - `start` once; `up`/`down` alternate, starting with `up`; `stop` ends it for good (a clean
 *   MQTT DISCONNECT, so the broker does not publish the last will) and calls neither. `stop`
 *   waits for the broker to acknowledge what is in flight, but a bounded time only (a broker
 *   that never acknowledges loses the connection, not the caller's stop).
 * - `publish` only while `connected`; otherwise `done` gets an error on a later tick. `done` is
 *   called once: QoS 1 on PUBACK, QoS 0 when written. A connection lost before that may never
 *   call `done` at all: callers track in-flight messages themselves and treat `down` as "every
 *   unacknowledged message is undelivered".
 * - The link never queues while disconnected and never resends on its own (each connection is a
 *   fresh MQTT client with a clean session), so nothing stale is replayed behind the caller's back.
 * - `batch(fn)` runs `fn` and coalesces the socket writes it makes.
 */
export interface BrokerLink {
  readonly connected: boolean;
  readonly protocolVersion: 4 | 5 | null;
  /** Bytes written to the socket but not yet flushed to the kernel (congestion signal). */
  readonly writeBacklogBytes: number;
  start(listener: BrokerLinkListener): void;
  publish(message: OutboundMessage, done: (error?: Error) => void): void;
  batch(fn: () => void): void;
  stop(): Promise<void>;
}
