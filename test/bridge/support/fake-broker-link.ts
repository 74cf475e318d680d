import type {
  BrokerLink,
  BrokerLinkListener,
  InboundMessage,
  OutboundMessage,
} from '../../../src/bridge/broker-link.js';

/** A published message as the fake broker saw it, with a way to acknowledge it. */
export interface FakePublish {
  readonly message: OutboundMessage;
  readonly connection: number;
  acked: boolean;
  ack(error?: Error): void;
}

/**
 * A `BrokerLink` driven by the test: `goUp()` / `goDown()` switch the connection, publishes are
 * recorded and acknowledged by `ackAll()` (or automatically with `autoAck`). Follows the
 * `BrokerLink` contract: callbacks of a dead connection are never called.
 */
export class FakeBrokerLink implements BrokerLink {
  readonly publishes: FakePublish[] = [];
  connected = false;
  protocolVersion: 4 | 5 | null = null;
  writeBacklogBytes = 0;
  autoAck = false;
  private listener: BrokerLinkListener | null = null;
  private connection = 0;
  stopped = false;

  start(listener: BrokerLinkListener): void {
    this.listener = listener;
  }

  goUp(version: 4 | 5 = 5): void {
    this.connection++;
    this.connected = true;
    this.protocolVersion = version;
    this.listener?.up(version);
  }

  goDown(reason = 'test'): void {
    this.connected = false;
    this.protocolVersion = null;
    this.listener?.down(reason);
  }

  deliver(message: InboundMessage): void {
    this.listener?.message(message);
  }

  publish(message: OutboundMessage, done: (error?: Error) => void): void {
    if (!this.connected) {
      queueMicrotask(() => done(new Error('not connected')));
      return;
    }
    const connection = this.connection;
    const entry: FakePublish = {
      message,
      connection,
      acked: false,
      ack: (error?: Error) => {
        if (entry.acked || connection !== this.connection || !this.connected) return;
        entry.acked = true;
        done(error);
      },
    };
    this.publishes.push(entry);
    if (this.autoAck) queueMicrotask(() => entry.ack());
  }

  /** Acknowledge everything outstanding on the current connection. */
  ackAll(): number {
    let n = 0;
    for (const p of this.publishes) {
      if (!p.acked && p.connection === this.connection) {
        p.ack();
        n++;
      }
    }
    return n;
  }

  batch(fn: () => void): void {
    fn();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.connected = false;
  }

  /** Payloads published on topics matching `prefix`, parsed. */
  payloads(prefix: string): unknown[] {
    return this.publishes
      .filter((p) => p.message.topic.startsWith(prefix))
      .map((p) => JSON.parse(String(p.message.payload)));
  }
}
