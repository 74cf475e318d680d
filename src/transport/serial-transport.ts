import type { SerialPort } from 'serialport';
import { type Transport, type TransportCloseReason, type TransportEvents, TransportError } from './transport.js';
import { TransportEmitter } from './transport-emitter.js';

/** The line rate of every shieldlink controller unless its configuration says otherwise. */
export const DEFAULT_SERIAL_BAUD = 921_600;

/** Options of {@link SerialTransport}. Line settings are fixed by the ICD: 8 data bits, no parity, 1 stop bit. */
export interface SerialTransportOptions {
  /** Device path, e.g. `/dev/ttyUSB0` or a stable `/dev/serial/by-id/…` symlink. */
  readonly path: string;
  /** Bits per second; default 921600. */
  readonly baud?: number;
  /**
   * Ask the driver for low-latency mode (FTDI latency timer 1 ms instead of 16 ms), which
   * matters for time sync. Default false. Best effort: a device that cannot do it (a PTY, most
   * CDC-ACM boards) still opens, and an `error` event says why.
   */
  readonly lowLatency?: boolean;
  /** Take an exclusive lock on the port (no second opener); default true. */
  readonly lock?: boolean;
}

interface Session {
  readonly port: SerialPort;
  readonly pendingWrites: Set<(error: Error) => void>;
  /** Errors already reported through a write's rejection (the stream emits them again). */
  readonly failedWrites: WeakSet<Error>;
  closingLocally: boolean;
  ended: boolean;
  /** Resolves when the session ended and `close` was emitted. */
  readonly closed: Promise<void>;
  readonly markClosed: () => void;
}

/**
 * A serial port through the `serialport` binding: `serial:/dev/ttyUSB0?baud=921600`.
 *
 * Contract (beyond {@link Transport}):
 * - `open()` opens the path as it is now — a `/dev/serial/by-id` symlink is resolved by the
 *   kernel at each open, so reopening after an adapter is re-inserted finds its new ttyUSBn.
 *   It rejects with TransportError('open-failed') carrying the OS reason (absent, busy, no
 *   permission).
 * - The device vanishing (USB adapter pulled, the PTY's owner exiting) ends the session with
 *   `close('unplugged')`, its cause the binding's disconnect error; any other read or write
 *   failure that closes the port also reports `unplugged` (the binding treats every such
 *   failure as a disconnect). Then `open()` fails until the path is back, and works after.
 * - A serial line cannot tell whether the far end is listening: this transport never reports
 *   `remote`.
 * - `write()` resolves when the bytes are handed to the OS driver, not when they have left
 *   the wire.
 */
export class SerialTransport implements Transport {
  readonly path: string;
  readonly baud: number;
  readonly url: string;
  private readonly lowLatency: boolean;
  private readonly lock: boolean;
  private readonly emitter = new TransportEmitter();
  private session: Session | undefined;
  private opening: Promise<void> | undefined;
  private abortOpening: (() => void) | undefined;

  constructor(options: SerialTransportOptions) {
    this.path = options.path;
    this.baud = options.baud ?? DEFAULT_SERIAL_BAUD;
    this.lowLatency = options.lowLatency ?? false;
    this.lock = options.lock ?? true;
    this.url =
      `serial:${this.path}?baud=${this.baud}` + (this.lowLatency ? '&lowLatency=1' : '') + (this.lock ? '' : '&lock=0');
  }

  get isOpen(): boolean {
    return this.session !== undefined && !this.session.ended && !this.session.closingLocally;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    if (this.session !== undefined) await this.session.closed; // a local close still finishing
    this.opening ??= this.openPort().finally(() => {
      this.opening = undefined;
      this.abortOpening = undefined;
    });
    return this.opening;
  }

  write(bytes: Uint8Array): Promise<void> {
    const session = this.session;
    if (session === undefined || !this.isOpen) {
      return Promise.reject(new TransportError('not-open', `${this.url}: write while closed`));
    }
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        session.pendingWrites.delete(fail);
        reject(new TransportError('write-failed', `${this.url}: ${error.message}`));
      };
      session.pendingWrites.add(fail);
      // A copy: the caller may reuse its buffer as soon as write() returns, as with the others.
      session.port.write(Buffer.from(bytes), (error) => {
        if (error) session.failedWrites.add(error);
        if (!session.pendingWrites.has(fail)) return;
        if (error) fail(error);
        else {
          session.pendingWrites.delete(fail);
          resolve();
        }
      });
    });
  }

  async close(): Promise<void> {
    this.abortOpening?.();
    const session = this.session;
    if (session === undefined) return;
    if (!session.ended && !session.closingLocally) {
      session.closingLocally = true;
      // Whatever the binding says (it may already have lost the device), the session ends here.
      session.port.close(() => this.end(session, null));
    }
    await session.closed;
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  private async openPort(): Promise<void> {
    // serialport (and its native binding) loads at the first open, not with every command.
    let SerialPort: typeof import('serialport').SerialPort;
    try {
      ({ SerialPort } = await import('serialport'));
    } catch (error) {
      throw new TransportError('open-failed', `${this.url}: serialport cannot load: ${messageOf(error)}`);
    }
    return new Promise<void>((resolve, reject) => {
      let port: SerialPort;
      try {
        port = new SerialPort({ path: this.path, baudRate: this.baud, autoOpen: false, lock: this.lock });
      } catch (error) {
        reject(new TransportError('open-failed', `${this.url}: ${messageOf(error)}`));
        return;
      }
      let aborted = false;
      this.abortOpening = () => {
        aborted = true;
        reject(new TransportError('open-failed', `${this.url}: closed while opening`));
      };
      port.open((error) => {
        if (error) {
          if (!aborted) reject(new TransportError('open-failed', `${this.url}: ${error.message}`));
          return;
        }
        if (aborted) {
          port.close();
          return;
        }
        this.session = this.startSession(port);
        resolve();
        if (this.lowLatency) {
          port.set({ lowLatency: true } as Parameters<SerialPort['set']>[0], (setError) => {
            if (setError) {
              this.emitter.emit('error', new Error(`${this.url}: low-latency mode unavailable (${setError.message})`));
            }
          });
        }
      });
    });
  }

  private startSession(port: SerialPort): Session {
    let markClosed!: () => void;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const session: Session = {
      port,
      pendingWrites: new Set(),
      failedWrites: new WeakSet(),
      closingLocally: false,
      ended: false,
      closed,
      markClosed,
    };
    port.on('data', (chunk: Buffer) => {
      if (!session.ended && !session.closingLocally) this.emitter.emit('data', chunk);
    });
    // With a disconnect, the stream closes itself and passes a DisconnectedError.
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => this.end(session, error));
    // The stream also emits the failure of a write it was given; the write's promise already
    // reports that, and during a close such failures are expected: forward only the rest.
    port.on('error', (error: Error) => {
      if (!session.ended && !session.closingLocally && !session.failedWrites.has(error)) {
        this.emitter.emit('error', error);
      }
    });
    return session;
  }

  private end(session: Session, error: Error | null): void {
    if (session.ended) return;
    session.ended = true;
    if (this.session === session) this.session = undefined;
    const reason: TransportCloseReason = session.closingLocally ? 'local' : 'unplugged';
    const failure = new Error(reason === 'local' ? 'port closed' : 'device lost');
    for (const fail of [...session.pendingWrites]) fail(failure);
    session.port.removeAllListeners('data');
    session.markClosed();
    if (reason === 'local') this.emitter.emit('close', 'local');
    else this.emitter.emit('close', reason, error ?? new Error(`${this.path}: port closed unexpectedly`));
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
