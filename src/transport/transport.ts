import type { SYNC_ONLY } from '../time/clock.js';

/**
 * The byte-pipe under the framing layer (docs/architecture.md §Layers). Implementations: serial (the only
 * importer of `serialport`), raw TCP (ser2net / Ethernet serial servers) and an in-memory
 * pair for in-process simulation. One contract test suite runs against all of them.
 */

/** Why a transport closed. `local` = close() was called; the rest are unexpected. */
export type TransportCloseReason = 'local' | 'remote' | 'unplugged' | 'error';

/** Thrown (as a rejected promise) by open() and write(). */
export class TransportError extends Error {
  constructor(
    readonly code: 'open-failed' | 'not-open' | 'write-failed' | 'bad-url',
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Listeners a transport calls. */
export interface TransportEvents {
  /** Bytes received, in order. The transport never reuses the chunk: listeners may keep it. */
  data: (chunk: Uint8Array) => void;
  /**
   * The transport closed; after an unexpected close, open() may be called again to reconnect.
   * `cause` is the underlying error when there is one (absent for `local`), for logs.
   */
  close: (reason: TransportCloseReason, cause?: Error) => void;
  /** An error that did not close the transport (for counters and logs). */
  error: (error: Error) => void;
}

/**
 * A bidirectional byte stream.
 *
 * Contract:
 * - `open()` resolves once bytes can flow; it rejects with TransportError('open-failed') when
 *   the device or peer is absent. Calling it while open is a no-op; concurrent calls while
 *   opening share one attempt; `close()` during an attempt makes it reject. After a close of
 *   any reason, `open()` may be called again (reconnect).
 * - `write()` rejects with TransportError('not-open') when closed; bytes of successive writes
 *   arrive at the peer in order, never interleaved.
 * - `data` delivers bytes in order; chunk boundaries carry no meaning.
 * - `close` is emitted exactly once per open session, with `local` after `close()`. Calling
 *   `close()` while closed is a no-op (no event). Writes still pending when the session ends
 *   reject with TransportError('write-failed').
 * - `remote` means the peer ended the session (TCP FIN/RST); a serial line cannot tell, so
 *   serial and memory links never report it. `unplugged` means the device vanished (USB
 *   adapter pulled, PTY owner died). `error` is any other unexpected end.
 * - Listeners are called synchronously in registration order; the same listener added twice
 *   is called twice.
 * - No method throws synchronously.
 */
export interface Transport {
  /** Where it goes, e.g. `serial:/dev/ttyUSB0?baud=921600`, `tcp://127.0.0.1:4001`. */
  readonly url: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void;
}

/**
 * An optional capability of in-process transports (memory link ends, the simulator's faulty
 * wire): a write that is done when the call returns. PacedTransport uses it so a paced chunk
 * costs neither a copy nor a promise, and its clock timer needs no event-loop turn.
 *
 * Contract of `handOver(bytes)`: it does what `write(bytes)` does, except that
 * - the transport takes ownership of `bytes`: the caller never modifies them afterwards, so they
 *   are not copied, and may reach a `data` listener as they are;
 * - it completes before returning, and throws what `write()` would reject with (a memory end:
 *   TransportError('not-open') when closed);
 * - it returns SYNC_ONLY when it started no asynchronous work (no promise, nextTick or
 *   immediate whose effects belong to this instant; see SYNC_ONLY in src/time/clock.ts), and
 *   undefined when it did.
 */
export interface SyncHandover {
  handOver(bytes: Uint8Array): typeof SYNC_ONLY | undefined;
}

/** `transport` as a {@link SyncHandover} when it has the capability. */
export function syncHandoverOf(transport: Transport): SyncHandover | undefined {
  const candidate = transport as Transport & Partial<SyncHandover>;
  return typeof candidate.handOver === 'function' ? (candidate as Transport & SyncHandover) : undefined;
}

/**
 * An optional capability of PacedTransport: a write that takes ownership of its bytes and calls
 * back instead of returning a promise, so the pacing timer that hands the last byte over can
 * skip the event-loop turn (see `PacedTransport.writeOwned` for the full contract: `done` runs
 * once, synchronously from that timer on success, and must itself be synchronous).
 */
export interface OwnedWrite {
  writeOwned(bytes: Uint8Array, done: (error?: TransportError) => void): void;
}

/** `transport` as an {@link OwnedWrite} when it has the capability. */
export function ownedWriteOf(transport: Transport): OwnedWrite | undefined {
  const candidate = transport as Transport & Partial<OwnedWrite>;
  return typeof candidate.writeOwned === 'function' ? (candidate as Transport & OwnedWrite) : undefined;
}
