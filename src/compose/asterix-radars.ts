import { AsterixRadarSource } from '../asterix-io/asterix-radar-source.js';
import type { BenchConfig } from '../config/bench-config-schema.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';
import type { DeviceInputAdapter } from '../session/device-input-adapter.js';
import type { Clock } from '../time/clock.js';

/** The ASTERIX radars of a hardware bench config, feeding the session's input adapter. */
export interface BenchAsterixRadars {
  readonly ids: readonly string[];
  /** Bind every radar's UDP socket (and join its multicast group). Rejects with UdpLinkError. */
  start(): Promise<void>;
  stop(): void;
  /** Per radar: its counters and status, for the run summary. */
  counters(): Record<string, unknown>;
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
): BenchAsterixRadars {
  const benchFrame = new LocalFrame(config.site ?? DEFAULT_SITE);
  const timeOfDayS = (hostUs: number): number =>
    ((((wallClockMs() + (hostUs - clock.nowUs()) / 1000) / 1000) % 86_400) + 86_400) % 86_400;
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
        acceptSimulated: radar.acceptSimulated,
        timeOfDayS,
      },
      emit: (input) => inputs.emit(input),
      nextSeq: (sourceId) => inputs.nextSeq(sourceId),
      onStatus: (status) => log(`${radar.id}: ASTERIX radar ${status}`),
    }),
  }));
  return {
    ids: sources.map(({ radar }) => radar.id),
    async start() {
      for (const { radar, source } of sources) await source.listen(radar.link);
    },
    stop() {
      for (const { source } of sources) source.stop();
    },
    counters() {
      return Object.fromEntries(
        sources.map(({ radar, source }) => [radar.id, { status: source.status, ...source.counters }]),
      );
    },
  };
}
