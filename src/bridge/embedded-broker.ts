import { timingSafeEqual, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Client } from 'aedes';
import type { WebSocketServer } from 'ws';
import type { Clock } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import { ACL_PATTERNS, aclAllows, type AclRule, shieldlinkAclRules } from './broker-acl.js';
import type { BrokerCredentials } from './broker-credentials.js';
import { BridgeError } from './bridge-error.js';

/** Limits that keep any client's load bounded (defaults in brackets). */
export interface EmbeddedBrokerLimits {
  /** Connected clients at once, TCP and WebSocket together [32]; more are refused (CONNACK 3). */
  readonly maxConnections?: number;
  /** Subscriptions per client [32]; more are refused (SUBACK 0x80). */
  readonly maxSubscriptionsPerClient?: number;
  /** Publishes per client: burst [100], refilled per second [50]; over budget, the client is disconnected. */
  readonly publishBurst?: number;
  readonly publishesPerSecond?: number;
  /** Largest WebSocket message, bytes [65536]. */
  readonly maxWebSocketPayloadBytes?: number;
}

export interface EmbeddedBrokerOptions {
  /** TCP port for MQTT (default 1883; 0 = any free port). */
  readonly port?: number;
  /** WebSocket port for browsers (path `/mqtt` or any; default 9001; 0 = any free; null = none). */
  readonly wsPort?: number | null;
  /** Interface to listen on (default 127.0.0.1). Anything but loopback needs `tls` and `credentials`. */
  readonly host?: string;
  /**
   * Who may connect, and as what (the ACL of `broker-acl.ts` by user name). Required unless
   * `allowAnonymous` is set: an embedded broker refuses anonymous clients by default.
   */
  readonly credentials?: BrokerCredentials;
  /** Test seam for tools and benchmarks on loopback only: no login, no ACL (never the node's default). */
  readonly allowAnonymous?: boolean;
  /** Server certificate and key (PEM files): MQTT over TLS (`mqtts://`) and `wss://`. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /**
   * Origins a browser may open the WebSocket from (`http://127.0.0.1:8080`); add more later with
   * `allowOrigin`. A WebSocket upgrade with any other Origin header is refused (HTTP 403); one
   * without an Origin header (not a browser) is let through to the MQTT login.
   */
  readonly allowedOrigins?: readonly string[];
  readonly limits?: EmbeddedBrokerLimits;
  /** Clock for the publish budget (default the real monotonic clock). */
  readonly clock?: Clock;
}

