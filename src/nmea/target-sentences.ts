/**
 * ARPA target sentences (IEC 61162-1): TTM, tracked target message (range and bearing from own
 * ship), and TLL, target latitude and longitude. Values are converted to SI units: distances in
 * metres, speeds in m/s, angles in degrees; units and the true/relative reference are honoured
 * as sent, never assumed.
 */
import type { NmeaSentence } from './nmea-sentence.js';

/** L = lost, Q = query (acquisition in progress), T = tracking. */
export type TargetStatus = 'lost' | 'query' | 'tracking';
/** T = true (from north), R = relative (from own ship's heading). */
export type AngleReference = 'true' | 'relative';

export interface TtmReport {
  readonly targetNumber: number;
  readonly distanceM: number;
  readonly bearingDeg: number;
  readonly bearingReference: AngleReference;
  /** Absent when the field is null (some radars send range and bearing only). */
  readonly speedMps?: number;
  readonly courseDeg?: number;
  readonly courseReference?: AngleReference;
  readonly cpaDistanceM?: number;
  /** Minutes; negative = increasing. */
  readonly tcpaMin?: number;
  readonly name: string;
  readonly status: TargetStatus;
  readonly referenceTarget: boolean;
  /** UTC seconds since midnight, when sent. */
  readonly utcS?: number;
  readonly acquisition?: 'automatic' | 'manual' | 'reported';
}

export interface TllReport {
  readonly targetNumber: number;
  readonly latDeg: number;
  readonly lonDeg: number;
  readonly name: string;
  readonly utcS?: number;
  readonly status: TargetStatus;
  readonly referenceTarget: boolean;
}

/** A field that does not hold what its position requires. */
export class NmeaFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NmeaFieldError';
  }
}

const NM_M = 1852;
const STATUTE_MILE_M = 1609.344;
const KM_M = 1000;
/** K/N/S distance unit → metres; the matching speed unit (km/h, knots, mph) → m/s. */
const UNITS: Readonly<Record<string, { distanceM: number; speedMps: number }>> = {
  K: { distanceM: KM_M, speedMps: KM_M / 3600 },
  N: { distanceM: NM_M, speedMps: NM_M / 3600 },
  S: { distanceM: STATUTE_MILE_M, speedMps: STATUTE_MILE_M / 3600 },
};

