/**
 * CAT048 target reports as track measurements in the bench's ENU frame.
 *
 * - Position: I040 slant range and azimuth from the radar's site, the target's height from I110
 *   (3D radar height, measured: preferred) or else I090 (flight level × 100 ft, taken as geometric
 *   height: the standard-atmosphere approximation; only when validated, V = 0, and not garbled,
 *   G = 0), elevation solved on the WGS-84 ellipsoid (three fixed-point steps), then radar-site
 *   ENU → bench ENU through ECEF. A report without a usable height is not a 3D measurement and is
 *   refused (`no-height`).
 * - Velocity: I200 ground speed and heading in the radar's plane, rotated into the bench's
 *   axes; vertical speed 0 here (CAT048 carries none: the source derives it from successive plots).
 * - Time: I140 time of day (UTC) on the day nearest the receipt.
 * - Track: I161 track number; I170 TRE (end of track) is a drop; I170 GHO (ghost track) is
 *   refused (`ghost`); I170 CNF tentative tracks have quality 50, confirmed 100; I020 SIM
 *   (simulated target) is refused unless accepted; I020 TST (test target) and RAB (a fixed field
 *   monitor's reply) are refused (`test-target`): neither is an aircraft to track.
 * - Identification: I020 FOE/FRI (Mode 4): 1 friendly target → friendly; 3 no reply → hostile
 *   when the radar's `mode4NoReply` says so, else unknown; anything else unknown.
 * - Covariance: the radar's declared range and azimuth accuracy at this range (1 sigma), and
 *   its declared velocity accuracy.
 */
import type { AsterixFields, AsterixRecord } from '../asterix/index.js';
import { type EnuVector, LocalFrame } from '../geo/index.js';

const M_PER_NM = 1852;
const M_PER_FT = 0.3048;
const RAD = Math.PI / 180;

/** What the conversion needs to know about one ASTERIX radar. */
export interface Cat048RadarContext {
  /** The radar's own frame (its site). */
  readonly radarFrame: LocalFrame;
  /** The bench's frame (the node's site). */
  readonly benchFrame: LocalFrame;
  /** Only reports with this SAC/SIC are taken (others are another radar's); undefined = any. */
  readonly sac?: number;
  readonly sic?: number;
  readonly rangeSigmaM: number;
  readonly azimuthSigmaDeg: number;
  readonly velocitySigmaMps: number;
  /** Take reports with I020 SIM set (simulated targets): only on a simulated bench. */
  readonly acceptSimulated: boolean;
  /** UTC time of day (s) at a host time (µs): maps I140 to host time. */
  readonly timeOfDayS: (hostUs: number) => number;
  /** What a target that does not answer Mode 4 (I020 FOE/FRI 3) is taken for; default unknown. */
  readonly mode4NoReply?: 'unknown' | 'hostile';
}

export type Cat048Result =
  | {
      readonly kind: 'measurement';
      readonly trackNumber: number;
      readonly measurementHostUs: number;
      readonly position: EnuVector;
      readonly velocity: EnuVector;
      readonly positionSigmaM: number;
      readonly velocitySigmaMps: number;
      readonly quality: number;
      readonly iff: 'unknown' | 'friendly' | 'hostile';
    }
  | { readonly kind: 'drop'; readonly trackNumber: number; readonly hostUs: number }
  | { readonly kind: 'refused'; readonly reason: Cat048RefusalReason };

/** Why a CAT048 report gives no measurement (see the file's header). */
export type Cat048RefusalReason = 'other-source' | 'incomplete' | 'no-height' | 'simulated' | 'test-target' | 'ghost';

