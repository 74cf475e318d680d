/**
 * I/O load to run while the control loop is timed (benchmark figures 1 and 6): what the I/O
 * thread of a bench run does besides the tick.
 *
 * - **serial**: `shieldlink sim --no-pace` in its own process with bench/scenarios/io-load.yaml
 *   (a radar reporting 40 targets every 200 ms, about 200 TRACK_REPORTs/s, and a launcher), each
 *   on a PTY pair, as `shieldlink run` starts it on a PTY bench; in this process a RadarController and a LauncherController read them through the
 *   real serialport binding, with heartbeats and time sync both ways.
 * - **mqtt**: the embedded Aedes broker and the MQTT bridge in this process, a subscriber on
 *   every topic (a display), and the bridge publishing what a run publishes: both device states
 *   on every driver status, the radar's track picture (10 Hz, coalesced), an engagement event
 *   every 5 ms on the ordered QoS 1 stream (200/s, far more than a raid produces), metrics. With
 *   `serial` off, device states and tracks are made up at the same rates.
 *
 * Everything here runs on the calling thread (the I/O thread), as in `shieldlink run`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import {
  type BridgeSink,
  type BridgeSource,
  OperatorKeyring,
  ShieldlinkBridge,
  startEmbeddedBroker,
  type TrackView,
} from '../src/bridge/index.js';
import { LauncherController, RadarController } from '../src/devices/index.js';
import { RealClock, wallClockMs } from '../src/time/real-clock.js';
import { createTransport } from '../src/transport/index.js';
import { repoFile } from './node-entry.js';
import { startSimProcess } from './sim-process.js';

/** Options of {@link startIoLoad}. */
export interface IoLoadOptions {
  readonly serial: boolean;
  readonly mqtt: boolean;
}

/** What the load did, for the figures' notes. */
export interface IoLoadStats {
  /** Frames the host drivers received. */
  readonly serialFramesIn: number;
  readonly trackReports: number;
  /** Messages the subscriber received through the broker. */
  readonly mqttMessagesIn: number;
  readonly engagementEvents: number;
  readonly durationS: number;
}

/** A running load. */
export interface IoLoad {
  stop(): Promise<IoLoadStats>;
}

export const IO_LOAD_SCENARIO = repoFile('bench/scenarios/io-load.yaml');
const NODE = 'bench-io';
const ENGAGEMENT_PERIOD_MS = 5;

