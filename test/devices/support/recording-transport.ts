import { type Message, decodeWireFrame } from '../../../src/protocol/index.js';
import type { Clock } from '../../../src/time/clock.js';
import type { Transport, TransportEvents } from '../../../src/transport/transport.js';

/**
 * Wraps the host's transport and decodes every write (the driver writes one frame per write),
 * so tests can assert on exactly what left the host and when.
 */
export class RecordingTransport implements Transport {
  readonly writes: { readonly atUs: number; readonly message: Message }[] = [];

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

  /** Frames of one type written, with their times. */
  writesOf<N extends Message['type']>(type: N): { atUs: number; message: Message<N> }[] {
    return this.writes.filter((w) => w.message.type === type) as unknown as { atUs: number; message: Message<N> }[];
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (!decoded.ok) throw new Error(`host wrote an undecodable frame: ${decoded.detail}`);
    this.writes.push({ atUs: this.clock.nowUs(), message: decoded.message });
    return this.inner.write(bytes);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.off(event, listener);
  }
}
