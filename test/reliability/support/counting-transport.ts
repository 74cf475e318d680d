import { type Message, decodeWireFrame } from '../../../src/protocol/index.js';
import type { Clock } from '../../../src/time/clock.js';
import { ForwardingTransport } from '../../../src/transport/forwarding-transport.js';
import type { Transport, TransportEvents } from '../../../src/transport/transport.js';

/** One frame the host wrote. */
export interface HostWrite {
  readonly atUs: number;
  /** Undefined when the host wrote bytes that do not decode (never expected). */
  readonly message: Message | undefined;
}

/**
 * Wraps the host's transport: decodes every write (the drivers write one frame per write) and
 * counts the listeners the host holds on it, so a test can prove what left the host, when, and
 * that reconnect cycles leave no listener behind.
 */
export class CountingTransport extends ForwardingTransport {
  readonly writes: HostWrite[] = [];
  private readonly held = { data: 0, close: 0, error: 0 };

  constructor(
    inner: Transport,
    private readonly clock: Clock,
  ) {
    super(inner);
  }

  /** Listeners the host holds now, per event. */
  get listeners(): Readonly<Record<keyof TransportEvents, number>> {
    return { ...this.held };
  }

  /** Writes of one message type. */
  writesOf(type: Message['type']): HostWrite[] {
    return this.writes.filter((w) => w.message?.type === type);
  }

  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    this.writes.push({ atUs: this.clock.nowUs(), message: decoded.ok ? decoded.message : undefined });
    return super.write(bytes);
  }

  override on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.held[event]++;
    super.on(event, listener);
  }

  override off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.held[event]--;
    super.off(event, listener);
  }
}
