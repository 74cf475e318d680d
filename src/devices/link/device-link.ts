import { FLAG_ACK_REQUESTED } from '../../framing/index.js';
import { CATALOGUE, FrameReader, type Message, type MessageBody, encodeMessage } from '../../protocol/index.js';
import type { Clock } from '../../time/clock.js';
import { lineTimeUs } from '../../transport/paced-transport.js';
import { type OwnedWrite, type Transport, ownedWriteOf } from '../../transport/transport.js';
import {
  AcknowledgedSender,
  type AckReceipt,
  DEFAULT_RETRANSMIT_CONFIG,
  type RetransmitConfig,
  type SentFrame,
  commandIdOf,
} from './acknowledged-sender.js';
import { type LinkCounters, copyLinkCounters, emptyLinkCounters } from './link-counters.js';
import { ReceiveSequenceTracker } from './receive-sequence-tracker.js';

/** Options of {@link DeviceLink}. */
export interface DeviceLinkOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  /** Retransmission knobs; defaults in DEFAULT_RETRANSMIT_CONFIG. */
  readonly retransmit?: Partial<RetransmitConfig>;
  /**
   * Line rate host → device in baud (8N1) when the line paces the bytes (a real UART, or a
   * PacedTransport). The link then models when each frame really starts and ends on the line
   * (a frame waits for the previous one), for time-sync t1 and for ACK timeouts.
   * Default: unknown — frames are taken to leave the instant they are written.
   */
  readonly hostToDeviceBaud?: number;
  /** Every decoded, non-duplicate device frame other than an ACK/NAK, with its arrival time. */
  readonly onMessage: (message: Message, rxUs: number) => void;
  /** Every decoded frame, duplicates and ACK/NAK included (liveness, ICD-HOST-001). */
  readonly onHeard?: (rxUs: number) => void;
  /**
   * Seq of the first frame this link sends (0..65535), default 0. A host session starts where
   * its persisted reservation says (`firstSeqOfSession`), not at 0 every time.
   */
  readonly firstSeq?: number;
}

/**
 * The link layer of one device over any Transport: framing, sequence numbers both ways,
 * duplicate suppression, acknowledged frames with bounded retransmission, ACKs for device
 * frames that ask for one, and counters. It knows nothing of sessions or device kinds.
 *
 * Contract:
 * - Frames are decoded with `receiving: 'device-to-host'` (ICD-FRM-011); invalid frames are
 *   counted and dropped (ICD-FRM-010). `onMessage` runs synchronously inside the transport's
 *   `data` event; its `rxUs` is the clock read when that event began, before decoding: the
 *   arrival time of the chunk holding the frame's last byte.
 * - Outgoing seq increases by 1 per new frame and wraps 65535 → 0; retransmissions reuse it
 *   (ICD-FRM-009).
 * - A duplicate (seq already seen) is not delivered, but is ACKed again if it asks for an ACK,
 *   since the first ACK was evidently lost (ICD-LNCH-009).
 * - While `writesEnabled` is false nothing at all is written (fail closed, ICD-HOST-003).
 * - `attach()`/`detach()` bracket one transport session; counters span all of them.
 */
export class DeviceLink {
  /** When false, every write is refused: used when the device is incompatible. */
  writesEnabled = true;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly hostToDeviceBaud: number | undefined;
  private readonly options: DeviceLinkOptions;
  private readonly counts: LinkCounters = emptyLinkCounters();
  private readonly reader: FrameReader;
  private readonly sequence = new ReceiveSequenceTracker();
  private readonly acknowledged: AcknowledgedSender;
  private nextSeq = 0;
  private lineFreeAtUs = 0;
  private attached = false;
  /** Arrival time of the chunk being decoded (undefined outside the transport's data event). */
  private chunkRxUs: number | undefined;
  private readonly onData = (chunk: Uint8Array): void => this.receive(chunk);
  private readonly onError = (): void => {
    this.counts.transportErrors++;
  };
  private readonly onWriteError = (): void => {
    this.counts.writeErrors++;
  };
  /** The transport's callback write, when it has one (a paced link): no copy, no promise. */
  private readonly owned: OwnedWrite | undefined;
  private readonly onOwnedWriteDone = (error?: Error): void => {
    if (error !== undefined) this.counts.writeErrors++;
  };

  constructor(options: DeviceLinkOptions) {
    this.options = options;
    this.nextSeq = (options.firstSeq ?? 0) & 0xffff;
    this.transport = options.transport;
    this.owned = ownedWriteOf(options.transport);
    this.clock = options.clock;
    this.hostToDeviceBaud = options.hostToDeviceBaud;
    this.reader = new FrameReader({
      receiving: 'device-to-host',
      onMessage: (message) => this.onFrame(message),
    });
    this.acknowledged = new AcknowledgedSender(
      options.clock,
      { ...DEFAULT_RETRANSMIT_CONFIG, ...options.retransmit },
      this.counts,
      (body, seq, flags) => this.write(body, seq, flags),
    );
  }

  /** A snapshot of the counters. */
  counters(): LinkCounters {
    const snapshot = copyLinkCounters(this.counts);
    const reader = this.reader.counters;
    snapshot.frameErrors = { ...reader.errors };
    snapshot.discardedBytes = reader.discardedBytes;
    snapshot.seqGaps = this.sequence.gaps;
    snapshot.duplicates = this.sequence.duplicates;
    snapshot.seqResyncs = this.sequence.resyncs;
    return snapshot;
  }

  /** Counters other parts of the driver bump (link losses, opens, time-sync timeouts). */
  get mutableCounters(): LinkCounters {
    return this.counts;
  }

