import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION, FRAME_DELIMITER, MAX_ENCODED_FRAME_BYTES } from '../framing/index.js';
import { CATALOGUE, type Message, type MessageBody, encodeMessage } from '../protocol/index.js';
import { HEARTBEAT_PERIOD_US } from '../protocol/timing-rules.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import type { Transport } from '../transport/index.js';
import { type FrameFault, type FrameFaultKind, inspectDeviceBlock } from './inspect-frame.js';
import { withBadCrc } from './malformed-frames.js';

/** One block received from the device, judged. */
export interface ReceivedFrame {
  /** Position among every block received since the probe was attached, from 0. */
  readonly index: number;
  /** Clock time the chunk holding its delimiter arrived. */
  readonly atUs: number;
  /** The message, when the block is a valid frame. */
  readonly message?: Message;
  /** Why it is not, otherwise. */
  readonly fault?: FrameFault;
  /** A valid frame in canonical COBS form (ICD-FRM-001); false for invalid blocks. */
  readonly canonical: boolean;
}

/** What {@link ProbeLink.send} put on the wire. */
export interface SentFrame {
  readonly message: Message;
  /** Clock time just before the write. */
  readonly atUs: number;
  /** `cursor()` just before the write: answers are at or after it. */
  readonly cursor: number;
}

/** Options of {@link ProbeLink.send}. */
export interface SendOptions {
  /** Set FLAG_ACK_REQUESTED (default: as the catalogue says for the type). */
  readonly ackRequested?: boolean;
  /** Extra flag bits (FLAG_RETRANSMISSION). */
  readonly flags?: number;
  /** Reuse a seq (a retransmission); default the next of this link. */
  readonly seq?: number;
}

interface Waiter {
  readonly from: number;
  readonly predicate: (frame: ReceivedFrame) => boolean;
  readonly resolve: (frame: ReceivedFrame | undefined) => void;
  readonly timer: TimerHandle;
}

/**
 * The kit's own raw frame I/O over a Transport — deliberately not the host driver, so a device
 * is judged independently of our driver's logic. It:
 * - splits the byte stream at 0x00 with its own bounded splitter and judges every block
 *   ({@link inspectDeviceBlock}), logging each with its arrival time;
 * - sends messages with its own seq counter (ICD-FRM-009) and raw bytes (malformed frames);
 * - runs the host HEARTBEAT on the clock (absolute deadlines), optionally with a bad CRC;
 * - acknowledges FIRE_REPORT as a host must (ICD-LNCH-009), unless told to hold back.
 *
 * Contract: `next()` resolves with the first frame at index >= `from` matching, already
 * received or arriving within the timeout, else with undefined. Nothing here throws on input.
 */
export class ProbeLink {
  /** Acknowledge every FIRE_REPORT that asks for it (default true). */
  autoAckFireReports = true;
  /** Write errors of background frames (heartbeats, ACKs), for diagnostics. */
  readonly backgroundErrors: Error[] = [];
  private readonly frames: ReceivedFrame[] = [];
  /** Index of frames[0]. */
  private base = 0;
  private received = 0;
  private run: number[] = [];
  private discarding = false;
  private discardedBytes = 0;
  private seq = 0;
  private waiters: Waiter[] = [];
  private heartbeatTimer: TimerHandle | undefined;
  private heartbeatCount = 0;
  private heartbeatCorrupt = false;
  private lastHeartbeatAtUs: number | undefined;
  /** Previous beat of the running heartbeat (undefined while stopped) and the window's largest gap. */
  private previousBeatUs: number | undefined;
  private beatGapMaxUs = 0;
  private readonly onData = (chunk: Uint8Array): void => this.push(chunk);
  /** Over the whole attachment (never forgotten): invalid device blocks by kind, with the first. */
  readonly outputFaults = new Map<FrameFaultKind, { count: number; first: string }>();
  /** Valid device frames not in canonical COBS form (ICD-FRM-001), over the whole attachment. */
  nonCanonical = 0;
  /** Breaks of the device's seq numbering over the whole attachment (ICD-FRM-009), the first described. */
  seqBreaks = 0;
  firstSeqBreak: string | undefined;
  private expectedSeq: number | undefined;

  constructor(
    readonly transport: Transport,
    readonly clock: Clock,
  ) {}

  /** Start listening. */
  attach(): void {
    this.transport.on('data', this.onData);
  }

  /** Stop listening, the heartbeat and every wait (they resolve undefined). */
  detach(): void {
    this.transport.off('data', this.onData);
    this.stopHeartbeat();
    this.cancelWaits();
  }

  /** Index the next received block will have. */
  cursor(): number {
    return this.received;
  }

  /** Blocks received at index >= `from` (those still kept: see `forget`). */
  since(from: number): ReceivedFrame[] {
    return this.frames.slice(Math.max(0, from - this.base));
  }

