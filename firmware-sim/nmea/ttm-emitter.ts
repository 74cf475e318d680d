/**
 * A simulated ARPA radar: TTM sentences (IEC 61162-1) for the targets it sees, written as
 * CR LF-terminated lines on a transport (a PTY at 4800/38400 baud on a bench, any byte pipe in
 * tests) once per antenna revolution. Range and bearing from the radar, bearing true or relative
 * to a heading, speed and course in the chosen units, target status as given.
 */
import { nmeaChecksum } from '../../src/nmea/index.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import type { Transport } from '../../src/transport/index.js';
import { startPeriodic } from '../periodic-timer.js';

/** One target as the simulated radar reports it (its own ENU, metres and m/s). */
export interface ArpaTargetTruth {
  readonly targetNumber: number;
  readonly eastM: number;
  readonly northM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly status: 'lost' | 'query' | 'tracking';
  readonly name?: string;
}

/** How the radar writes. */
export interface TtmFormat {
  /** Talker id; default RA. */
  readonly talker?: string;
  /** K (km, km/h), N (NM, knots) or S (statute miles, mph); default N. */
  readonly units?: 'K' | 'N' | 'S';
  /** Send bearings and courses relative to `headingDeg`; default false (true bearings). */
  readonly relative?: boolean;
  readonly headingDeg?: number;
}

const UNIT_M = { K: 1000, N: 1852, S: 1609.344 } as const;
const DEG = 180 / Math.PI;

function angleDeg(east: number, north: number, relativeTo: number): number {
  const deg = (Math.atan2(east, north) * DEG - relativeTo + 720) % 360;
  return deg;
}

function utc(timeS: number): string {
  const day = ((timeS % 86400) + 86400) % 86400;
  const h = Math.floor(day / 3600);
  const m = Math.floor((day % 3600) / 60);
  const s = day - h * 3600 - m * 60;
  return `${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}${s.toFixed(2).padStart(5, '0')}`;
}

/** One TTM sentence with checksum (no CR LF), target relative to a radar at the ENU origin. */
export function ttmSentence(target: ArpaTargetTruth, format: TtmFormat = {}, utcS?: number): string {
  const units = format.units ?? 'N';
  const unitM = UNIT_M[units];
  const heading = format.relative ? (format.headingDeg ?? 0) : 0;
  const ref = format.relative ? 'R' : 'T';
  const distance = Math.hypot(target.eastM, target.northM) / unitM;
  const speed = (Math.hypot(target.eastMps, target.northMps) * 3600) / unitM;
  const fields = [
    String(target.targetNumber).padStart(2, '0'),
    distance.toFixed(3),
    angleDeg(target.eastM, target.northM, heading).toFixed(1),
    ref,
    speed.toFixed(2),
    angleDeg(target.eastMps, target.northMps, heading).toFixed(1),
    ref,
    '',
    '',
    units,
    target.name ?? '',
    target.status === 'lost' ? 'L' : target.status === 'query' ? 'Q' : 'T',
    '',
    utcS === undefined ? '' : utc(utcS),
    'A',
  ];
  const body = `${format.talker ?? 'RA'}TTM,${fields.join(',')}`;
  return `$${body}*${nmeaChecksum(body).toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Writes every target's TTM once per `periodUs` on `transport` (opened by the caller). */
export class TtmEmitter {
  private timer: TimerHandle | undefined;
  /** Sentences written. */
  sentences = 0;

  constructor(
    private readonly transport: Transport,
    private readonly clock: Clock,
    private readonly periodUs: number,
    private readonly targets: () => readonly ArpaTargetTruth[],
    private readonly format: TtmFormat = {},
  ) {}

  start(): void {
    this.timer ??= startPeriodic(this.clock, this.clock.nowUs(), this.periodUs, () => {
      const lines = this.targets().map((target) => ttmSentence(target, this.format, this.clock.nowUs() / 1e6) + '\r\n');
      if (lines.length === 0) return;
      this.sentences += lines.length;
      this.transport.write(Buffer.from(lines.join(''), 'latin1')).catch(() => undefined);
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
