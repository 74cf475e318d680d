import { FLAG_RETRANSMISSION } from '../../src/framing/frame-layout.js';
import { encodeFrame } from '../../src/protocol/codec.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import type { Clock } from '../../src/time/clock.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';
import type { Transport } from '../../src/transport/transport.js';
import type { DeviceClock } from '../device-clock.js';

/** `urgent` frames (ACK/NAK, answers, heartbeats) go before any queued `normal` frame. */
export type TxPriority = 'urgent' | 'normal';

/** A frame waiting for the line. */
export interface OutgoingFrame {
  /**
   * Builds the message when its first byte goes on the line; `startDeviceUs` is the device time
   * then (TIME_SYNC_RESPONSE t3, ICD-CMN-007; IDENT and status times). Synchronous, like
   * `onSent`: both may run inside the line's clock timer (see Transmitter).
   */
  build(startDeviceUs: number): MessageBody;
  /** FLAG_ACK_REQUESTED / FLAG_RETRANSMISSION. */
  readonly flags: number;
  /** A retransmission repeats the seq of its original (ICD-FRM-009); new frames leave it unset. */
  readonly seq?: number;
  /** Told the frame's seq and the shared instant its first byte left. */
  onSent?(seq: number, startUs: number): void;
}

/** Counters of what a device sent. */
export interface TransmitterCounters {
  frames: number;
  bytes: number;
  retransmissions: number;
  /** Frames that found the link closed (lost, as into an unplugged cable). */
  lostWhileClosed: number;
}

/**
 * A device's UART transmitter: one line, frames in priority then FIFO order, each encoded at
 * the instant its first byte leaves, so times inside it are exact (TIME_SYNC_RESPONSE t3,
 * ICD-CMN-007). New frames take seq + 1 (wrapping 65535 → 0, ICD-FRM-009).
 *
 * The output is the PacedTransport at the device baud: a frame is handed to it only when the
 * previous one has left (its write resolved), so it starts on the line at once and urgent
 * frames (ACK/NAK, answers, heartbeats) overtake everything still queued here. No timer of our
 * own: the PacedTransport's timers carry the schedule. While the link is closed, frames are
 * lost at once, as into an unplugged cable.
 *
 * Over a PacedTransport, frames go through `writeOwned()`: the next frame is built and started
 * synchronously inside the timer that put the previous one's last byte on the wire — the very
 * instant, and the same order, in which a resolved write()'s continuation ran — so that timer
 * costs no event-loop turn in virtual time. Hence `build`, `onSent` and `onFrame` must be
 * synchronous (they are: they build messages, set timers and count).
 */
export class Transmitter {
  readonly counters: TransmitterCounters = { frames: 0, bytes: 0, retransmissions: 0, lostWhileClosed: 0 };
  private readonly urgent: OutgoingFrame[] = [];
  private readonly normal: OutgoingFrame[] = [];
  private busy = false;
  private nextSeq = 0;
  private stopped = false;

  private readonly paced: PacedTransport | undefined;
  /** The previous frame left (or failed to): the line is free for the next. */
  private readonly onLineFree = (): void => {
    this.busy = false;
    this.pump();
  };

  constructor(
    private readonly clock: Clock,
    private readonly deviceClock: DeviceClock,
    private readonly output: Transport,
    /** Every frame as put on the line (for logs and tests). */
    private readonly onFrame?: (message: Message, bytes: Uint8Array) => void,
  ) {
    this.paced = output instanceof PacedTransport ? output : undefined;
  }

  /**
   * Whether `enqueue` starts no asynchronous work: frames go out by `PacedTransport.writeOwned`
   * (callbacks from the line's clock timer, no promise). Periodic senders then tell a virtual
   * clock their timer was SYNC_ONLY.
   */
  get synchronous(): boolean {
    return this.paced !== undefined;
  }

  /** Frames waiting for the line. */
  get queued(): number {
    return this.urgent.length + this.normal.length;
  }

  enqueue(frame: OutgoingFrame, priority: TxPriority = 'normal'): void {
    if (this.stopped) return;
    (priority === 'urgent' ? this.urgent : this.normal).push(frame);
    this.pump();
  }

  /** Drop everything queued and stop. */
  stop(): void {
    this.stopped = true;
    this.urgent.length = 0;
    this.normal.length = 0;
  }

  private pump(): void {
    while (!this.stopped && !this.busy) {
      const frame = this.urgent.shift() ?? this.normal.shift();
      if (frame === undefined) return;
      this.send(frame);
    }
  }

  private send(frame: OutgoingFrame): void {
    const now = this.clock.nowUs();
    const seq = frame.seq ?? this.takeSeq();
    const body = frame.build(this.deviceClock.toDeviceUs(now));
    const bytes = encodeFrame(body, seq, frame.flags);
    this.counters.frames++;
    this.counters.bytes += bytes.length;
    if ((frame.flags & FLAG_RETRANSMISSION) !== 0) this.counters.retransmissions++;
    this.onFrame?.({ ...body, seq, flags: frame.flags } as Message, bytes);
    frame.onSent?.(seq, now);
    if (!this.output.isOpen) {
      this.counters.lostWhileClosed++;
      return;
    }
    this.busy = true;
    // A link that closes mid-frame loses the rest of it, as a UART does. `bytes` is a fresh
    // array from encodeFrame that onFrame has seen and nobody changes: it can be given away.
    if (this.paced !== undefined) this.paced.writeOwned(bytes, this.onLineFree);
    else this.output.write(bytes).then(this.onLineFree, this.onLineFree);
  }

  private takeSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xffff;
    return seq;
  }
}
