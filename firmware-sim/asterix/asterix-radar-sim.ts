/**
 * A simulated ASTERIX radar: the scenario radar's scanner (same detection, noise and track logic
 * as the serial radar, same named random streams) sending each scan as one UDP-sized datagram —
 * a CAT034 north marker block (the heartbeat) then a CAT048 block of the scan's target reports
 * (a dropped track as its last report with I170 TRE). It has no ICD session: an ASTERIX radar
 * only sends. Where the datagram goes is the caller's `send` (a loopback UDP socket in real time,
 * a delivery on the shared clock in virtual time), attached before `start`.
 *
 * Deterministic: with a VirtualClock the datagrams are a function of the scenario, the seed and
 * the time-of-day mapping only.
 */
import type { ScenarioRadar } from '../../src/config/scenario-schema.js';
import { type AsterixRecordInput, encodeBlock } from '../../src/asterix/index.js';
import type { LocalFrame } from '../../src/geo/index.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import { startPeriodic } from '../periodic-timer.js';
import { Prng } from '../prng.js';
import { RadarScanner } from '../radar/radar-scanner.js';
import type { World } from '../world/world.js';
import { type SimulatedCat048Target, cat034NorthMarker, cat048ReportOf } from './cat048-report.js';

/** Where a simulated ASTERIX radar's datagrams go, and the UTC time of day it stamps them with. */
export interface AsterixRadarSink {
  /** One datagram (CAT034 block, then CAT048 block when the scan saw anything). Never throws. */
  readonly send: (datagram: Uint8Array) => void;
  /** UTC time of day (s) at shared-clock time `nowUs` (the radar is UTC-synchronised). */
  readonly timeOfDayS: (nowUs: number) => number;
}

/** Options of {@link SimulatedAsterixRadar}. */
export interface SimulatedAsterixRadarOptions {
  readonly spec: ScenarioRadar;
  readonly world: World;
  readonly clock: Clock;
  readonly seed: number;
  /** The bench's frame (the world's ENU) and the radar's own (its WGS-84 site). */
  readonly benchFrame: LocalFrame;
  readonly radarFrame: LocalFrame;
  /** SAC/SIC it sends (default 0/0). */
  readonly sac?: number;
  readonly sic?: number;
}

/** CAT048 I161 track numbers are 12 bits. */
const TRACK_NUMBER_MODULUS = 4096;

export class SimulatedAsterixRadar {
  readonly id: string;
  /** Datagrams sent, CAT048 records in them. */
  datagrams = 0;
  reports = 0;
  private readonly scanner: RadarScanner;
  private readonly lastSeen = new Map<number, SimulatedCat048Target>();
  private sink: AsterixRadarSink | undefined;
  private timer: TimerHandle | undefined;

  constructor(private readonly options: SimulatedAsterixRadarOptions) {
    this.id = options.spec.id;
    // The serial radar's stream names: the same scenario sees the same detections and noise.
    this.scanner = new RadarScanner(options.spec, options.world, {
      detection: new Prng(options.seed, `${this.id}/detection`),
      noise: new Prng(options.seed, `${this.id}/noise`),
      falseAlarms: new Prng(options.seed, `${this.id}/false-alarms`),
    });
  }

  /** Where the datagrams go; call before `start`. */
  attach(sink: AsterixRadarSink): void {
    this.sink = sink;
  }

  /** Scan every scanPeriodMs from now + one period (the antenna's first revolution). */
  start(): void {
    if (this.sink === undefined) throw new Error(`ASTERIX radar ${this.id}: no sink attached`);
    const periodUs = this.options.spec.scanPeriodMs * 1000;
    this.timer ??= startPeriodic(this.options.clock, this.options.clock.nowUs() + periodUs, periodUs, () =>
      this.scan(),
    );
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private scan(): void {
    const sink = this.sink!;
    const nowUs = this.options.clock.nowUs();
    const tod = sink.timeOfDayS(nowUs);
    const source = { sac: this.options.sac ?? 0, sic: this.options.sic ?? 0 };
    const records: AsterixRecordInput[] = [];
    for (const out of this.scanner.scan(nowUs, nowUs)) {
      const trackNumber = out.trackId % TRACK_NUMBER_MODULUS;
      if (out.type === 'TRACK_DROP') {
        const last = this.lastSeen.get(out.trackId);
        this.lastSeen.delete(out.trackId);
        if (last !== undefined) records.push(this.report({ ...last, ended: true }, source, tod));
        continue;
      }
      const target: SimulatedCat048Target = {
        trackNumber,
        eastM: out.eastM,
        northM: out.northM,
        upM: out.upM,
        eastMps: out.eastMps,
        northMps: out.northMps,
        iff: out.iffClass,
      };
      this.lastSeen.set(out.trackId, target);
      records.push(this.report(target, source, tod));
    }
    const marker = encodeBlock(34, [cat034NorthMarker(source, tod, this.options.spec.scanPeriodMs / 1000)]);
    const datagram = records.length === 0 ? marker : concat(marker, encodeBlock(48, records));
    this.datagrams++;
    this.reports += records.length;
    sink.send(datagram);
  }

  private report(target: SimulatedCat048Target, source: { sac: number; sic: number }, tod: number): AsterixRecordInput {
    return cat048ReportOf(target, this.options.benchFrame, this.options.radarFrame, source, tod);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
