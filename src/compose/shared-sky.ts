import { createSocket, type Socket } from 'node:dgram';
import type { World } from '../../firmware-sim/index.js';
import type { Clock } from '../time/clock.js';

/** Largest sky datagram taken (a kill is ~100 bytes); anything bigger is dropped unread. */
const MAX_DATAGRAM_BYTES = 512;
const KIND = 'shieldlink-sky-kill';
const TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The bench config's `simulator.sharedSky`. */
export interface SharedSkyConfig {
  /** UDP port this node's simulator listens on (127.0.0.1). */
  readonly port: number;
  /** The other node simulators' `host:port`. */
  readonly peers: readonly string[];
}

/** What a {@link SharedSky} did. */
export interface SharedSkyCounters {
  killsSent: number;
  killsReceived: number;
  /** Targets ended here because another node's interceptor destroyed them. */
  endedHere: number;
  /** Datagrams refused (oversized, not JSON, not a kill, a bad target id). */
  dropped: number;
}

/** A running shared sky (stop it at the end of the run). */
export interface SharedSky {
  readonly counters: SharedSkyCounters;
  stop(): Promise<void>;
}

/**
 * One sky for node processes that each simulate the world for their own sensors (a two-process
 * joint bench, decision 0042): every target this node's world sees destroyed by its interceptor is
 * sent to the peers' simulators (UDP on loopback), and a kill a peer reports ends the target in
 * this world too, at once (truth `destroyed-elsewhere`, never this node's kill) — as a one-process
 * joint run does in memory. Simulator to simulator only: nothing of it reaches the node's control
 * path, its broker or its recording; the node learns of the kill as it would in a real sky, from
 * its own radar (the target is gone). A datagram that is not a well-formed kill is counted and
 * dropped, never throws.
 */
export async function startSharedSky(options: {
  readonly config: SharedSkyConfig;
  readonly world: World;
  readonly clock: Clock;
  readonly log: (line: string) => void;
}): Promise<SharedSky> {
  const counters: SharedSkyCounters = { killsSent: 0, killsReceived: 0, endedHere: 0, dropped: 0 };
  const socket: Socket = createSocket('udp4');
  const peers = options.config.peers.map((p) => {
    const at = p.lastIndexOf(':');
    return { host: p.slice(0, at), port: Number(p.slice(at + 1)) };
  });
  let stopped = false;
  socket.on('message', (bytes) => {
    if (stopped) return;
    const targetId = killOf(bytes);
    if (targetId === null) {
      counters.dropped++;
      return;
    }
    counters.killsReceived++;
    const nowUs = options.clock.nowUs();
    const flying = options.world.flyingTargets(nowUs).some((t) => t.id === targetId);
    options.world.destroyElsewhere(targetId, nowUs);
    if (flying) counters.endedHere++;
  });
  socket.on('error', (e) => options.log(`shared sky: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.config.port, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  options.world.onKill((targetId) => {
    if (stopped) return;
    const payload = Buffer.from(JSON.stringify({ v: 1, kind: KIND, targetId }));
    for (const p of peers) socket.send(payload, p.port, p.host);
    counters.killsSent++;
  });
  options.log(`shared sky: port ${options.config.port}, peers ${options.config.peers.join(', ')}`);
  return {
    counters,
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        socket.close(() => resolve());
      }),
  };
}

/** The target id of a well-formed kill datagram, else null. */
function killOf(bytes: Buffer): string | null {
  if (bytes.length > MAX_DATAGRAM_BYTES) return null;
  try {
    const v = JSON.parse(bytes.toString('utf8')) as unknown;
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    if (o['v'] !== 1 || o['kind'] !== KIND || typeof o['targetId'] !== 'string') return null;
    return TARGET_ID.test(o['targetId']) ? o['targetId'] : null;
  } catch {
    return null;
  }
}

/** The run's shared sky when the config asks for one (the world is in-process: the schema sees to it). */
export async function startSharedSkyOf(
  config: SharedSkyConfig | undefined,
  world: World | undefined,
  clock: Clock,
  log: (line: string) => void,
): Promise<SharedSky | undefined> {
  if (config === undefined || world === undefined) return undefined;
  return startSharedSky({ config, world, clock, log });
}