  /** Messages of one type received at index >= `from`. */
  messagesSince<N extends Message['type']>(from: number, type: N): { atUs: number; message: Message<N> }[] {
    const out: { atUs: number; message: Message<N> }[] = [];
    for (const frame of this.since(from)) {
      if (frame.message?.type === type) out.push({ atUs: frame.atUs, message: frame.message as unknown as Message<N> });
    }
    return out;
  }

  /** The last message of a type received, if any is still kept. */
  last<N extends Message['type']>(type: N): { atUs: number; message: Message<N> } | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const frame = this.frames[i]!;
      if (frame.message?.type === type) return { atUs: frame.atUs, message: frame.message as unknown as Message<N> };
    }
    return undefined;
  }

  /** Drop kept blocks before index `before` (the runner calls it between checks). */
  forget(before: number): void {
    const drop = Math.min(this.frames.length, Math.max(0, before - this.base));
    this.frames.splice(0, drop);
    this.base += drop;
  }

  /** The first frame at index >= `from` matching, within `timeoutUs`; undefined when none came. */
  next(
    predicate: (frame: ReceivedFrame) => boolean,
    timeoutUs: number,
    from = this.received,
  ): Promise<ReceivedFrame | undefined> {
    const found = this.since(from).find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        from,
        predicate,
        resolve,
        timer: this.clock.setTimer(timeoutUs, () => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(undefined);
        }),
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolve every pending `next()` with undefined. */
  cancelWaits(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      waiter.timer.cancel();
      waiter.resolve(undefined);
    }
  }

  /** Take the next seq of this link (wrapping 65535 → 0). */
  takeSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return seq;
  }

  /** Encode and send a message. Rejects when the transport cannot write. */
  async send(body: MessageBody, options: SendOptions = {}): Promise<SentFrame> {
    const ackRequested = options.ackRequested ?? CATALOGUE[body.type].acknowledged;
    const flags = (ackRequested ? FLAG_ACK_REQUESTED : 0) | (options.flags ?? 0);
    const message = { ...body, seq: options.seq ?? this.takeSeq(), flags } as Message;
    return this.sendMessage(message);
  }

  /** Send a message exactly as given (seq and flags included). */
  async sendMessage(message: Message): Promise<SentFrame> {
    const bytes = encodeMessage(message);
    const sent: SentFrame = { message, atUs: this.clock.nowUs(), cursor: this.received };
    await this.transport.write(bytes);
    return sent;
  }

  /** Write raw bytes (malformed frames). Resolves with the time and cursor before the write. */
  async sendRaw(bytes: Uint8Array): Promise<{ atUs: number; cursor: number }> {
    const sent = { atUs: this.clock.nowUs(), cursor: this.received };
    await this.transport.write(bytes);
    return sent;
  }

  /** Whether the host heartbeat runs. */
  get heartbeatRunning(): boolean {
    return this.heartbeatTimer !== undefined;
  }

  /** Clock time of the last host HEARTBEAT written (valid or not). */
  get lastHeartbeatUs(): number | undefined {
    return this.lastHeartbeatAtUs;
  }

  /**
   * Send HEARTBEAT now and every 50 ms (ICD-CMN-003) on absolute deadlines. With `corrupt`,
   * each heartbeat goes out with a bad CRC: a valid-looking heartbeat a device must not count
   * (ICD-LNCH-004 says "valid"). Restarting switches the mode.
   */
  startHeartbeat(options: { corrupt?: boolean } = {}): void {
    this.heartbeatCorrupt = options.corrupt === true;
    if (this.heartbeatTimer !== undefined) return;
    this.previousBeatUs = undefined;
    const startUs = this.clock.nowUs();
    let k = 0;
    const beat = (): void => {
      this.sendHeartbeat();
      k = Math.max(k + 1, Math.floor((this.clock.nowUs() - startUs) / HEARTBEAT_PERIOD_US) + 1);
      this.heartbeatTimer = this.clock.setTimerAt(startUs + k * HEARTBEAT_PERIOD_US, beat);
    };
    beat();
  }

  /** Stop the host heartbeat; returns when the last one was written. */
  stopHeartbeat(): number | undefined {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
    this.previousBeatUs = undefined;
    return this.lastHeartbeatAtUs;
  }

  /** Start a new window (a check) for {@link heartbeatLapseUs}. */
  beginHeartbeatWindow(): void {
    this.beatGapMaxUs = 0;
  }

  /**
   * The longest gap between two host heartbeats of a running heartbeat since the window began,
   * including the one open now: how far the kit's own heartbeat lapsed (a deliberate stop is no gap).
   */
  heartbeatLapseUs(): number {
    const open =
      this.heartbeatTimer !== undefined && this.previousBeatUs !== undefined
        ? this.clock.nowUs() - this.previousBeatUs
        : 0;
    return Math.max(this.beatGapMaxUs, open);
  }

  private sendHeartbeat(): void {
    const message: Message = {
      type: 'HEARTBEAT',
      seq: this.takeSeq(),
      flags: 0,
      senderTimeUs: Math.floor(this.clock.nowUs()),
      heartbeatCount: this.heartbeatCount,
    };
    this.heartbeatCount = (this.heartbeatCount + 1) >>> 0;
    const bytes = this.heartbeatCorrupt ? withBadCrc(message) : encodeMessage(message);
    this.lastHeartbeatAtUs = this.clock.nowUs();
    if (this.previousBeatUs !== undefined) {
      this.beatGapMaxUs = Math.max(this.beatGapMaxUs, this.lastHeartbeatAtUs - this.previousBeatUs);
    }
    this.previousBeatUs = this.lastHeartbeatAtUs;
    this.background(bytes);
  }

  private background(bytes: Uint8Array): void {
    if (!this.transport.isOpen) return;
    this.transport.write(bytes).catch((error: unknown) => {
      this.backgroundErrors.push(error instanceof Error ? error : new Error(String(error)));
    });
  }

  /** The bounded splitter: blocks at 0x00, runs over MAX_ENCODED_FRAME_BYTES discarded (ICD-FRM-002). */
  private push(chunk: Uint8Array): void {
    const atUs = this.clock.nowUs();
    for (const byte of chunk) {
      if (byte !== FRAME_DELIMITER) {
        if (this.discarding) this.discardedBytes++;
        else if (this.run.length < MAX_ENCODED_FRAME_BYTES) this.run.push(byte);
        else {
          this.discarding = true;
          this.discardedBytes = this.run.length + 1;
          this.run = [];
        }
        continue;
      }
      if (this.discarding) {
        this.record(atUs, {
          fault: { kind: 'overlong-run', detail: `${this.discardedBytes} bytes without a delimiter` },
          canonical: false,
        });
        this.discarding = false;
      } else if (this.run.length > 0) {
        const verdict = inspectDeviceBlock(Uint8Array.from(this.run));
        this.record(
          atUs,
          verdict.ok
            ? { message: verdict.message, canonical: verdict.canonical }
            : { fault: verdict.fault, canonical: false },
        );
      }
      this.run = [];
    }
  }

  private record(atUs: number, content: Omit<ReceivedFrame, 'index' | 'atUs'>): void {
    const frame: ReceivedFrame = { index: this.received++, atUs, ...content };
    this.audit(frame);
    this.frames.push(frame);
    const message = frame.message;
    if (message?.type === 'FIRE_REPORT' && (message.flags & FLAG_ACK_REQUESTED) !== 0 && this.autoAckFireReports) {
      this.ackFireReport(message);
    }
    const waiters = this.waiters;
    for (const waiter of waiters) {
      if (frame.index >= waiter.from && waiter.predicate(frame)) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.timer.cancel();
        waiter.resolve(frame);
      }
    }
  }

  private audit(frame: ReceivedFrame): void {
    if (frame.fault !== undefined) {
      const seen = this.outputFaults.get(frame.fault.kind);
      if (seen === undefined) this.outputFaults.set(frame.fault.kind, { count: 1, first: frame.fault.detail });
      else seen.count++;
      this.expectedSeq = undefined; // an invalid block may have been a frame: its seq is unknown
      return;
    }
    const m = frame.message!;
    if (!frame.canonical) this.nonCanonical++;
    const problem = nextSeqProblem(this.expectedSeq, m);
    if (problem !== undefined) {
      this.seqBreaks++;
      this.firstSeqBreak ??= problem;
    }
    if ((m.flags & FLAG_RETRANSMISSION) === 0) this.expectedSeq = (m.seq + 1) & 0xffff;
  }

  /** The host's ACK of a FIRE_REPORT (ICD-LNCH-009), echoing seq, type and command id (ICD-CMN-005). */
  ackFireReport(report: Message<'FIRE_REPORT'>): void {
    this.background(
      encodeMessage({
        type: 'ACK',
        seq: this.takeSeq(),
        flags: 0,
        ackedSeq: report.seq,
        ackedType: CATALOGUE.FIRE_REPORT.code,
        commandId: report.fireCommandId,
      }),
    );
  }
}

/**
 * ICD-FRM-009 for one valid device frame, given the seq the next new frame must carry (undefined
 * after an invalid block): a new frame carries exactly that seq; a retransmission repeats a seq
 * already used (at most half the seq space back). Undefined when it holds.
 */
export function nextSeqProblem(expected: number | undefined, m: Message): string | undefined {
  if ((m.flags & FLAG_RETRANSMISSION) !== 0) {
    const back = expected === undefined ? 1 : (expected - m.seq) & 0xffff;
    if (back === 0 || back > 0x8000) {
      return `retransmitted ${m.type} carries seq ${m.seq}, not used yet (next new seq ${expected})`;
    }
    return undefined;
  }
  if (expected !== undefined && m.seq !== expected) {
    return `seq went from ${(expected - 1) & 0xffff} to ${m.seq} (${m.type}), expected ${expected}`;
  }
  return undefined;
}
