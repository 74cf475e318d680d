import type { Clock, TimerHandle } from '../time/clock.js';
import { US_PER_S } from '../time/clock.js';
import { type Transport, type TransportEvents, TransportError } from './transport.js';

/** Bits on the line per byte with 8N1 framing: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE_8N1 = 10;

/** Default target duration of one chunk handed to the inner transport (see PacedTransport). */
export const DEFAULT_CHUNK_US = 1_000;

/**
 * Microseconds `byteCount` bytes occupy on a serial line at `baud` (8N1 unless told), e.g.
 * 1000 bytes at 921600 baud = 10 850.69 us. Not rounded: callers that correct time-sync
 * delays want the exact figure.
 */
export function lineTimeUs(byteCount: number, baud: number, bitsPerByte = BITS_PER_BYTE_8N1): number {
  return (byteCount * bitsPerByte * US_PER_S) / baud;
}

/** Options of {@link PacedTransport}. */
export interface PacedTransportOptions {
  /** Schedules every chunk; with a VirtualClock, timing is exact and repeatable. */
  readonly clock: Clock;
  /** Line rate in bits per second (positive). */
  readonly baud: number;
  /** Bits per byte on the line; default 10 (8N1). */
  readonly bitsPerByte?: number;
  /**
   * Target duration of one chunk, default 1000 us (the latency timer of a USB serial adapter
   * in low-latency mode, so arrivals look like a real adapter's). At least one byte per chunk.
   */
  readonly chunkUs?: number;
}

interface PendingWrite {
  readonly bytes: Uint8Array;
  /** Instant the first byte starts on the line. */
  readonly startUs: number;
  /** Bytes already handed to the inner transport. */
  sent: number;
  readonly pieces: Promise<void>[];
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Makes the bytes written through it leave at a serial line rate, on the injected clock.
 *
 * Contract (beyond {@link Transport}; open, close and events are the inner transport's):
 * - The line is one queue: a write starts when the previous one's last byte has left (or now,
 *   if the line is idle); byte `k` (1-based) of a write starting at `s` has left at
 *   `s + lineTimeUs(k)`.
 * - Bytes go to the inner transport in chunks of about `chunkUs` (`chunkBytes` bytes, counted
 *   from the start of each write), each handed over at the instant its last byte has left.
 *   The last chunk of a write always ends on the write's last byte, so the end of a frame —
 *   its 0x00 delimiter, what a receiver reacts to — arrives at the exact line time, while the
 *   clock sees about one timer per millisecond of line time rather than one per byte. When a
 *   real clock fires late, every chunk already due goes at once (the schedule never drifts).
 * - `write()` resolves when its last byte has left; it rejects with TransportError('not-open')
 *   when closed, and with TransportError('write-failed') when the link closes (any reason)
 *   before its last byte left — the unsent bytes are dropped, as a UART's FIFO is on close.
 */
export class PacedTransport implements Transport {
  readonly baud: number;
  readonly bitsPerByte: number;
  /** Bytes per chunk handed to the inner transport. */
  readonly chunkBytes: number;
  private readonly clock: Clock;
  private readonly queue: PendingWrite[] = [];
  private lineFreeAtUs = 0;
  private timer: TimerHandle | undefined;

  constructor(
    readonly inner: Transport,
    options: PacedTransportOptions,
  ) {
    if (!(options.baud > 0) || !Number.isFinite(options.baud)) {
      throw new RangeError(`PacedTransport: baud must be a positive number, got ${options.baud}`);
    }
    this.clock = options.clock;
    this.baud = options.baud;
    this.bitsPerByte = options.bitsPerByte ?? BITS_PER_BYTE_8N1;
    const chunkUs = options.chunkUs ?? DEFAULT_CHUNK_US;
    this.chunkBytes = Math.max(1, Math.floor((chunkUs * this.baud) / (this.bitsPerByte * US_PER_S)));
    // Registered before any listener of ours' users, so pending writes fail before they hear
    // about the close.
    inner.on('close', () => this.dropPending('link closed before the bytes left'));
  }

  get url(): string {
    return this.inner.url;
  }

  get isOpen(): boolean {
    return this.inner.isOpen;
  }

  /** Bytes written and not yet handed to the inner transport. */
  get queuedBytes(): number {
    return this.queue.reduce((sum, w) => sum + w.bytes.length - w.sent, 0);
  }

  /** Line time of `byteCount` bytes at this transport's rate. */
  lineTimeUs(byteCount: number): number {
    return lineTimeUs(byteCount, this.baud, this.bitsPerByte);
  }

  open(): Promise<void> {
    return this.inner.open();
  }

  async close(): Promise<void> {
    this.dropPending('closed before the bytes left');
    await this.inner.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.inner.isOpen) {
      return Promise.reject(new TransportError('not-open', `${this.url}: write while closed`));
    }
    if (bytes.length === 0) return Promise.resolve();
    const startUs = Math.max(this.clock.nowUs(), this.lineFreeAtUs);
    this.lineFreeAtUs = startUs + this.lineTimeUs(bytes.length);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ bytes: bytes.slice(), startUs, sent: 0, pieces: [], resolve, reject });
      this.schedule();
    });
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.off(event, listener);
  }

  /** Index just past the chunk of `head` that starts at byte `from`. */
  private nextChunkEnd(head: PendingWrite, from: number): number {
    return Math.min(head.bytes.length, from + this.chunkBytes);
  }

  private schedule(): void {
    const head = this.queue[0];
    if (this.timer !== undefined || head === undefined) return;
    const atUs = head.startUs + this.lineTimeUs(this.nextChunkEnd(head, head.sent));
    this.timer = this.clock.setTimerAt(atUs, () => {
      this.timer = undefined;
      this.pump();
    });
  }

  /** Hand over every chunk whose last byte has left by now, then wait for the next one. */
  private pump(): void {
    const nowUs = this.clock.nowUs();
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) break;
      let end = head.sent;
      for (;;) {
        const next = this.nextChunkEnd(head, end);
        // Same expression as the timer's due time, so a virtual clock includes it exactly.
        if (next === end || head.startUs + this.lineTimeUs(next) > nowUs) break;
        end = next;
      }
      if (end === head.sent) break;
      const piece = this.inner.write(head.bytes.subarray(head.sent, end));
      piece.catch(() => undefined); // observed below, through Promise.all
      head.pieces.push(piece);
      head.sent = end;
      if (end < head.bytes.length) break;
      this.queue.shift();
      Promise.all(head.pieces).then(
        () => head.resolve(),
        (error: unknown) => head.reject(asWriteFailed(error, this.url)),
      );
    }
    this.schedule();
  }

  private dropPending(why: string): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.lineFreeAtUs = 0;
    const dropped = this.queue.splice(0);
    for (const write of dropped) write.reject(new TransportError('write-failed', `${this.url}: ${why}`));
  }
}

function asWriteFailed(error: unknown, url: string): Error {
  if (error instanceof TransportError) return error;
  return new TransportError('write-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`);
}
