import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { type Transport, type TransportEvents, TransportError } from './transport.js';
import { TransportEmitter } from './transport-emitter.js';
import { SocketSession } from './socket-session.js';

/** Options of {@link TcpServerTransport}. */
export interface TcpServerTransportOptions {
  /** Interface to listen on; default `127.0.0.1` (not reachable from other machines). */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one (see `port` once listening). */
  readonly port: number;
}

/**
 * The listening end of a raw TCP link, presented as a Transport: what a serial device server
 * is to the host, played by the simulator (`--link radar-1=tcp:4001`). URL
 * `tcp-listen://host:port`.
 *
 * Contract (beyond {@link Transport}):
 * - `listen()` binds and resolves to the bound port (useful with port 0); `open()` listens if
 *   needed, then resolves when a client is connected — it waits as long as it takes, and
 *   rejects with TransportError('open-failed') only when binding fails or `close()` is called.
 * - One client at a time: while a session is open, further clients are refused (their socket
 *   is destroyed at once, and an `error` event says so). A client that connects between
 *   sessions waits, unread, for the next `open()`; a newer one replaces it.
 * - The client leaving ends the session with `close('remote')`; the end keeps listening and
 *   the next `open()` takes the next client.
 * - `close()` ends the session with `close('local')` and stops listening (clients then get
 *   "connection refused", as from a powered-off device server). A later `open()` listens on
 *   the same port again, even when the first bind asked for port 0.
 */
export class TcpServerTransport implements Transport {
  private readonly emitter = new TransportEmitter();
  private readonly host: string;
  private readonly requestedPort: number;
  /** Bumped by close(), so a bind that completes after it is undone. */
  private generation = 0;
  private server: Server | undefined;
  private listening: Promise<number> | undefined;
  private boundPort: number | undefined;
  private session: SocketSession | undefined;
  private waitingClient: Socket | undefined;
  private opening: { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(options: TcpServerTransportOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.requestedPort = options.port;
  }

  /** `tcp-listen://host:port`, with the bound port once known. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `tcp-listen://${host}:${this.boundPort ?? this.requestedPort}`;
  }

  /** The bound port while listening (or last bound), else undefined. */
  get port(): number | undefined {
    return this.boundPort;
  }

  get isOpen(): boolean {
    return this.session?.isOpen ?? false;
  }

  /** Start listening (idempotent); resolves to the bound port. */
  listen(): Promise<number> {
    this.listening ??= this.bind();
    return this.listening;
  }

  async open(): Promise<void> {
    if (this.session?.isOpen) return;
    if (this.session !== undefined) await this.session.close(); // a local close still finishing
    if (this.opening !== undefined) return this.opening.promise;
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const opening = { promise, resolve, reject };
    this.opening = opening;
    try {
      await this.listen();
    } catch (error) {
      this.opening = undefined;
      throw error;
    }
    if (this.opening === opening && this.waitingClient !== undefined) {
      const client = this.waitingClient;
      this.waitingClient = undefined;
      this.adopt(client);
    }
    return promise;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.session === undefined) {
      return Promise.reject(new TransportError('not-open', `${this.url}: write while closed`));
    }
    return this.session.write(bytes);
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    opening?.reject(new TransportError('open-failed', `${this.url}: closed while waiting for a client`));
    this.waitingClient?.destroy();
    this.waitingClient = undefined;
    this.generation++;
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    await this.session?.close();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  on<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.on(event, listener);
  }

  off<E extends keyof TransportEvents>(event: E, listener: TransportEvents[E]): void {
    this.emitter.off(event, listener);
  }

  private bind(): Promise<number> {
    const generation = this.generation;
    return new Promise<number>((resolve, reject) => {
      const server = createServer((socket) => this.onClient(server, socket));
      const port = this.boundPort ?? this.requestedPort;
      server.once('error', (error: NodeJS.ErrnoException) => {
        if (generation === this.generation) this.listening = undefined;
        reject(new TransportError('open-failed', `${this.url}: cannot listen (${error.code ?? error.message})`));
      });
      server.listen({ host: this.host, port }, () => {
        server.removeAllListeners('error');
        if (generation !== this.generation) {
          server.close();
          reject(new TransportError('open-failed', `${this.url}: closed while binding`));
          return;
        }
        // A listening server has no further error worth closing for; report and carry on.
        server.on('error', (error) => this.emitter.emit('error', error));
        this.server = server;
        this.boundPort = (server.address() as AddressInfo).port;
        resolve(this.boundPort);
      });
    });
  }

  private onClient(server: Server, socket: Socket): void {
    socket.on('error', () => undefined); // until a session owns it
    if (server !== this.server) {
      socket.destroy();
      return;
    }
    if (this.session !== undefined) {
      socket.destroy();
      this.emitter.emit(
        'error',
        new Error(`${this.url}: refused a second client from ${socket.remoteAddress}:${socket.remotePort}`),
      );
      return;
    }
    if (this.opening !== undefined) {
      this.adopt(socket);
      return;
    }
    this.waitingClient?.destroy();
    this.waitingClient = socket;
    socket.once('close', () => {
      if (this.waitingClient === socket) this.waitingClient = undefined;
    });
  }

  private adopt(socket: Socket): void {
    const opening = this.opening!;
    this.opening = undefined;
    socket.removeAllListeners('error');
    socket.removeAllListeners('close');
    const session = new SocketSession(socket, this.emitter, this.url, () => {
      if (this.session === session) this.session = undefined;
    });
    this.session = session;
    opening.resolve();
  }
}
