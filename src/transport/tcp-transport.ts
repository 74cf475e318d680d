import { connect, type Socket } from 'node:net';
import type { Clock } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { type Transport, type TransportEvents, TransportError } from './transport.js';
import { TransportEmitter } from './transport-emitter.js';
import { SocketSession } from './socket-session.js';

/** Default limit on one connection attempt. */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 5_000;

/** Options of {@link TcpTransport}. */
export interface TcpTransportOptions {
  readonly host: string;
  readonly port: number;
  /** Times the connection attempt (use a RealClock: this is real I/O). */
  readonly clock: Clock;
  /** Give up one connection attempt after this long; default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * A raw TCP client to a serial device server (ser2net, an Ethernet serial server) or to the
 * simulator's listening end: `tcp://host:port`.
 *
 * Contract (beyond {@link Transport}):
 * - `open()` connects (Nagle off); it rejects with TransportError('open-failed') when the
 *   connection is refused, unreachable, or not made within `connectTimeoutMs`.
 * - A peer that closes or resets the connection ends the session with `close('remote')`; other
 *   socket errors with `close('error')`. `open()` then connects again (a new connection).
 * - Nothing is retried here: reconnect policy (backoff) belongs to the device driver.
 */
export class TcpTransport implements Transport {
  readonly url: string;
  private readonly emitter = new TransportEmitter();
  private session: SocketSession | undefined;
  private attempt: { promise: Promise<void>; abort: () => void } | undefined;

  constructor(private readonly options: TcpTransportOptions) {
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    this.url = `tcp://${host}:${options.port}`;
  }

  get isOpen(): boolean {
    return this.session?.isOpen ?? false;
  }

  async open(): Promise<void> {
    if (this.session?.isOpen) return;
    if (this.session !== undefined) await this.session.close(); // a local close still finishing
    this.attempt ??= this.connect();
    return this.attempt.promise;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.session === undefined) {
      return Promise.reject(new TransportError('not-open', `${this.url}: write while closed`));
    }
    return this.session.write(bytes);
  }

  async close(): Promise<void> {
    this.attempt?.abort();
    await this.session?.close();
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  private connect(): { promise: Promise<void>; abort: () => void } {
    let abort: () => void = () => undefined;
    const promise = new Promise<void>((resolve, reject) => {
      const socket: Socket = connect({ host: this.options.host, port: this.options.port });
      const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS;
      const fail = (why: string): void => {
        timer.cancel();
        socket.removeAllListeners();
        socket.on('error', () => undefined); // a late error of a discarded socket is not ours
        socket.destroy();
        this.attempt = undefined;
        reject(new TransportError('open-failed', `${this.url}: ${why}`));
      };
      const timer = this.options.clock.setTimer(timeoutMs * US_PER_MS, () =>
        fail(`no connection within ${timeoutMs} ms`),
      );
      abort = () => fail('closed while connecting');
      socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
      socket.once('connect', () => {
        timer.cancel();
        socket.removeAllListeners('error');
        this.attempt = undefined;
        const session = new SocketSession(socket, this.emitter, this.url, () => {
          if (this.session === session) this.session = undefined;
        });
        this.session = session;
        resolve();
      });
    });
    return { promise, abort };
  }
}
