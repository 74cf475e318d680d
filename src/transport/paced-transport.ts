import { type Clock, SYNC_ONLY, type TimerHandle, US_PER_S } from '../time/clock.js';
import {
  type SyncHandover,
  type Transport,
  type TransportEvents,
  TransportError,
  syncHandoverOf,
} from './transport.js';

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
  /** Promises of the pieces handed to an inner transport that is not a SyncHandover. */
  pieces: Promise<void>[] | undefined;
  /** Why a synchronous hand-over failed, if one did. */
  failure: Error | undefined;
  /** write(): its promise's settle functions. */
  readonly resolve: (() => void) | undefined;
  readonly reject: ((error: Error) => void) | undefined;
  /** writeOwned(): its callback. */
  readonly done: ((error?: TransportError) => void) | undefined;
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
 * - `writeOwned()` is the same write for a caller that gives its bytes away and wants a
 *   callback instead of a promise (see there).
 * - When the inner transport is a {@link SyncHandover} (memory link ends, the simulator's
 *   wire), chunks are handed over without a copy or a promise, and a timer whose hand-overs and
 *   completions were all synchronous tells the clock so (SYNC_ONLY): in virtual time it then
 *   costs no event-loop turn. What is delivered, and when, is the same either way.
 */
export class PacedTransport implements Transport {
  readonly baud: number;
  readonly bitsPerByte: number;
  /** Bytes per chunk handed to the inner transport. */
  readonly chunkBytes: number;
  private readonly clock: Clock;
  private readonly sync: SyncHandover | undefined;
  private readonly queue: PendingWrite[] = [];
  private lineFreeAtUs = 0;
  private timer: TimerHandle | undefined;
  private readonly onTimer = (): typeof SYNC_ONLY | undefined => {
    this.timer = undefined;
    return this.pump();
  };

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
    this.sync = syncHandoverOf(inner);
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
    return new Promise<void>((resolve, reject) => this.enqueue(bytes.slice(), resolve, reject, undefined));
  }

  /**
   * `write()` for a caller that hands its bytes over and wants a callback, not a promise (the
   * simulator's transmitter: one frame at a time, each started when the previous one left).
   *
   * Contract:
   * - The transport takes ownership of `bytes`: the caller never modifies them afterwards (they
   *   are not copied). Timing and order are those of `write()`; writes of both kinds share the
   *   line.
   * - `done()` is called once, never from inside writeOwned(): on success synchronously from the
   *   clock timer that hands the last byte over, at that instant, after the hand-over; on
   *   failure with the TransportError `write()` would reject with, from a microtask (as a
   *   rejection's handler would run); for an empty write, from a microtask.
   * - Because a successful `done()` runs inside a timer that may tell a VirtualClock it started
   *   no asynchronous work (SYNC_ONLY), `done` must not start any whose effects belong to the
   *   same instant (no promise, nextTick or immediate): whatever it does must be synchronous.
   */
  writeOwned(bytes: Uint8Array, done: (error?: TransportError) => void): void {
    if (!this.inner.isOpen) {
      const error = new TransportError('not-open', `${this.url}: write while closed`);
      queueMicrotask(() => done(error));
      return;
    }
    if (bytes.length === 0) {
      queueMicrotask(() => done());
      return;
    }
    this.enqueue(bytes, undefined, undefined, done);
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.inner.off(event, listener);
  }

  private enqueue(
    bytes: Uint8Array,
    resolve: (() => void) | undefined,
    reject: ((error: Error) => void) | undefined,
    done: ((error?: TransportError) => void) | undefined,
  ): void {
    const startUs = Math.max(this.clock.nowUs(), this.lineFreeAtUs);
    this.lineFreeAtUs = startUs + this.lineTimeUs(bytes.length);
    this.queue.push({ bytes, startUs, sent: 0, pieces: undefined, failure: undefined, resolve, reject, done });
    this.schedule();
  }

  /** Index just past the chunk of `head` that starts at byte `from`. */
  private nextChunkEnd(head: PendingWrite, from: number): number {
    return Math.min(head.bytes.length, from + this.chunkBytes);
  }

  private schedule(): void {
    const head = this.queue[0];
    if (this.timer !== undefined || head === undefined) return;
    const atUs = head.startUs + this.lineTimeUs(this.nextChunkEnd(head, head.sent));
    this.timer = this.clock.setTimerAt(atUs, this.onTimer);
  }

  /**
   * Hand over every chunk whose last byte has left by now, then wait for the next one; report
   * the writes that ended. Returns SYNC_ONLY when all of that was synchronous.
   */
  private pump(): typeof SYNC_ONLY | undefined {
    const nowUs = this.clock.nowUs();
    let syncOnly = true;
    // The writes that ended: nearly always exactly one, kept out of an array.
    let ended: PendingWrite | undefined;
    let endedToo: PendingWrite[] | undefined;
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
      const bytes = head.bytes;
      const piece = head.sent === 0 && end === bytes.length ? bytes : bytes.subarray(head.sent, end);
      if (!this.handOver(head, piece)) syncOnly = false;
      head.sent = end;
      if (end < bytes.length) break;
      this.queue.shift();
      if (ended === undefined) ended = head;
      else (endedToo ??= []).push(head);
    }
    this.schedule();
    // After the schedule, as the continuations of write() promises ran after the timer.
    if (ended !== undefined && !this.complete(ended)) syncOnly = false;
    if (endedToo !== undefined) for (const write of endedToo) if (!this.complete(write)) syncOnly = false;
    return syncOnly ? SYNC_ONLY : undefined;
  }

  /** Give `piece` (owned by this transport) to the inner one; returns whether that was synchronous. */
  private handOver(write: PendingWrite, piece: Uint8Array): boolean {
    if (this.sync !== undefined) {
      try {
        return this.sync.handOver(piece) === SYNC_ONLY;
      } catch (error) {
        write.failure ??= asWriteFailed(error, this.url);
        return false;
      }
    }
    const promise = this.inner.write(piece);
    promise.catch(() => undefined); // observed in complete(), through Promise.all
    (write.pieces ??= []).push(promise);
    return false;
  }

  /** Report a write whose last byte has left; returns whether that was synchronous. */
  private complete(write: PendingWrite): boolean {
    if (write.pieces !== undefined) {
      Promise.all(write.pieces).then(
        () => this.settle(write, undefined),
        (error: unknown) => this.settle(write, asWriteFailed(error, this.url)),
      );
      return false;
    }
    return this.settle(write, write.failure);
  }

  /** Resolve, reject or call back; returns whether nothing was left for later (a callback's success). */
  private settle(write: PendingWrite, error: Error | undefined): boolean {
    if (write.done !== undefined) {
      const done = write.done;
      if (error === undefined) {
        done();
        return true;
      }
      const failure = asWriteFailed(error, this.url);
      queueMicrotask(() => done(failure));
      return false;
    }
    if (error === undefined) write.resolve!();
    else write.reject!(error);
    return false;
  }

  private dropPending(why: string): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.lineFreeAtUs = 0;
    const dropped = this.queue.splice(0);
    for (const write of dropped) this.settle(write, new TransportError('write-failed', `${this.url}: ${why}`));
  }
}

function asWriteFailed(error: unknown, url: string): TransportError {
  if (error instanceof TransportError) return error;
  return new TransportError('write-failed', `${url}: ${error instanceof Error ? error.message : String(error)}`);
}