function fields(record: AsterixRecord, id: string): AsterixFields | undefined {
  const value = record.items.get(id);
  return value !== undefined && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

/** Host time of a UTC time of day, on the day nearest `receivedAtHostUs`. */
export function hostUsOfTimeOfDay(
  todS: number,
  receivedAtHostUs: number,
  timeOfDayS: (hostUs: number) => number,
): number {
  let deltaS = timeOfDayS(receivedAtHostUs) - todS;
  deltaS = ((((deltaS + 43_200) % 86_400) + 86_400) % 86_400) - 43_200;
  return receivedAtHostUs - deltaS * 1e6;
}

/** Radar-site ENU of a target at slant range, azimuth and geodetic height. */
export function polarToEnu(frame: LocalFrame, slantRangeM: number, azimuthDeg: number, heightM: number): EnuVector {
  const az = azimuthDeg * RAD;
  let elevation = Math.asin(Math.max(-1, Math.min(1, (heightM - frame.origin.heightM) / Math.max(slantRangeM, 1))));
  let enu: EnuVector = { eastM: 0, northM: 0, upM: 0 };
  for (let step = 0; step < 4; step++) {
    const horizontal = slantRangeM * Math.cos(elevation);
    enu = {
      eastM: horizontal * Math.sin(az),
      northM: horizontal * Math.cos(az),
      upM: slantRangeM * Math.sin(elevation),
    };
    const error = heightM - frame.geodeticOf(enu).heightM;
    elevation += error / Math.max(slantRangeM * Math.cos(elevation), 1);
  }
  return enu;
}

/** Convert one CAT048 record; never throws. */
export function cat048Measurement(
  record: AsterixRecord,
  receivedAtHostUs: number,
  ctx: Cat048RadarContext,
): Cat048Result {
  const source = fields(record, '010');
  if (
    !source ||
    (ctx.sac !== undefined && source['SAC'] !== ctx.sac) ||
    (ctx.sic !== undefined && source['SIC'] !== ctx.sic)
  ) {
    return { kind: 'refused', reason: 'other-source' };
  }
  const descriptor = fields(record, '020');
  if (descriptor?.['SIM'] === 1 && !ctx.acceptSimulated) return { kind: 'refused', reason: 'simulated' };
  if (descriptor?.['TST'] === 1 || descriptor?.['RAB'] === 1) return { kind: 'refused', reason: 'test-target' };
  const tod = fields(record, '140')?.['ToD'];
  const track = fields(record, '161')?.['TRN'];
  if (typeof tod !== 'number' || typeof track !== 'number') return { kind: 'refused', reason: 'incomplete' };
  const hostUs = hostUsOfTimeOfDay(tod, receivedAtHostUs, ctx.timeOfDayS);
  const status = fields(record, '170');
  if (status?.['TRE'] === 1) return { kind: 'drop', trackNumber: track, hostUs };
  if (status?.['GHO'] === 1) return { kind: 'refused', reason: 'ghost' };
  const polar = fields(record, '040');
  if (!polar || typeof polar['RHO'] !== 'number' || typeof polar['THETA'] !== 'number')
    return { kind: 'refused', reason: 'incomplete' };
  const height3dFt = fields(record, '110')?.['3DH'];
  const flightLevel = fields(record, '090');
  let heightM: number;
  if (typeof height3dFt === 'number') heightM = height3dFt * M_PER_FT;
  else if (flightLevel && typeof flightLevel['FL'] === 'number' && flightLevel['V'] === 0 && flightLevel['G'] === 0)
    heightM = flightLevel['FL'] * 100 * M_PER_FT;
  else return { kind: 'refused', reason: 'no-height' };
  const rangeM = polar['RHO'] * M_PER_NM;
  const radarEnu = polarToEnu(ctx.radarFrame, rangeM, polar['THETA'], heightM);
  const velocityPolar = fields(record, '200');
  let radarVelocity: EnuVector = { eastM: 0, northM: 0, upM: 0 };
  if (velocityPolar && typeof velocityPolar['GSP'] === 'number' && typeof velocityPolar['HDG'] === 'number') {
    const speed = velocityPolar['GSP'] * M_PER_NM;
    const heading = velocityPolar['HDG'] * RAD;
    radarVelocity = { eastM: speed * Math.sin(heading), northM: speed * Math.cos(heading), upM: 0 };
  }
  return {
    kind: 'measurement',
    trackNumber: track,
    measurementHostUs: hostUs,
    position: ctx.benchFrame.enuFromFrame(ctx.radarFrame, radarEnu),
    velocity: ctx.benchFrame.vectorFromFrame(ctx.radarFrame, radarVelocity),
    positionSigmaM: Math.hypot(ctx.rangeSigmaM, rangeM * ctx.azimuthSigmaDeg * RAD),
    velocitySigmaMps: ctx.velocitySigmaMps,
    quality: status?.['CNF'] === 1 ? 50 : 100,
    iff:
      descriptor?.['FOEFRI'] === 1
        ? 'friendly'
        : descriptor?.['FOEFRI'] === 3
          ? (ctx.mode4NoReply ?? 'unknown')
          : 'unknown',
  };
}
