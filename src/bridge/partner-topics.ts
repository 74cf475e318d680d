import type { BrokerLink, InboundMessage } from './broker-link.js';
import { CoordinationStatusBoard } from './coordination-status.js';

/** Most messages a {@link PartnerTopicChannel} holds for a receiver not yet attached (older ones are dropped). */
const MAX_HELD = 256;

/** Counters of a {@link PartnerTopicChannel}. */
export interface PartnerTopicCounters {
  published: number;
  /** Publishes refused because the broker link was down (nothing is queued: the sender's spool owns retries). */
  notConnected: number;
  received: number;
  /** Received before a receiver was attached, beyond the bound. */
  droppedUnattached: number;
}

/**
 * Further `shared/` topics a node exchanges with its partners over its own broker, beside the
 * shared tracks (engagement intents): the bridge subscribes to {@link subscriptions} (optional:
 * an ACL that refuses them leaves the rest working), hands every message on them to
 * {@link message}, and gives the channel its guarded link at start. The channel publishes what
 * its owner sends (QoS 1, not retained; nothing while the broker is away) and delivers what
 * arrives to its receiver, never throwing into the bridge. Messages that arrive before a receiver
 * is attached are held (bounded) and handed over on attach, in order.
 */
export class PartnerTopicChannel {
  private link: BrokerLink | null = null;
  private receiver: ((topic: string, payload: Buffer) => void) | null = null;
  private readonly held: { topic: string; payload: Buffer }[] = [];
  readonly counters: PartnerTopicCounters = { published: 0, notConnected: 0, received: 0, droppedUnattached: 0 };
  /** What the owner of these topics reports for the node's `status` (engagement coordination: `status.coordination`). */
  readonly status = new CoordinationStatusBoard();

  constructor(readonly subscriptions: readonly string[]) {}

  /** Whether the broker link is up (a sender's messages wait in its own spool while it is not). */
  get connected(): boolean {
    return this.link?.connected === true;
  }

  /** Whether the bridge hands `topic` here. */
  takes(topic: string): boolean {
    return this.subscriptions.includes(topic);
  }

  /** A message off the broker on one of {@link subscriptions}. Never throws. */
  message(message: InboundMessage): void {
    this.counters.received += 1;
    const payload = Buffer.from(message.payload);
    if (this.receiver === null) {
      if (this.held.length >= MAX_HELD) {
        this.held.shift();
        this.counters.droppedUnattached += 1;
      }
      this.held.push({ topic: message.topic, payload });
      return;
    }
    this.deliver(message.topic, payload);
  }

  /** Where received messages go (one receiver); held ones are delivered now. */
  attach(receiver: (topic: string, payload: Buffer) => void): void {
    this.receiver = receiver;
    for (const m of this.held.splice(0)) this.deliver(m.topic, m.payload);
  }

  /** The bridge's link, at its start. */
  start(link: BrokerLink): void {
    this.link = link;
  }

  stop(): void {
    this.link = null;
    this.receiver = null;
  }

  /** Publish on the node's broker (QoS 1, not retained). False when the broker is away. */
  publish(topic: string, payload: Buffer): boolean {
    const link = this.link;
    if (link === null || !link.connected) {
      this.counters.notConnected += 1;
      return false;
    }
    link.publish({ topic, payload, qos: 1, retain: false }, () => undefined);
    this.counters.published += 1;
    return true;
  }

  private deliver(topic: string, payload: Buffer): void {
    try {
      this.receiver?.(topic, payload);
    } catch {
      // The receiver's fault is its own: the bridge goes on.
    }
  }
}