  /**
   * Whether a `send`/`sendMessage` hands its frame over without starting asynchronous work
   * (no promise: the transport takes it by `writeOwned`, as a paced link does). Periodic senders
   * then tell a virtual clock their timer was SYNC_ONLY.
   */
  get writesSynchronously(): boolean {
    return this.owned !== undefined;
  }

  /** Acknowledged frames awaiting ACK/NAK. */
  get pendingCount(): number {
    return this.acknowledged.size;
  }

  /** Line time of `bytes` host → device, 0 when the rate is unknown. */
  hostToDeviceLineUs(bytes: number): number {
    return this.hostToDeviceBaud === undefined ? 0 : lineTimeUs(bytes, this.hostToDeviceBaud);
  }

  /** Start listening to a freshly opened transport session. */
  attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.lineFreeAtUs = 0;
    this.sequence.reset();
    this.transport.on('data', this.onData);
    this.transport.on('error', this.onError);
  }

  /**
   * Stop listening. A partial frame left in the framer is terminated with a delimiter, so it is
   * counted and dropped now rather than glued to the first bytes of the next session.
   */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.transport.off('data', this.onData);
    this.transport.off('error', this.onError);
    this.reader.push(Uint8Array.of(0));
  }

  /** Forget the device's numbering (it may have restarted): the next frame starts afresh. */
  resetReceiveSequence(): void {
    this.sequence.reset();
  }

  /** Send a frame that needs no answer. Returns undefined when it could not be written. */
  send(body: MessageBody): SentFrame | undefined {
    return this.write(body, this.allocateSeq(), 0);
  }

  /**
   * `send` without copying the body, for a message object made for this one frame (the
   * driver's own periodic frames): the link overwrites its `seq` and `flags` with the frame's
   * and encodes it at once. The caller must not reuse the object for another frame.
   */
  sendMessage(message: Message): SentFrame | undefined {
    message.seq = this.allocateSeq();
    message.flags = 0;
    return this.writeMessage(message);
  }

  /**
   * Send a frame with FLAG_ACK_REQUESTED and retransmit it until ACK/NAK (see
   * AcknowledgedSender for the contract).
   */
  sendAcknowledged(body: MessageBody): Promise<AckReceipt> {
    return this.acknowledged.send(body, this.allocateSeq());
  }

  /** Reject every pending acknowledged frame with `error`; none is ever written again. */
  rejectPending(error: Error): void {
    this.acknowledged.rejectAll(error);
  }

  private allocateSeq(): number {
    const seq = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) & 0xffff;
    return seq;
  }

  private write(body: MessageBody, seq: number, flags: number): SentFrame | undefined {
    return this.writeMessage({ ...body, seq, flags } as Message);
  }

  /** Encode and write a message whose seq and flags are set. */
  private writeMessage(message: Message): SentFrame | undefined {
    if (!this.writesEnabled || !this.attached || !this.transport.isOpen) return undefined;
    const { seq } = message;
    const bytes = encodeMessage(message);
    const nowUs = this.clock.nowUs();
    // Same queue model as a paced line: a frame starts when the previous one has left.
    const txStartUs = this.hostToDeviceBaud === undefined ? nowUs : Math.max(nowUs, this.lineFreeAtUs);
    const txEndUs = txStartUs + this.hostToDeviceLineUs(bytes.length);
    this.lineFreeAtUs = txEndUs;
    this.counts.framesOut++;
    this.counts.bytesOut += bytes.length;
    // The encoded frame is ours alone: hand it over uncopied where the transport allows.
    if (this.owned !== undefined) this.owned.writeOwned(bytes, this.onOwnedWriteDone);
    else this.transport.write(bytes).catch(this.onWriteError);
    return { seq, byteLength: bytes.length, txStartUs, txEndUs };
  }

  private receive(chunk: Uint8Array): void {
    this.counts.bytesIn += chunk.length;
    // Read the clock as the bytes arrive, before decoding: the arrival of every frame they
    // complete (time-sync t4), not that plus the decoder's time.
    this.chunkRxUs = this.clock.nowUs();
    try {
      this.reader.push(chunk);
    } finally {
      this.chunkRxUs = undefined;
    }
  }

  private onFrame(message: Message): void {
    if (!this.attached) return; // the frame a detach() flushed: its session is over
    const rxUs = this.chunkRxUs ?? this.clock.nowUs();
    this.counts.framesIn++;
    this.options.onHeard?.(rxUs);
    const verdict = this.sequence.observe(message.seq);
    const wantsAck = (message.flags & FLAG_ACK_REQUESTED) !== 0;
    // ICD-FRM-007: a frame whose ACK-requested flag does not match its type is discarded.
    if (wantsAck !== CATALOGUE[message.type].acknowledged) {
      this.counts.frameErrors.field++;
      return;
    }
    if (verdict === 'duplicate') {
      if (wantsAck) this.acknowledge(message);
      return;
    }
    if (message.type === 'ACK') {
      this.acknowledged.onAck(message);
      return;
    }
    if (message.type === 'NAK') {
      this.acknowledged.onNak(message);
      return;
    }
    if (wantsAck) this.acknowledge(message);
    this.options.onMessage(message, rxUs);
  }

  /** ACK a device frame (FIRE_REPORT, ICD-LNCH-009), echoing seq, type and command id. */
  private acknowledge(message: Message): void {
    const sent = this.sendMessage({
      type: 'ACK',
      seq: 0,
      flags: 0,
      ackedSeq: message.seq,
      ackedType: CATALOGUE[message.type].code,
      commandId: commandIdOf(message),
    });
    if (sent !== undefined) this.counts.acksSent++;
  }
}
