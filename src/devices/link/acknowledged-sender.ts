import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../framing/index.js';
import { CATALOGUE, type Message, type MessageBody, type MessageName } from '../../protocol/index.js';
import type { Clock, TimerHandle } from '../../time/clock.js';
import { AckTimeoutError, NakError } from '../device-errors.js';
import type { LinkCounters } from './link-counters.js';

/** Retransmission knobs (ICD-CMN-005). */
export interface RetransmitConfig {
  /**
   * How long to wait for ACK/NAK after the frame's last byte has left before retransmitting.
   * Default 30 000 us: the device must answer within 20 ms (ACK_DEADLINE_US), plus margin for
   * an answer queued behind other device frames on a slow line.
   */
  readonly ackTimeoutUs: number;
  /** Retransmissions after the first transmission before giving up. Default 3. */
  readonly maxRetransmits: number;
}

export const DEFAULT_RETRANSMIT_CONFIG: RetransmitConfig = { ackTimeoutUs: 30_000, maxRetransmits: 3 };

/** The accepted outcome of an acknowledged frame. */
export interface AckReceipt {
  readonly messageType: MessageName;
  readonly commandId: number;
  readonly seq: number;
  /** 1 + retransmissions made. */
  readonly transmissions: number;
  /** Host time the ACK arrived. */
  readonly ackedAtUs: number;
}

/** Where and when one frame went out; `undefined` from `transmit` when it could not be written. */
export interface SentFrame {
  readonly seq: number;
  readonly byteLength: number;
  /** Host time its first byte started on the line (estimated from the line model when paced). */
  readonly txStartUs: number;
  /** Host time its last byte left. */
  readonly txEndUs: number;
}

interface PendingFrame {
  readonly body: MessageBody;
  readonly seq: number;
  readonly typeCode: number;
  readonly commandId: number;
  transmissions: number;
  timer: TimerHandle | undefined;
  readonly resolve: (receipt: AckReceipt) => void;
  readonly reject: (error: Error) => void;
}

/** Writes one frame with the given seq and flags; returns undefined when nothing was written. */
export type TransmitFn = (body: MessageBody, seq: number, flags: number) => SentFrame | undefined;

/**
 * Bounded retransmission of ACK-requested frames (ICD-CMN-005, ICD-FRM-009).
 *
 * Contract: `send()` transmits at once with FLAG_ACK_REQUESTED; when no ACK/NAK matching its seq,
 * type and command id arrives within `ackTimeoutUs` of the frame's last byte leaving, the same
 * body is retransmitted with the same seq and FLAG_RETRANSMISSION, at most `maxRetransmits`
 * times. The promise resolves on ACK, rejects with NakError on NAK, with AckTimeoutError after
 * the last retransmission, or with the error given to `rejectAll()` — after which the frame is
 * never written again.
 */
export class AcknowledgedSender {
  private readonly pending = new Map<number, PendingFrame>();

  constructor(
    private readonly clock: Clock,
    private readonly config: RetransmitConfig,
    private readonly counters: LinkCounters,
    private readonly transmit: TransmitFn,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  send(body: MessageBody, seq: number): Promise<AckReceipt> {
    return new Promise<AckReceipt>((resolve, reject) => {
      const frame: PendingFrame = {
        body,
        seq,
        typeCode: CATALOGUE[body.type].code,
        commandId: commandIdOf(body),
        transmissions: 0,
        timer: undefined,
        resolve,
        reject,
      };
      this.pending.set(seq, frame);
      this.transmitFrame(frame);
    });
  }

  /** Handle an ACK; returns whether it matched a pending frame. */
  onAck(ack: Message<'ACK'>): boolean {
    const frame = this.match(ack.ackedSeq, ack.ackedType, ack.commandId);
    if (frame === undefined) return false;
    this.counters.acks++;
    this.settle(frame);
    frame.resolve({
      messageType: frame.body.type,
      commandId: frame.commandId,
      seq: frame.seq,
      transmissions: frame.transmissions,
      ackedAtUs: this.clock.nowUs(),
    });
    return true;
  }

  /** Handle a NAK; returns whether it matched a pending frame. */
  onNak(nak: Message<'NAK'>): boolean {
    const frame = this.match(nak.nakedSeq, nak.nakedType, nak.commandId);
    if (frame === undefined) return false;
    this.counters.naks[nak.reason]++;
    this.settle(frame);
    frame.reject(new NakError(nak.reason, frame.body.type, frame.commandId));
    return true;
  }

  /** Reject every pending frame with `error` and cancel its retransmissions. */
  rejectAll(error: Error): void {
    const frames = [...this.pending.values()];
    for (const frame of frames) this.settle(frame);
    for (const frame of frames) frame.reject(error);
  }

  private match(seq: number, typeCode: number, commandId: number): PendingFrame | undefined {
    const frame = this.pending.get(seq);
    if (frame === undefined || frame.typeCode !== typeCode || frame.commandId !== commandId) {
      this.counters.unmatchedAcks++;
      return undefined;
    }
    return frame;
  }

  private settle(frame: PendingFrame): void {
    frame.timer?.cancel();
    frame.timer = undefined;
    this.pending.delete(frame.seq);
  }

  private transmitFrame(frame: PendingFrame): void {
    const retransmission = frame.transmissions > 0;
    const flags = FLAG_ACK_REQUESTED | (retransmission ? FLAG_RETRANSMISSION : 0);
    frame.transmissions++;
    if (retransmission) this.counters.retransmits++;
    const sent = this.transmit(frame.body, frame.seq, flags);
    // A failed write is retried like a lost frame; a closed link ends in rejectAll().
    const lastByteUs = sent?.txEndUs ?? this.clock.nowUs();
    frame.timer = this.clock.setTimerAt(lastByteUs + this.config.ackTimeoutUs, () => this.onTimeout(frame));
  }

  private onTimeout(frame: PendingFrame): void {
    frame.timer = undefined;
    if (this.pending.get(frame.seq) !== frame) return;
    if (frame.transmissions <= this.config.maxRetransmits) {
      this.transmitFrame(frame);
      return;
    }
    this.counters.ackTimeouts++;
    this.settle(frame);
    frame.reject(new AckTimeoutError(frame.body.type, frame.commandId, frame.transmissions));
  }
}

/** The command id a frame carries (0 when it has none), echoed in ACK/NAK (ICD-CMN-005). */
export function commandIdOf(message: MessageBody | Message): number {
  if ('commandId' in message) return message.commandId;
  if ('fireCommandId' in message) return message.fireCommandId;
  return 0;
}
