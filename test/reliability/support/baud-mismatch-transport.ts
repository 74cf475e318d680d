import { ForwardingTransport } from '../../../src/transport/forwarding-transport.js';
import type { Transport, TransportEvents } from '../../../src/transport/transport.js';

/**
 * What a UART at `toBaud` decodes from 8N1 bytes sent at `fromBaud` (back to back): the line is
 * rebuilt bit by bit at the sender's rate and sampled at the receiver's (start-bit edge search
 * at 1/16 bit, data bits in the middle of each receiver bit; a framing error still delivers the
 * byte, as Linux does without INPCK). Pure and deterministic.
 */
export function resampleUart(bytes: Uint8Array, fromBaud: number, toBaud: number): Uint8Array {
  const senderBits: number[] = [];
  for (const byte of bytes) {
    senderBits.push(0);
    for (let i = 0; i < 8; i++) senderBits.push((byte >> i) & 1);
    senderBits.push(1);
  }
  const ts = 1 / fromBaud;
  const tr = 1 / toBaud;
  const end = senderBits.length * ts;
  const line = (t: number): number => (t >= end ? 1 : senderBits[Math.floor(t / ts)]!);
  const out: number[] = [];
  let t = 0;
  while (t < end) {
    if (line(t) !== 0) {
      t += tr / 16;
      continue;
    }
    let byte = 0;
    for (let i = 0; i < 8; i++) byte |= line(t + tr * (1.5 + i)) << i;
    out.push(byte);
    t += tr * 9.5; // the middle of the stop bit; the next start edge is searched from there
  }
  return Uint8Array.from(out);
}

/**
 * The host's end of a link whose device runs at another baud: every write is what the device's
 * UART decodes of it, every arrival what the host's UART decodes. Models a wrong `baud=` in a
 * link URL over a memory link (no real UART involved).
 */
export class BaudMismatchTransport extends ForwardingTransport {
  private readonly wrapped = new Map<unknown, (chunk: Uint8Array) => void>();

  constructor(
    inner: Transport,
    private readonly hostBaud: number,
    private readonly deviceBaud: number,
  ) {
    super(inner);
  }

  override write(bytes: Uint8Array): Promise<void> {
    return this.inner.write(resampleUart(bytes, this.hostBaud, this.deviceBaud));
  }

  override on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    if (event !== 'data') return this.inner.on(event, listener);
    const data = listener as TransportEvents['data'];
    const wrapped = (chunk: Uint8Array): void => data(resampleUart(chunk, this.deviceBaud, this.hostBaud));
    this.wrapped.set(listener, wrapped);
    this.inner.on('data', wrapped);
  }

  override off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    if (event !== 'data') return this.inner.off(event, listener);
    const wrapped = this.wrapped.get(listener);
    if (wrapped === undefined) return;
    this.wrapped.delete(listener);
    this.inner.off('data', wrapped);
  }
}
