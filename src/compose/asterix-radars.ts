import { AsterixRadarSource } from '../asterix-io/asterix-radar-source.js';
import type { BenchConfig } from '../config/bench-config-schema.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';
import type { DeviceInputAdapter } from '../session/device-input-adapter.js';
import type { Clock } from '../time/clock.js';
import { type UdpSender, openUdpSender } from '../asterix-io/udp-sender.js';

/** Delay of a datagram on the memory link (virtual time): a loopback network hop. */
export const MEMORY_DATAGRAM_DELAY_US = 100;

/** Where a simulated ASTERIX radar sends, and the UTC time of day it stamps. */
export interface AsterixRadarFeed {
  readonly send: (datagram: Uint8Array) => void;
  readonly timeOfDayS: (hostUs: number) => number;
}

/** The ASTERIX radars of a hardware bench config, feeding the session's input adapter. */
export interface BenchAsterixRadars {
  readonly ids: readonly string[];
  /**
   * Bind every radar's UDP socket (and join its multicast group), or on memory links only start
   * the staleness watchdogs. Rejects with UdpLinkError.
   */
  start(): Promise<void>;
  /**
   * After `start`: a simulated radar's way in — a datagram delivered on the clock after
   * MEMORY_DATAGRAM_DELAY_US (memory links), or sent to the bound port on 127.0.0.1 (UDP).
   */
  feed(id: string): Promise<AsterixRadarFeed>;
  stop(): void;
  /** Per radar: its counters and status, for the run summary. */
  counters(): Record<string, unknown>;
}

/** UTC time of day (s) at a host time (µs), through the run's wall clock. */
export function timeOfDayOn(clock: Clock, wallClockMs: () => number): (hostUs: number) => number {
  return (hostUs) => ((((wallClockMs() + (hostUs - clock.nowUs()) / 1000) / 1000) % 86_400) + 86_400) % 86_400;
}

/**
 * One AsterixRadarSource per `devices.asterixRadars` entry: CAT048 from the radar's site into the
 * bench frame (`site`, default 0° N 0° E), I140 mapped to host time through the run's wall clock.
 */
export function createAsterixRadars(
  config: BenchConfig,
  clock: Clock,
  wallClockMs: () => number,
  inputs: Pick<DeviceInputAdapter, 'emit' | 'nextSeq'>,
  log: (line: string) => void,
  links: 'udp' | 'memory' = 'udp',
): BenchAsterixRadars {
  const benchFrame = new LocalFrame(config.site ?? DEFAULT_SITE);
  const timeOfDayS = timeOfDayOn(clock, wallClockMs);
  const sources = (config.devices.asterixRadars ?? []).map((radar) => ({
    radar,
    source: new AsterixRadarSource({
      radarId: radar.id,
      clock,
      staleAfterUs: radar.staleAfterMs * 1000,
      context: {
        radarFrame: new LocalFrame(radar.site),
        benchFrame,
        ...(radar.sac === undefined ? {} : { sac: radar.sac }),
        ...(radar.sic === undefined ? {} : { sic: radar.sic }),
        rangeSigmaM: radar.accuracy.rangeSigmaM,
        azimuthSigmaDeg: radar.accuracy.azimuthSigmaDeg,
        velocitySigmaMps: radar.accuracy.velocitySigmaMps,
        // A simulated bench's radars are simulated: their plots carry I020 SIM.
        acceptSimulated: radar.acceptSimulated || config.simulator.enabled,
        timeOfDayS,
        mode4NoReply: radar.mode4NoReply,
      },
      emit: (input) => inputs.emit(input),
      nextSeq: (sourceId) => inputs.nextSeq(sourceId),
      onStatus: (status) => log(`${radar.id}: ASTERIX radar ${status}`),
    }),
  }));
  const ports = new Map<string, number>();
  const senders: UdpSender[] = [];
  return {
    ids: sources.map(({ radar }) => radar.id),
    async start() {
      for (const { radar, source } of sources) {
        if (links === 'memory') source.startWithoutSocket();
        else ports.set(radar.id, (await source.listen(radar.link)).port);
      }
    },
    async feed(id) {
      const found = sources.find(({ radar }) => radar.id === id);
      if (found === undefined) throw new Error(`no ASTERIX radar ${id}`);
      if (links === 'memory') {
        return {
          timeOfDayS,
          send: (datagram) => {
            clock.setTimer(MEMORY_DATAGRAM_DELAY_US, () => found.source.handleDatagram(datagram, clock.nowUs()));
          },
        };
      }
      const port = ports.get(id);
      if (port === undefined) throw new Error(`ASTERIX radar ${id} is not listening (start first)`);
      const sender = await openUdpSender('127.0.0.1', port);
      senders.push(sender);
      return { timeOfDayS, send: (datagram) => sender.send(datagram) };
    },
    stop() {
      for (const { source } of sources) source.stop();
      for (const sender of senders.splice(0)) sender.close();
    },
    counters() {
      return Object.fromEntries(
        sources.map(({ radar, source }) => [radar.id, { status: source.status, ...source.counters }]),
      );
    },
  };
}
