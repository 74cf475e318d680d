import type { Clock } from '../time/clock.js';
import type { MemoryLinkPair } from './memory-transport.js';
import { PacedTransport } from './paced-transport.js';
import { DEFAULT_SERIAL_BAUD, SerialTransport } from './serial-transport.js';
import { DEFAULT_TCP_CONNECT_TIMEOUT_MS, TcpTransport } from './tcp-transport.js';
import { TcpServerTransport } from './tcp-server-transport.js';
import { type Transport, TransportError } from './transport.js';

/**
 * A transport URL, parsed and checked, defaults filled in:
 * - `serial:/dev/ttyUSB0?baud=921600&lowLatency=1&lock=0` (baud default 921600, lowLatency
 *   default off, lock default on; the path may be a `/dev/serial/by-id/…` link, or `COM3`)
 * - `tcp://host:port?connectTimeoutMs=5000` (a ser2net / Ethernet serial server; IPv6 in brackets)
 * - `tcp-listen://127.0.0.1:4001` (the listening end, as the simulator plays a device server;
 *   port 0 = any free port)
 * - `memory:<name>?end=host|device&baud=N` (an in-process link; default the host end, unpaced;
 *   with `baud`, writes leave at that line rate)
 */
export type TransportUrl =
  | {
      readonly kind: 'serial';
      readonly path: string;
      readonly baud: number;
      readonly lowLatency: boolean;
      readonly lock: boolean;
    }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly connectTimeoutMs: number }
  | { readonly kind: 'tcp-listen'; readonly host: string; readonly port: number }
  | {
      readonly kind: 'memory';
      readonly name: string;
      readonly end: 'host' | 'device';
      readonly baud: number | undefined;
    };

/** What {@link createTransport} needs besides the URL. */
export interface TransportDeps {
  /** Times TCP connects (a RealClock) or paces memory links (the run's clock). */
  readonly clock: Clock;
  /** In-process links by name, for `memory:` URLs (the composition root creates them). */
  readonly memoryLinks?: ReadonlyMap<string, MemoryLinkPair>;
}

const MAX_BAUD = 20_000_000;

/**
 * Parse a transport URL. Throws TransportError('bad-url') naming the URL and what is wrong
 * (unknown scheme, missing port, bad baud, unknown option, …) — for config validation.
 */
export function parseTransportUrl(url: string): TransportUrl {
  const fail = (why: string): never => {
    throw new TransportError('bad-url', `bad transport URL '${url}': ${why}`);
  };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'serial':
      return parseSerial(url.slice('serial:'.length), fail);
    case 'tcp':
      return parseTcp(url.slice('tcp:'.length), 'tcp', fail);
    case 'tcp-listen':
      return parseTcp(url.slice('tcp-listen:'.length), 'tcp-listen', fail);
    case 'memory':
      return parseMemory(url.slice('memory:'.length), fail);
    default:
      return fail(
        scheme === undefined
          ? 'no scheme (expected serial:, tcp://, tcp-listen:// or memory:)'
          : `unknown scheme '${scheme}:' (expected serial:, tcp://, tcp-listen:// or memory:)`,
      );
  }
}

/**
 * Build the transport a URL names (closed; call `open()`). Throws TransportError('bad-url')
 * for a bad URL or a `memory:` name not in `deps.memoryLinks`.
 */
export function createTransport(url: string, deps: TransportDeps): Transport {
  const spec = parseTransportUrl(url);
  switch (spec.kind) {
    case 'serial':
      return new SerialTransport({ path: spec.path, baud: spec.baud, lowLatency: spec.lowLatency, lock: spec.lock });
    case 'tcp':
      return new TcpTransport({
        host: spec.host,
        port: spec.port,
        clock: deps.clock,
        connectTimeoutMs: spec.connectTimeoutMs,
      });
    case 'tcp-listen':
      return new TcpServerTransport({ host: spec.host, port: spec.port });
    case 'memory': {
      const link = deps.memoryLinks?.get(spec.name);
      if (link === undefined) {
        const known = [...(deps.memoryLinks?.keys() ?? [])].join(', ') || 'none';
        throw new TransportError(
          'bad-url',
          `bad transport URL '${url}': no memory link '${spec.name}' (known: ${known})`,
        );
      }
      const end = spec.end === 'host' ? link.hostEnd : link.deviceEnd;
      return spec.baud === undefined ? end : new PacedTransport(end, { clock: deps.clock, baud: spec.baud });
    }
  }
}

type Fail = (why: string) => never;

