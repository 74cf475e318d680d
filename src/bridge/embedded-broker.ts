import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { BridgeError } from './bridge-error.js';

export interface EmbeddedBrokerOptions {
  /** TCP port for MQTT (default 1883; 0 = any free port). */
  readonly port?: number;
  /** WebSocket port for browsers (path `/mqtt` or any; default 8083; 0 = any free; null = none). */
  readonly wsPort?: number | null;
  /** Interface to listen on (default 127.0.0.1; `0.0.0.0` to serve a bench network). */
  readonly host?: string;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  readonly wsPort: number | null;
  /** `mqtt://host:port`, for the bridge and `shieldlink cmd`. */
  readonly url: string;
  /** `ws://host:wsPort/mqtt`, for browsers; null when WebSocket is off. */
  readonly wsUrl: string | null;
  /** Connected clients now. */
  readonly connectedClients: number;
  /** Close listeners and every client connection; resolves when done. */
  close(): Promise<void>;
}

/**
 * The default broker for a local bench: Aedes (MQTT 3.1.1 only; the bridge falls back to 3.1.1
 * by itself) over TCP, plus MQTT over WebSocket for browser dashboards. No authentication: keep it
 * on loopback or a closed bench network, or use Mosquitto with an ACL (see docs/mqtt.md).
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const tcp = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  let http: HttpServer | null = null;
  let wss: WebSocketServer | null = null;
  try {
    await listen(tcp, options.port ?? 1883, host);
    const wsPortOption = options.wsPort === undefined ? 8083 : options.wsPort;
    if (wsPortOption !== null) {
      http = createHttpServer();
      wss = new WebSocketServer({ server: http });
      wss.on('connection', (websocket, request) => {
        const stream = createWebSocketStream(websocket);
        stream.on('error', () => websocket.terminate());
        aedes.handle(stream, request);
      });
      await listen(http, wsPortOption, host);
    }
  } catch (error) {
    tcp.close();
    http?.close();
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    throw new BridgeError('broker-config', `embedded broker cannot listen: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const port = (tcp.address() as AddressInfo).port;
  const wsPort = http === null ? null : (http.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    host,
    port,
    wsPort,
    url: `mqtt://${urlHost}:${port}`,
    wsUrl: wsPort === null ? null : `ws://${urlHost}:${wsPort}/mqtt`,
    get connectedClients() {
      return aedes.connectedClients;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      for (const client of wss?.clients ?? []) client.terminate();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        http === null ? Promise.resolve() : new Promise<void>((resolve) => http!.close(() => resolve())),
        new Promise<void>((resolve) => aedes.close(() => resolve())),
      ]);
      wss?.close();
    },
  };
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
