import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DisplayLayout } from './display-layout.js';
import { LedgerWatch } from './ledger-watch.js';

/** Options of {@link startDisplayServer}. */
export interface DisplayServerOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1: the page can send signed commands). */
  readonly host?: string;
  /** MQTT-over-WebSocket URL the page connects to (`ws://…/mqtt`); settable later. */
  readonly brokerUrl?: string | null;
  /** Node id to show; null: the first node whose `status` arrives. */
  readonly nodeId?: string | null;
  readonly layout?: DisplayLayout | null;
  /**
   * The broker login the page uses (the node's `display` user) and the node's Ed25519 public key
   * (base64url) it checks signatures with; settable later. Without a key every status, device
   * state and result is shown as unverified.
   */
  readonly access?: DisplayAccess | null;
  /** The built page (index.html, app.js, style.css); default `dist/display` of the package. */
  readonly assetsDir?: string;
  /** The decision ledger view served as `/ledger.json` (default: a new one, fed by nobody yet). */
  readonly ledger?: LedgerWatch;
}

/** What the page needs to log in to the broker and to check the node's signatures. */
export interface DisplayAccess {
  readonly username: string | null;
  readonly password: string | null;
  readonly nodePublicKey: string | null;
}

/** A running display server. */
export interface DisplayServer {
  /** `http://host:port/` */
  readonly url: string;
  /** Point the page at a broker (for pages loaded from now on). */
  setBroker(brokerUrl: string | null): void;
  /** The login and node key the page gets (for pages loaded from now on). */
  setAccess(access: DisplayAccess | null): void;
  /** `http://host:port`: the Origin its pages open WebSockets from. */
  readonly origin: string;
  setLayout(layout: DisplayLayout | null): void;
  /** The ledger panel's source: give it the node key and the lines (ledger-watch.ts). */
  readonly ledger: LedgerWatch;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** `Host: 192.0.2.7:8080` or `[::1]:8080`: an address, not a name a rebinding DNS could point here. */
const IP_LITERAL_HOST = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\]):\d{1,5}$/;

/** Files the server hands out, by URL path: nothing else of the disk is reachable. */
const ASSETS: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.js.map': 'app.js.map',
  '/style.css': 'style.css',
};

/**
 * Where `npm run build` puts the page: `dist/display`, from src/display or dist/src/display;
 * `SHIELDLINK_DISPLAY_ASSETS` names another directory (a page built elsewhere, e.g. by a test).
 */
export function defaultAssetsDir(): string {
  const override = process.env['SHIELDLINK_DISPLAY_ASSETS'];
  if (override !== undefined && override !== '') return resolve(override);
  const here = dirname(fileURLToPath(import.meta.url));
  const root = here.includes('/dist/') ? resolve(here, '../../..') : resolve(here, '../..');
  return join(root, 'dist', 'display');
}

/**
 * The live tactical display's HTTP server: the static page, `/config.json` (which broker and
 * node the page subscribes to), `/layout.json` (device positions and envelopes) and `/ledger.json`
 * (the decision ledger as verified here, ledger-watch.ts). All other data flows broker → browser
 * over MQTT on WebSocket.
 */
export async function startDisplayServer(options: DisplayServerOptions): Promise<DisplayServer> {
  const assetsDir = options.assetsDir ?? defaultAssetsDir();
  if (!existsSync(join(assetsDir, 'app.js'))) {
    throw new Error(`display: no built page in ${assetsDir} (run 'npm run build')`);
  }
  let brokerUrl = options.brokerUrl ?? null;
  let layout = options.layout ?? null;
  let access = options.access ?? null;
  let allowedHosts: Set<string> = new Set();
  const nodeId = options.nodeId ?? null;
  const ledger = options.ledger ?? new LedgerWatch();

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer): void => {
    res.writeHead(status, {
      'content-type': type,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'",
    });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    // A page of another site reaching this server under its own name (DNS rebinding) is refused.
    const hostHeader = String(req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(hostHeader) && !IP_LITERAL_HOST.test(hostHeader)) {
      return send(res, 421, 'text/plain', 'unknown host\n');
    }
    if (path === '/config.json')
      return send(
        res,
        200,
        TYPES['.map']!,
        JSON.stringify({
          v: 1,
          brokerUrl,
          nodeId,
          username: access?.username ?? null,
          password: access?.password ?? null,
          nodePublicKey: access?.nodePublicKey ?? null,
        }),
      );
    if (path === '/layout.json') return send(res, 200, TYPES['.map']!, JSON.stringify(layout));
    if (path === '/ledger.json') return send(res, 200, TYPES['.map']!, JSON.stringify(ledger.snapshot()));
    const file = ASSETS[path];
    if (file === undefined) return send(res, 404, 'text/plain', 'not found\n');
    try {
      const body = await readFile(join(assetsDir, file));
      send(res, 200, TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream', body);
    } catch {
      send(res, 404, 'text/plain', 'not found\n');
    }
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'error\n'));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = new Set(
    [shownHost, 'localhost', '127.0.0.1', '[::1]'].map((h) => `${h}:${address.port}`.toLowerCase()),
  );
  return {
    url: `http://${shownHost}:${address.port}/`,
    origin: `http://${shownHost}:${address.port}`,
    setAccess(next) {
      access = next;
    },
    setBroker(url) {
      brokerUrl = url;
    },
    setLayout(next) {
      layout = next;
    },
    ledger,
    close: () =>
      new Promise<void>((resolveClose) => {
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
