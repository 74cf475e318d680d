import type { Socket } from 'node:net';
import { type TransportCloseReason, TransportError } from './transport.js';
import type { TransportEmitter } from './transport-emitter.js';

/** Socket error codes that mean the peer went away rather than something broke. */
const PEER_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * One open TCP session (a connected socket) presented as a transport session: shared by the
 * TCP client and the listening end, which differ only in how they get a socket.
 *
 * - Nagle off (`noDelay`): frames are small and latency matters more than packet count.
 * - The session ends exactly once: `local` after `close()`, `remote` when the peer closes or
 *   resets, `error` for anything else (the socket error is the close `cause`).
 * - `close()` destroys the socket at once: bytes whose write resolved are already in the
 *   kernel and still go out; writes not yet flushed reject with `write-failed`.
 */
export class SocketSession {
  private ended = false;
  private closingLocally = false;
  private peerEnded = false;
  private cause: Error | undefined;
  private readonly pendingWrites = new Set<(error: Error) => void>();
  private readonly closed: Promise<void>;

  constructor(
    private readonly socket: Socket,
    private readonly emitter: TransportEmitter,
    private readonly url: string,
    /** Called when the session ended, before listeners hear `close`. */
    onEnded: () => void,
  ) {
    socket.setNoDelay(true);
    this.closed = new Promise<void>((resolve) => {
      socket.on('close', () => {
        this.end(onEnded);
        resolve();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      if (!this.ended && !this.closingLocally) emitter.emit('data', chunk);
    });
    socket.on('end', () => {
      this.peerEnded = true;
    });
    socket.on('error', (error: Error) => {
      this.cause ??= error;
    });
  }

  /** Whether the session can still carry bytes. */
  get isOpen(): boolean {
    return !this.ended && !this.closingLocally;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(new TransportError('not-open', `${this.url}: write while closed`));
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error): void => {
        this.pendingWrites.delete(fail);
        reject(new TransportError('write-failed', `${this.url}: ${error.message}`));
      };
      this.pendingWrites.add(fail);
      this.socket.write(bytes, (error) => {
        if (!this.pendingWrites.has(fail)) return;
        if (error) fail(error);
        else {
          this.pendingWrites.delete(fail);
          resolve();
        }
      });
    });
  }

  /** End the session locally; resolves once `close('local')` was emitted. */
  close(): Promise<void> {
    if (!this.ended) {
      this.closingLocally = true;
      this.socket.destroy();
    }
    return this.closed;
  }

  private end(onEnded: () => void): void {
    if (this.ended) return;
    this.ended = true;
    const reason = this.reason();
    const failure = new Error(reason === 'local' ? 'closed' : `connection closed (${reason})`);
    for (const fail of [...this.pendingWrites]) fail(failure);
    onEnded();
    if (reason === 'local') this.emitter.emit('close', 'local');
    else this.emitter.emit('close', reason, this.cause ?? new Error(`${this.url}: peer closed the connection`));
  }

  private reason(): TransportCloseReason {
    if (this.closingLocally) return 'local';
    if (this.peerEnded || this.cause === undefined) return 'remote';
    const code = (this.cause as NodeJS.ErrnoException).code;
    return code !== undefined && PEER_GONE_CODES.has(code) ? 'remote' : 'error';
  }
}
