import { FRAME_DELIMITER, cobsDecode, cobsEncode, crc16CcittFalse } from '../../../src/framing/index.js';
import { type Message, decodeWireFrame } from '../../../src/protocol/index.js';
import { ForwardingTransport } from '../../../src/transport/forwarding-transport.js';
import type { Transport, TransportEvents } from '../../../src/transport/transport.js';

/**
 * A device end that never puts some frames on the wire (e.g. a firmware that sends no
 * HEARTBEAT). Needs the device unpaced, so that each write is one whole frame.
 */
export class DroppingTransport extends ForwardingTransport {
  dropped = 0;

  constructor(
    inner: Transport,
    private readonly drop: (message: Message) => boolean,
  ) {
    super(inner);
  }

  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (decoded.ok && this.drop(decoded.message)) {
      this.dropped++;
      return Promise.resolve();
    }
    return this.inner.write(bytes);
  }
}

/**
 * A device end that repairs the CRC of every frame it receives before the firmware sees it: a
 * device that does not check CRCs (ICD-FRM-005 broken).
 */
export class CrcIgnoringTransport extends ForwardingTransport {
  private readonly listeners: TransportEvents['data'][] = [];
  private pending: number[] = [];

  constructor(inner: Transport) {
    super(inner);
    inner.on('data', (chunk) => this.receive(chunk));
  }

  override on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    if (event === 'data') this.listeners.push(listener as TransportEvents['data']);
    else this.inner.on(event, listener);
  }

  override off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    if (event === 'data') {
      const index = this.listeners.indexOf(listener as TransportEvents['data']);
      if (index >= 0) this.listeners.splice(index, 1);
    } else this.inner.off(event, listener);
  }

  private receive(chunk: Uint8Array): void {
    const out: number[] = [];
    for (const byte of chunk) {
      if (byte !== FRAME_DELIMITER) {
        this.pending.push(byte);
        continue;
      }
      out.push(...repairCrc(Uint8Array.from(this.pending)), FRAME_DELIMITER);
      this.pending = [];
    }
    if (out.length === 0) return;
    const bytes = Uint8Array.from(out);
    for (const listener of [...this.listeners]) listener(bytes);
  }
}

function repairCrc(block: Uint8Array): Uint8Array {
  const body = cobsDecode(block);
  if (body === undefined || body.length < 7) return block;
  const crc = crc16CcittFalse(body, 0, body.length - 2);
  body[body.length - 2] = crc & 0xff;
  body[body.length - 1] = crc >> 8;
  return cobsEncode(body);
}

/** A transport whose writes never complete (a serial port stuck on flow control). */
export class StuckTransport implements Transport {
  readonly url = 'stuck:';
  isOpen = false;

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
  }

  write(): Promise<void> {
    return new Promise<void>(() => undefined);
  }

  on(): void {}

  off(): void {}
}
