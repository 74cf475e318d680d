import { type Message, decodeWireFrame } from '../../../src/protocol/index.js';
import type { Clock } from '../../../src/time/clock.js';
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
export class CountingTransport implements Transport {
  readonly writes: HostWrite[] = [];
  private readonly held = { data: 0, close: 0, error: 0 };

  constructor(
    private readonly inner: Transport,
    private readonly clock: Clock,
  ) {}

  get url(): string {
    return this.inner.url;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  /** Listeners the host holds now, per event. */
  get listeners(): Readonly<Record<keyof TransportEvents, number>> {
    return { ...this.held };
  }

  /** Writes of one message type. */
  writesOf(type: Message['type']): HostWrite[] {
    return this.writes.filter((w) => w.message?.type === type);
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    this.writes.push({ atUs: this.clock.nowUs(), message: decoded.ok ? decoded.message : undefined });
    return this.inner.write(bytes);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.held[event]++;
    this.inner.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.held[event]--;
    this.inner.off(event, listener);
  }
}
