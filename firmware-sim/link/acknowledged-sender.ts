import { CATALOGUE, type MessageName } from '../../src/protocol/catalogue/index.js';
import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../src/framing/frame-layout.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { Transmitter } from './transmitter.js';

/** FIRE_REPORT and other device → host acknowledged frames are repeated this often until answered. */
export const DEVICE_RETRY_US = 100_000;
/** ... at most this many times (then given up: ten minutes of silence is not a live host). */
export const DEVICE_MAX_ATTEMPTS = 6_000;

interface Pending {
  readonly body: MessageBody;
  readonly typeCode: number;
  seq: number | undefined;
  attempts: number;
  timer: TimerHandle | undefined;
}

/**
 * Device → host frames that ask for an answer (FIRE_REPORT, ICD-LNCH-009): sent with
 * FLAG_ACK_REQUESTED, repeated with the same seq and FLAG_RETRANSMISSION every
 * DEVICE_RETRY_US until the host answers ACK (or NAK) echoing seq and type (ICD-CMN-005).
 */
export class AcknowledgedSender {
  private readonly pending: Pending[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly transmitter: Transmitter,
    private readonly retryUs = DEVICE_RETRY_US,
  ) {}

  /** Frames sent and not yet answered. */
  get unanswered(): number {
    return this.pending.length;
  }

  send(body: MessageBody): void {
    const entry: Pending = {
      body,
      typeCode: CATALOGUE[body.type as MessageName].code,
      seq: undefined,
      attempts: 0,
      timer: undefined,
    };
    this.pending.push(entry);
    this.transmit(entry);
  }

  /** An ACK or NAK from the host: true when it answered one of ours. */
  onHostAnswer(message: Message): boolean {
    if (message.type !== 'ACK' && message.type !== 'NAK') return false;
    const seq = message.type === 'ACK' ? message.ackedSeq : message.nakedSeq;
    const type = message.type === 'ACK' ? message.ackedType : message.nakedType;
    const index = this.pending.findIndex((p) => p.seq === seq && p.typeCode === type);
    if (index < 0) return false;
    const [entry] = this.pending.splice(index, 1);
    entry!.timer?.cancel();
    return true;
  }

  stop(): void {
    for (const entry of this.pending) entry.timer?.cancel();
    this.pending.length = 0;
  }

  private transmit(entry: Pending): void {
    const retransmission = entry.seq !== undefined;
    entry.attempts++;
    this.transmitter.enqueue(
      {
        build: () => entry.body,
        flags: FLAG_ACK_REQUESTED | (retransmission ? FLAG_RETRANSMISSION : 0),
        ...(retransmission ? { seq: entry.seq } : {}),
        onSent: (seq) => {
          entry.seq = seq;
          entry.timer?.cancel();
          entry.timer = this.clock.setTimer(this.retryUs, () => {
            entry.timer = undefined;
            if (!this.pending.includes(entry)) return;
            if (entry.attempts >= DEVICE_MAX_ATTEMPTS) {
              this.pending.splice(this.pending.indexOf(entry), 1);
              return;
            }
            this.transmit(entry);
          });
        },
      },
      'urgent',
    );
  }
}
