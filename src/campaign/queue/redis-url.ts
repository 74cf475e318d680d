/** Where a campaign queue's Redis is. */
export interface RedisTarget {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  /** `host:port/db`, for messages (never the password). */
  readonly display: string;
}

/** A `--queue` URL that is not `redis://[user:password@]host[:port][/db]`. */
export class RedisUrlError extends Error {
  readonly code = 'redis-url';
  constructor(message: string) {
    super(message);
    this.name = 'RedisUrlError';
  }
}

/** Parse `redis://[user:password@]host[:port][/db]` (port default 6379, db default 0). */
export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RedisUrlError(`--queue: expected redis://HOST:PORT, got '${text}'`);
  }
  if (url.protocol !== 'redis:') throw new RedisUrlError(`--queue: expected a redis:// URL, got '${url.protocol}'`);
  if (url.hostname === '') throw new RedisUrlError(`--queue: no host in '${text}'`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  const db = dbText === '' ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new RedisUrlError(`--queue: database '${dbText}' is not 0-15`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    db,
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    display: `${host}:${port}${db === 0 ? '' : `/${db}`}`,
  };
}

/** ioredis connection options for BullMQ. `failFast`: commands fail at once while disconnected. */
export function connectionOptions(target: RedisTarget, failFast: boolean): Record<string, unknown> {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username === undefined ? {} : { username: target.username }),
    ...(target.password === undefined ? {} : { password: target.password }),
    // Workers block on Redis: BullMQ needs unlimited retries per request there.
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
    // Reconnect forever, at most every 1 s: a Redis that comes back is found within a second.
    retryStrategy: (times: number) => Math.min(times * 100, 1000),
    connectTimeout: 3000,
  };
}