function parseSerial(rest: string, fail: Fail): TransportUrl {
  const [path = '', query] = splitQuery(rest);
  if (path === '') fail('missing device path (expected serial:/dev/ttyUSB0?baud=921600)');
  if (!path.startsWith('/') && !/^COM\d+$/i.test(path)) {
    fail(`device path '${path}' is not absolute (expected e.g. serial:/dev/ttyUSB0)`);
  }
  const options = parseQuery(query, ['baud', 'lowLatency', 'lock'], fail);
  return {
    kind: 'serial',
    path: decodeURIComponent(path),
    baud: options.has('baud') ? parseBaud(options.get('baud')!, fail) : DEFAULT_SERIAL_BAUD,
    lowLatency: options.has('lowLatency') ? parseBool('lowLatency', options.get('lowLatency')!, fail) : false,
    lock: options.has('lock') ? parseBool('lock', options.get('lock')!, fail) : true,
  };
}

function parseTcp(rest: string, kind: 'tcp' | 'tcp-listen', fail: Fail): TransportUrl {
  const example = kind === 'tcp' ? 'tcp://192.168.1.50:4001' : 'tcp-listen://127.0.0.1:4001';
  if (!rest.startsWith('//')) fail(`expected ${kind}://host:port, e.g. ${example}`);
  const [withSlash = '', query] = splitQuery(rest.slice(2));
  const authority = withSlash.replace(/\/$/, '');
  if (authority.includes('/')) fail(`a ${kind} URL has no path (expected e.g. ${example})`);
  if (authority.includes('@')) fail('user names are not supported');
  const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]*)(?::(.*))?$/.exec(authority);
  if (match === null) fail(`cannot read host and port from '${authority}' (expected e.g. ${example})`);
  const host = match![1]!.replace(/^\[(.*)\]$/, '$1');
  if (host === '') fail(`missing host (expected e.g. ${example})`);
  const portText = match![2];
  if (portText === undefined || portText === '') fail(`missing port (expected e.g. ${example})`);
  const port = Number(portText);
  const minPort = kind === 'tcp' ? 1 : 0;
  if (!/^\d+$/.test(portText!) || port < minPort || port > 65535) {
    fail(`port '${portText}' is not a number from ${minPort} to 65535`);
  }
  if (kind === 'tcp-listen') {
    parseQuery(query, [], fail);
    return { kind, host, port };
  }
  const options = parseQuery(query, ['connectTimeoutMs'], fail);
  const timeoutText = options.get('connectTimeoutMs');
  let connectTimeoutMs = DEFAULT_TCP_CONNECT_TIMEOUT_MS;
  if (timeoutText !== undefined) {
    connectTimeoutMs = Number(timeoutText);
    if (!/^\d+$/.test(timeoutText) || connectTimeoutMs < 1) {
      fail(`connectTimeoutMs '${timeoutText}' is not a positive whole number of milliseconds`);
    }
  }
  return { kind, host, port, connectTimeoutMs };
}

function parseMemory(rest: string, fail: Fail): TransportUrl {
  const [name = '', query] = splitQuery(rest);
  if (name === '') fail('missing link name (expected memory:<name>, e.g. memory:radar-1)');
  if (!/^[A-Za-z0-9._-]+$/.test(name)) fail(`link name '${name}' may hold only letters, digits, '.', '_' and '-'`);
  const options = parseQuery(query, ['end', 'baud'], fail);
  const end = options.get('end') ?? 'host';
  if (end !== 'host' && end !== 'device') fail(`end '${end}' is not 'host' or 'device'`);
  return {
    kind: 'memory',
    name,
    end: end as 'host' | 'device',
    baud: options.has('baud') ? parseBaud(options.get('baud')!, fail) : undefined,
  };
}

function splitQuery(text: string): [string, string | undefined] {
  const at = text.indexOf('?');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function parseQuery(query: string | undefined, known: readonly string[], fail: Fail): Map<string, string> {
  const options = new Map<string, string>();
  if (query === undefined || query === '') return options;
  for (const [key, value] of new URLSearchParams(query)) {
    if (!known.includes(key)) {
      fail(`unknown option '${key}' (${known.length > 0 ? `known: ${known.join(', ')}` : 'this kind takes none'})`);
    }
    if (options.has(key)) fail(`option '${key}' given twice`);
    options.set(key, value);
  }
  return options;
}

function parseBaud(text: string, fail: Fail): number {
  const baud = Number(text);
  if (!/^\d+$/.test(text) || baud < 1 || baud > MAX_BAUD) {
    fail(`baud '${text}' is not a whole number from 1 to ${MAX_BAUD}`);
  }
  return baud;
}

function parseBool(key: string, text: string, fail: Fail): boolean {
  if (text === '1' || text === 'true') return true;
  if (text === '0' || text === 'false') return false;
  return fail(`${key} '${text}' is not 1, 0, true or false`);
}
