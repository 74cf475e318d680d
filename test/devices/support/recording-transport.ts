import { type Message, decodeWireFrame } from '../../../src/protocol/index.js';
import type { Clock } from '../../../src/time/clock.js';
import { ForwardingTransport } from '../../../src/transport/forwarding-transport.js';
import type { Transport } from '../../../src/transport/transport.js';

/**
 * Wraps the host's transport and decodes every write (the driver writes one frame per write),
 * so tests can assert on exactly what left the host and when.
 */
export class RecordingTransport extends ForwardingTransport {
  readonly writes: { readonly atUs: number; readonly message: Message }[] = [];

  constructor(
    inner: Transport,
    private readonly clock: Clock,
  ) {
    super(inner);
  }

  /** Frames of one type written, with their times. */
  writesOf<N extends Message['type']>(type: N): { atUs: number; message: Message<N> }[] {
    return this.writes.filter((w) => w.message.type === type) as unknown as { atUs: number; message: Message<N> }[];
  }

  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (!decoded.ok) throw new Error(`host wrote an undecodable frame: ${decoded.detail}`);
    this.writes.push({ atUs: this.clock.nowUs(), message: decoded.message });
    return super.write(bytes);
  }
}
