import { FRAME_DELIMITER, cobsDecode, cobsEncode, crc16CcittFalse } from '../../../src/framing/index.js';
import { type Message, decodeWireFrame, encodeMessage } from '../../../src/protocol/index.js';
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

  /** `onlyType`: repair only frames of that type code (a device that skips the CRC check of one message). */
  constructor(
    inner: Transport,
    private readonly onlyType?: number,
  ) {
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
      out.push(...this.repair(Uint8Array.from(this.pending)), FRAME_DELIMITER);
      this.pending = [];
    }
    if (out.length === 0) return;
    const bytes = Uint8Array.from(out);
    for (const listener of [...this.listeners]) listener(bytes);
  }

  /** What the firmware sees of one received block (without its delimiter). */
  protected repair(block: Uint8Array): Uint8Array {
    return repairCrc(block, this.onlyType);
  }
}

/**
 * A device end that sets the ACK-requested flag on every received frame of type `typeCode`
 * lacking it (CRC recomputed) before the firmware sees it: a device that executes, and answers,
 * a command sent without the flag (ICD-FRM-007 broken).
 */
export class AckFlagIgnoringTransport extends CrcIgnoringTransport {
  constructor(
    inner: Transport,
    private readonly typeCode: number,
  ) {
    super(inner);
  }

  protected override repair(block: Uint8Array): Uint8Array {
    const body = cobsDecode(block);
    if (body === undefined || body.length < 7 || body[1] !== this.typeCode || (body[4]! & 0x01) !== 0) return block;
    const crc = crc16CcittFalse(body, 0, body.length - 2);
    const valid = body[body.length - 2] === (crc & 0xff) && body[body.length - 1] === crc >> 8;
    if (!valid) return block;
    body[4] = body[4]! | 0x01;
    const repaired = crc16CcittFalse(body, 0, body.length - 2);
    body[body.length - 2] = repaired & 0xff;
    body[body.length - 1] = repaired >> 8;
    return cobsEncode(body);
  }
}

function repairCrc(block: Uint8Array, onlyType?: number): Uint8Array {
  const body = cobsDecode(block);
  if (body === undefined || body.length < 7) return block;
  if (onlyType !== undefined && body[1] !== onlyType) return block;
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

/**
 * A device end that rewrites some of the frames the firmware writes (a wrong seq echo, a seq
 * skipped): `rewrite` returns the message to send instead, or undefined to drop it. Needs the
 * device unpaced, so that each write is one whole frame.
 */
export class RewritingTransport extends DroppingTransport {
  constructor(inner: Transport, rewrite: (message: Message) => Message | undefined) {
    super(inner, () => false);
    this.rewriteFrame = rewrite;
  }

  private readonly rewriteFrame: (message: Message) => Message | undefined;

  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (!decoded.ok) return super.write(bytes);
    const replaced = this.rewriteFrame(decoded.message);
    if (replaced === undefined) return Promise.resolve();
    return super.write(encodeMessage(replaced));
  }
}

/**
 * A device end that, after every `every`-th frame the firmware writes, also writes an invalid
 * block made from it (`corrupt`): a device whose output is sometimes broken, without losing a
 * frame. Needs the device unpaced.
 */
export class InjectingTransport extends DroppingTransport {
  private count = 0;

  constructor(
    inner: Transport,
    private readonly every: number,
    private readonly corrupt: (message: Message) => Uint8Array,
  ) {
    super(inner, () => false);
  }

  override async write(bytes: Uint8Array): Promise<void> {
    await super.write(bytes);
    const decoded = decodeWireFrame(bytes);
    if (decoded.ok && ++this.count % this.every === 0) await super.write(this.corrupt(decoded.message));
  }
}

/**
 * A device end that never sends some frames yet keeps its numbering continuous (the frames are
 * not sent, not lost): later frames are renumbered, retransmissions keep the number their
 * original got. Needs the device unpaced.
 */
export class SilentDroppingTransport extends DroppingTransport {
  private skipped = 0;
  private readonly renumbered = new Map<number, number>();

  constructor(inner: Transport, drop: (message: Message) => boolean) {
    super(inner, () => false);
    this.dropFrame = drop;
  }

  private readonly dropFrame: (message: Message) => boolean;

  override write(bytes: Uint8Array): Promise<void> {
    const decoded = decodeWireFrame(bytes);
    if (!decoded.ok) return super.write(bytes);
    const m = decoded.message;
    const retransmission = (m.flags & 0x02) !== 0;
    if (!retransmission && this.dropFrame(m)) {
      this.skipped++;
      return Promise.resolve();
    }
    const seq = retransmission ? (this.renumbered.get(m.seq) ?? m.seq) : (m.seq - this.skipped) & 0xffff;
    if (!retransmission) {
      this.renumbered.set(m.seq, seq);
      if (this.renumbered.size > 1000) this.renumbered.delete(this.renumbered.keys().next().value!);
    }
    return super.write(encodeMessage({ ...m, seq }));
  }
}

/**
 * A host end whose every write completes `delayUs` late (a loaded host writing to a slow port):
 * a frame written byte by byte then spans several host heartbeat periods.
 */
export class SlowWritingTransport extends ForwardingTransport {
  constructor(
    inner: Transport,
    private readonly clock: { setTimer(delayUs: number, callback: () => void): unknown },
    private readonly delayUs: number,
  ) {
    super(inner);
  }

  override async write(bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve) => this.clock.setTimer(this.delayUs, resolve));
    return this.inner.write(bytes);
  }
}