function number(field: string | undefined, what: string): number {
  if (field === undefined || field === '' || !/^-?\d+(\.\d*)?$|^-?\.\d+$/.test(field))
    throw new NmeaFieldError(`${what}: "${field ?? ''}" is not a number`);
  return Number(field);
}
function optionalNumber(field: string | undefined, what: string): number | undefined {
  return field === undefined || field === '' ? undefined : number(field, what);
}
function reference(field: string | undefined, what: string): AngleReference {
  if (field === 'T') return 'true';
  if (field === 'R') return 'relative';
  throw new NmeaFieldError(`${what}: "${field ?? ''}" is neither T nor R`);
}
function status(field: string | undefined): TargetStatus {
  if (field === 'L') return 'lost';
  if (field === 'Q') return 'query';
  if (field === 'T') return 'tracking';
  throw new NmeaFieldError(`target status: "${field ?? ''}" is not L, Q or T`);
}
function utc(field: string | undefined): number | undefined {
  if (field === undefined || field === '') return undefined;
  const m = /^(\d{2})(\d{2})(\d{2}(?:\.\d+)?)$/.exec(field);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3]) >= 61)
    throw new NmeaFieldError(`UTC: "${field}" is not hhmmss.ss`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
function angle(value: number, what: string): number {
  if (value < 0 || value > 360) throw new NmeaFieldError(`${what}: ${value} is outside 0-360 degrees`);
  return value;
}

/** Decode the fields of a TTM sentence. Throws NmeaFieldError naming the bad field. */
export function parseTtm(sentence: NmeaSentence): TtmReport {
  const f = sentence.fields;
  if (f.length < 13) throw new NmeaFieldError(`TTM: ${f.length} fields, at least 13`);
  const unitField = f[9] === '' ? 'N' : f[9]!;
  const unit = UNITS[unitField];
  if (!unit) throw new NmeaFieldError(`TTM speed/distance units: "${f[9]}" is not K, N or S`);
  const targetNumber = number(f[0], 'TTM target number');
  const distance = number(f[1], 'TTM target distance');
  if (distance < 0) throw new NmeaFieldError(`TTM target distance: ${distance} is negative`);
  const speed = optionalNumber(f[4], 'TTM target speed');
  const course = optionalNumber(f[5], 'TTM target course');
  const cpa = optionalNumber(f[7], 'TTM CPA distance');
  const tcpa = optionalNumber(f[8], 'TTM time to CPA');
  const utcS = utc(f[13]);
  const acquisitionCode = f[14];
  const acquisition =
    acquisitionCode === 'A'
      ? 'automatic'
      : acquisitionCode === 'M'
        ? 'manual'
        : acquisitionCode === 'R'
          ? 'reported'
          : undefined;
  return {
    targetNumber,
    distanceM: distance * unit.distanceM,
    bearingDeg: angle(number(f[2], 'TTM bearing'), 'TTM bearing'),
    bearingReference: reference(f[3], 'TTM bearing reference'),
    ...(speed === undefined ? {} : { speedMps: speed * unit.speedMps }),
    ...(course === undefined
      ? {}
      : {
          courseDeg: angle(course, 'TTM course'),
          courseReference: reference(f[6] === '' ? 'T' : f[6], 'TTM course reference'),
        }),
    ...(cpa === undefined ? {} : { cpaDistanceM: cpa * unit.distanceM }),
    ...(tcpa === undefined ? {} : { tcpaMin: tcpa }),
    name: f[10] ?? '',
    status: status(f[11]),
    referenceTarget: f[12] === 'R',
    ...(utcS === undefined ? {} : { utcS }),
    ...(acquisition === undefined ? {} : { acquisition }),
  };
}

function latLon(value: string | undefined, hemisphere: string | undefined, degreeDigits: 2 | 3, what: string): number {
  if (value === undefined || !new RegExp(`^\\d{${degreeDigits}}\\d{2}(\\.\\d+)?$`).test(value))
    throw new NmeaFieldError(`${what}: "${value ?? ''}" is not ${degreeDigits === 2 ? 'ddmm.mm' : 'dddmm.mm'}`);
  const degrees = Number(value.slice(0, degreeDigits)) + Number(value.slice(degreeDigits)) / 60;
  const positive = degreeDigits === 2 ? 'N' : 'E';
  const negative = degreeDigits === 2 ? 'S' : 'W';
  if (hemisphere !== positive && hemisphere !== negative)
    throw new NmeaFieldError(`${what}: hemisphere "${hemisphere ?? ''}" is not ${positive} or ${negative}`);
  const signed = hemisphere === negative ? -degrees : degrees;
  if (Math.abs(signed) > (degreeDigits === 2 ? 90 : 180))
    throw new NmeaFieldError(`${what}: ${signed} is out of range`);
  return signed;
}

/** Decode the fields of a TLL sentence. Throws NmeaFieldError naming the bad field. */
export function parseTll(sentence: NmeaSentence): TllReport {
  const f = sentence.fields;
  if (f.length < 8) throw new NmeaFieldError(`TLL: ${f.length} fields, at least 8`);
  const utcS = utc(f[6]);
  return {
    targetNumber: number(f[0], 'TLL target number'),
    latDeg: latLon(f[1], f[2], 2, 'TLL latitude'),
    lonDeg: latLon(f[3], f[4], 3, 'TLL longitude'),
    name: f[5] ?? '',
    ...(utcS === undefined ? {} : { utcS }),
    status: status(f[7]),
    referenceTarget: f[8] === 'R',
  };
}
