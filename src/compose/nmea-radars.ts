import type { BenchConfig } from '../config/bench-config-schema.js';
import type { ControlInput } from '../control/control-inputs.js';
import { NmeaTargetReader, type NmeaReaderCounters, type TtmReport, surfaceTrackOf } from '../nmea/index.js';
import type { DeviceInputAdapter } from '../session/device-input-adapter.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { type Transport, createTransport } from '../transport/index.js';

/** Velocity sigma multiplier for a TTM without speed and course (velocity 0, unknown). */
const UNKNOWN_VELOCITY_SIGMA_FACTOR = 50;

/** The NMEA 0183 (TTM/TLL) radars of a bench config, feeding the session's input adapter. */
export interface BenchNmeaRadars {
  readonly ids: readonly string[];
  /** Open every radar's serial link. Rejects with the transport's error. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Per radar: its reader counters, measurements, drops and status, for the run summary. */
  counters(): Record<string, unknown>;
}

interface RadarState {
  readonly id: string;
  readonly transport: Transport;
  readonly reader: NmeaTargetReader;
  status: 'waiting' | 'active' | 'stale';
  lastSentenceUs: number;
  measurements: number;
  drops: number;
  acquiring: number;
  staleEpisodes: number;
}

/**
 * One reader per `devices.nmeaRadars` entry: TTM sentences from an ARPA radar on a serial line
 * (4800 or 38400 baud, line-framed; checksums required; talker id read, never assumed) become
 * surface-track measurements at the radar's `position` in the bench frame (bearings relative
 * to `headingDeg` turned true), measured at their receipt; `L` (lost) is a drop, `Q` (query)
 * not yet a track. A radar is `active` while valid sentences come, `stale` after `staleAfterMs`
 * without one. Identification: none (ARPA carries none): tracks are `unknown`.
 */
export function createNmeaRadars(
  config: BenchConfig,
  clock: Clock,
  inputs: Pick<DeviceInputAdapter, 'emit' | 'nextSeq'>,
  log: (line: string) => void,
): BenchNmeaRadars {
  const radars: RadarState[] = [];
  let watchdog: TimerHandle | undefined;
  for (const radar of config.devices.nmeaRadars ?? []) {
    const placement = {
      ...radar.position,
      headingDeg: radar.headingDeg,
      rangeSigmaM: radar.accuracy.rangeSigmaM,
      bearingSigmaDeg: radar.accuracy.bearingSigmaDeg,
    };
    const emit = (input: ControlInput): void => inputs.emit(input);
    const state: RadarState = {
      id: radar.id,
      transport: createTransport(radar.link, { clock }),
      reader: new NmeaTargetReader({
        ttm: (report: TtmReport) => {
          const nowUs = clock.nowUs();
          state.lastSentenceUs = nowUs;
          if (state.status !== 'active') {
            state.status = 'active';
            log(`${radar.id}: NMEA radar active`);
          }
          const update = surfaceTrackOf(report, placement);
          if (update.kind === 'acquiring') {
            state.acquiring++;
            return;
          }
          const seq = inputs.nextSeq(radar.id);
          if (update.kind === 'drop') {
            state.drops++;
            emit({
              kind: 'track-drop',
              receivedAtUs: nowUs,
              sourceId: radar.id,
              seq,
              radarId: radar.id,
              radarTrackId: update.targetNumber,
              dropTimeUs: nowUs,
              reason: 'lost',
            });
            return;
          }
          state.measurements++;
          emit({
            kind: 'track-measurement',
            receivedAtUs: nowUs,
            sourceId: radar.id,
            seq,
            radarId: radar.id,
            radarTrackId: update.targetNumber,
            measurementTimeUs: nowUs,
            eastM: update.eastM,
            northM: update.northM,
            upM: update.upM,
            eastMps: update.eastMps,
            northMps: update.northMps,
            upMps: update.upMps,
            positionSigmaM: update.positionSigmaM,
            velocitySigmaMps:
              radar.accuracy.velocitySigmaMps * (update.velocityKnown ? 1 : UNKNOWN_VELOCITY_SIGMA_FACTOR),
            quality: 100,
            iff: 'unknown',
          });
        },
      }),
      status: 'waiting',
      lastSentenceUs: 0,
      measurements: 0,
      drops: 0,
      acquiring: 0,
      staleEpisodes: 0,
    };
    state.transport.on('data', (chunk) => state.reader.push(chunk));
    radars.push(state);
  }
  const staleAfterUs = new Map((config.devices.nmeaRadars ?? []).map((r) => [r.id, r.staleAfterMs * 1000]));
  const check = (): void => {
    const now = clock.nowUs();
    for (const state of radars) {
      if (state.status === 'active' && now - state.lastSentenceUs > staleAfterUs.get(state.id)!) {
        state.status = 'stale';
        state.staleEpisodes++;
        log(`${state.id}: NMEA radar stale`);
      }
    }
    watchdog = clock.setTimer(250_000, check);
  };
  return {
    ids: radars.map((r) => r.id),
    async start() {
      for (const state of radars) await state.transport.open();
      if (radars.length > 0) watchdog = clock.setTimer(250_000, check);
    },
    async stop() {
      watchdog?.cancel();
      for (const state of radars) await state.transport.close().catch(() => undefined);
    },
    counters() {
      return Object.fromEntries(
        radars.map((state) => [
          state.id,
          {
            status: state.status,
            measurements: state.measurements,
            drops: state.drops,
            acquiring: state.acquiring,
            staleEpisodes: state.staleEpisodes,
            ...(state.reader.counters satisfies NmeaReaderCounters),
          },
        ]),
      );
    },
  };
}