/** Counters of what the broker refused. */
export interface EmbeddedBrokerRefusals {
  readonly badLogin: number;
  readonly tooManyConnections: number;
  readonly origin: number;
  readonly publishDenied: number;
  readonly overBudget: number;
  readonly subscriptionLimit: number;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  readonly wsPort: number | null;
  /** `mqtt://host:port` (`mqtts://` with TLS), for the bridge and `shieldlink cmd`. */
  readonly url: string;
  /** `ws://host:wsPort/mqtt` (`wss://` with TLS), for browsers; null when WebSocket is off. */
  readonly wsUrl: string | null;
  /** Connected clients now. */
  readonly connectedClients: number;
  readonly refusals: EmbeddedBrokerRefusals;
  /** Let browsers of `origin` open the WebSocket (e.g. the display's own origin, once known). */
  allowOrigin(origin: string): void;
  /** Close listeners and every client connection; resolves when done. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * The default broker for a local bench: Aedes (MQTT 3.1.1 only; the bridge falls back to 3.1.1
 * by itself) over TCP, plus MQTT over WebSocket for browser dashboards. Authenticated: every
 * client logs in with one of the node's generated users and gets the rights of its role
 * (`broker-acl.ts`, equal to the example Mosquitto ACL); anonymous clients are refused. Browsers
 * must come from an allowed Origin. Connections, subscriptions and publish rates are bounded per
 * client so that no client's load grows without bound on the node's I/O thread. Listening on
 * anything but loopback requires TLS and credentials (else `broker-config` error).
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const credentials = options.credentials;
  if (credentials === undefined && options.allowAnonymous !== true) {
    throw new BridgeError('broker-config', 'embedded broker needs credentials (anonymous access is refused)');
  }
  if (!LOOPBACK.test(host) && (options.tls === undefined || credentials === undefined)) {
    throw new BridgeError(
      'broker-config',
      `embedded broker on ${host} (not loopback) needs TLS (embedded.tls certFile/keyFile) and credentials`,
    );
  }
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (options.tls !== undefined) {
    try {
      tls = { cert: readFileSync(options.tls.certFile), key: readFileSync(options.tls.keyFile) };
    } catch (error) {
      throw new BridgeError('broker-config', `embedded broker TLS: ${(error as Error).message}`, { cause: error });
    }
  }
  const limits = options.limits ?? {};
  const maxConnections = limits.maxConnections ?? 32;
  const maxSubscriptions = limits.maxSubscriptionsPerClient ?? 32;
  const burst = limits.publishBurst ?? 100;
  const perUs = (limits.publishesPerSecond ?? 50) / 1_000_000;
  const clock = options.clock ?? new RealClock();
  const origins = new Set(options.allowedOrigins ?? []);
  const refusals = {
    badLogin: 0,
    tooManyConnections: 0,
    origin: 0,
    publishDenied: 0,
    overBudget: 0,
    subscriptionLimit: 0,
  };

  interface Session {
    readonly user: string;
    readonly rules: readonly AclRule[];
    readonly unlimited: boolean;
    subscriptions: number;
    tokens: number;
    lastUs: number;
  }
  const sessions = new WeakMap<Client, Session>();
  const logins = new Map<string, Buffer>();
  if (credentials !== undefined) {
    for (const u of Object.values(credentials.users)) logins.set(u.username, digest(u.password));
  }
  const nodeUser = credentials?.users.node.username;
  let clients = 0;

  // aedes and ws load when a broker starts, not with every command (virtual-time runs use neither).
  const [{ Aedes }, { createWebSocketStream, WebSocketServer }] = await Promise.all([import('aedes'), import('ws')]);
  const aedes = await Aedes.createBroker({
    preConnect(_client, _packet, callback) {
      if (clients >= maxConnections) {
        refusals.tooManyConnections++;
        callback(null, false);
        return;
      }
      callback(null, true);
    },
    authenticate(client, username, password, done) {
      if (credentials === undefined) {
        sessions.set(client, { user: '', rules: [], unlimited: true, subscriptions: 0, tokens: burst, lastUs: 0 });
        done(null, true);
        return;
      }
      const expected = username === undefined ? undefined : logins.get(username);
      const given = password === undefined ? null : digest(password.toString('utf8'));
      if (expected === undefined || given === null || !timingSafeEqual(expected, given)) {
        refusals.badLogin++;
        const error = Object.assign(new Error('bad user name or password'), { returnCode: 4 as const });
        done(error, false);
        return;
      }
      sessions.set(client, {
        user: username!,
        rules: shieldlinkAclRules(credentials.nodeId, username!),
        unlimited: username === nodeUser,
        subscriptions: 0,
        tokens: burst,
        lastUs: clock.nowUs(),
      });
      done(null, true);
    },
    authorizePublish(client, packet, callback) {
      if (client === null) return callback(null); // the broker's own (wills are checked at connect)
      const session = sessions.get(client);
      if (session === undefined) return callback(new Error('not authenticated'));
      if (packet.topic.startsWith('$SYS/')) return callback(new Error('$SYS is read-only'));
      if (!session.unlimited) {
        const nowUs = clock.nowUs();
        session.tokens = Math.min(burst, session.tokens + (nowUs - session.lastUs) * perUs);
        session.lastUs = nowUs;
        if (session.tokens < 1) {
          refusals.overBudget++;
          return callback(new Error('publish rate over budget'));
        }
        session.tokens -= 1;
      }
      if (credentials !== undefined && !aclAllows(session.rules, [], session.user, client.id, packet.topic, 'write')) {
        refusals.publishDenied++;
        return callback(new Error('not authorized to publish there'));
      }
      callback(null);
    },
    authorizeSubscribe(client, subscription, callback) {
      const session = sessions.get(client);
      if (session === undefined) return callback(new Error('not authenticated'));
      if (session.subscriptions >= maxSubscriptions && !session.unlimited) {
        refusals.subscriptionLimit++;
        return callback(null, null);
      }
      session.subscriptions++;
      callback(null, subscription);
    },
    authorizeForward(client, packet) {
      if (credentials === undefined) return packet;
      const session = sessions.get(client);
      if (session === undefined) return null;
      // As Mosquitto: a wide subscription is allowed, but only what the user may read is delivered.
      return aclAllows(session.rules, ACL_PATTERNS, session.user, client.id, packet.topic, 'read') ? packet : null;
    },
  });
  aedes.on('client', () => clients++);
  aedes.on('clientDisconnect', () => clients--);

  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    aedes.handle(socket);
  };
  const tcp: NetServer = tls === undefined ? createNetServer(onSocket) : createTlsServer(tls, onSocket);
  let http: HttpServer | null = null;
  let wss: WebSocketServer | null = null;
  try {
    await listen(tcp, options.port ?? 1883, host);
    const wsPortOption = options.wsPort === undefined ? 9001 : options.wsPort;
    if (wsPortOption !== null) {
      http = tls === undefined ? createHttpServer() : createHttpsServer(tls);
      wss = new WebSocketServer({
        server: http,
        maxPayload: limits.maxWebSocketPayloadBytes ?? 65_536,
        verifyClient: (
          info: { origin: string; req: IncomingMessage },
          callback: (ok: boolean, code?: number) => void,
        ) => {
          const origin = info.req.headers.origin;
          if (origin === undefined || origins.has(origin)) return callback(true);
          refusals.origin++;
          callback(false, 403);
        },
      });
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
  const secure = tls !== undefined;
  return {
    host,
    port,
    wsPort,
    url: `${secure ? 'mqtts' : 'mqtt'}://${urlHost}:${port}`,
    wsUrl: wsPort === null ? null : `${secure ? 'wss' : 'ws'}://${urlHost}:${wsPort}/mqtt`,
    get connectedClients() {
      return aedes.connectedClients;
    },
    refusals,
    allowOrigin(origin: string) {
      origins.add(origin);
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

/** Fixed-length digest, so that the login comparison is constant-time whatever the lengths. */
function digest(password: string): Buffer {
  return createHash('sha256').update(password, 'utf8').digest();
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