export async function startIoLoad(options: IoLoadOptions): Promise<IoLoad> {
  const clock = new RealClock();
  const startNs = process.hrtime.bigint();
  const stops: (() => Promise<void>)[] = [];
  let trackReports = 0;
  let mqttMessagesIn = 0;
  let engagementEvents = 0;
  let sink: BridgeSink | null = null;
  const tracks = new Map<number, TrackView>();
  let radar: RadarController | undefined;
  let launcher: LauncherController | undefined;

  const stopAll = async (): Promise<void> => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    if (options.serial) {
      const sim = await startSimProcess({ scenarioFile: IO_LOAD_SCENARIO, devices: 2 });
      stops.push(() => sim.stop());
      // The simulator runs unpaced (--no-pace) and the host writes unpaced: no line rates.
      const lineRates = {};
      radar = new RadarController({
        transport: createTransport(sim.links.get('radar-1')!, { clock }),
        clock,
        lineRates,
      });
      launcher = new LauncherController({
        transport: createTransport(sim.links.get('launcher-1')!, { clock }),
        clock,
        lineRates,
      });
      const r = radar;
      const l = launcher;
      stops.push(() => r.stop());
      stops.push(() => l.stop());
      radar.on('track', (track) => {
        trackReports++;
        tracks.set(track.trackId, {
          trackId: String(track.trackId),
          iff: track.iffClass,
          quality: 'good',
          eastM: track.eastM,
          northM: track.northM,
          upM: track.upM,
          eastMps: track.eastMps,
          northMps: track.northMps,
          upMps: track.upMps,
          estimateTimeUs: track.measurementHostUs ?? track.receivedAtHostUs,
          threatRank: null,
          engagementId: null,
        });
      });
      radar.on('track-drop', (drop) => tracks.delete(drop.trackId));
      const publishState = (controller: RadarController | LauncherController, id: string, state: string): void => {
        sink?.deviceState({
          deviceId: id,
          kind: id.startsWith('radar') ? 'radar' : 'launcher',
          link: controller.linkState,
          state,
          quality: 'good',
          deviceTimeUs: null,
          receivedAtUs: clock.nowUs(),
          counters: { framesIn: controller.counters().framesIn },
        });
      };
      radar.on('status', (s) => publishState(r, 'radar-1', s.mode));
      launcher.on('status', (s) => publishState(l, 'launcher-1', s.state));
      radar.start();
      launcher.start();
      await waitUntil(() => r.linkState === 'active' && l.linkState === 'active', 15_000, 'both links active');
    }

    if (options.mqtt) {
      const broker = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: null });
      stops.push(() => broker.close());
      const subscriber = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
      stops.push(() => subscriber.endAsync());
      subscriber.on('message', () => mqttMessagesIn++);
      await subscriber.subscribeAsync(`shieldlink/v1/${NODE}/#`, { qos: 1 });
      const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-io-'));
      stops.push(async () => rmSync(dir, { recursive: true, force: true }));
      const source: BridgeSource = {
        birth: () => ({
          softwareVersion: 'bench',
          configHash: 'bench',
          startedAt: new Date(0).toISOString(),
          devices: [],
        }),
        attach: (s) => {
          sink = s;
          return () => (sink = null);
        },
      };
      const bridge = new ShieldlinkBridge({
        nodeId: NODE,
        broker: { url: broker.url },
        spoolFile: join(dir, 'events.spool'),
        keyring: new OperatorKeyring([]),
        executor: { execute: async () => ({ status: 'rejected', reason: 'bench' }) },
        clock,
        wallClock: wallClockMs,
        state: { metricsIntervalMs: 1_000 },
      });
      await bridge.start(source);
      await bridge.whenConnected();
      stops.push(() => bridge.stop());
      let n = 0;
      const producer = setInterval(() => {
        const s = sink;
        if (s === null) return;
        n++;
        engagementEvents++;
        s.engagement({
          engagementId: String(n % 64),
          trackId: String(n % 40),
          launcherId: 'launcher-1',
          transition: 'planned',
          state: 'planned',
          reason: null,
          commandId: null,
          sourceSeq: n,
          hostTimeUs: clock.nowUs(),
        });
        if (n % 20 === 0) {
          // 10 Hz: the track picture (the bridge coalesces), and device states without serial.
          s.tracks({ hostTimeUs: clock.nowUs(), tracks: options.serial ? [...tracks.values()] : madeUpTracks(n) });
          s.metrics({ loop: { ticks: n }, links: {} });
          if (!options.serial) {
            for (const id of ['radar-1', 'launcher-1']) {
              s.deviceState({
                deviceId: id,
                kind: id.startsWith('radar') ? 'radar' : 'launcher',
                link: 'active',
                state: 'search',
                quality: 'simulated',
                deviceTimeUs: null,
                receivedAtUs: clock.nowUs(),
                counters: { n },
              });
            }
          }
        }
      }, ENGAGEMENT_PERIOD_MS);
      stops.push(async () => clearInterval(producer));
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    async stop() {
      const serialFramesIn = (radar?.counters().framesIn ?? 0) + (launcher?.counters().framesIn ?? 0);
      const durationS = Number(process.hrtime.bigint() - startNs) / 1e9;
      await stopAll();
      return { serialFramesIn, trackReports, mqttMessagesIn, engagementEvents, durationS };
    },
  };
}

function madeUpTracks(n: number): TrackView[] {
  return Array.from({ length: 40 }, (_, i) => ({
    trackId: String(i),
    iff: 'hostile',
    quality: 'simulated' as const,
    eastM: 1_000 * i + n,
    northM: 500 * i,
    upM: 3_000,
    eastMps: 10,
    northMps: 0,
    upMps: 0,
    estimateTimeUs: n * 5_000,
    threatRank: null,
    engagementId: null,
  }));
}

async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const start = process.hrtime.bigint();
  while (!predicate()) {
    if (Number(process.hrtime.bigint() - start) / 1e6 > timeoutMs)
      throw new Error(`io load: no ${what} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
