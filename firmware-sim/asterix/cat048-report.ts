/**
 * The simulated ASTERIX radar's side: a target (bench ENU, metres and m/s) as a CAT048 target
 * report from a radar at its own site — I010, I140, I020 (SIM set: simulated data; FOE/FRI
 * the Mode 4 answer), I040 slant
 * range and azimuth, I110 3D height, I090 flight level, I161, I200, I170 — and CAT034 north
 * markers as its service messages. Built independently of the host's conversion (only the
 * geodetic module and the ASTERIX tables are shared).
 */
import type { AsterixRecordInput } from '../../src/asterix/index.js';
import type { LocalFrame } from '../../src/geo/index.js';

const M_PER_NM = 1852;
const FT_PER_M = 1 / 0.3048;
const DEG = 180 / Math.PI;

export interface SimulatedCat048Target {
  readonly trackNumber: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  /** Last report of the track (I170 TRE). */
  readonly ended?: boolean;
  /**
   * Mode 4 answer, as I020 FOE/FRI: friendly → 1 (friendly target), hostile → 3 (no reply),
   * unknown → 2 (unknown target). Absent: I020 without its extensions (no Mode 4 interrogation).
   */
  readonly iff?: 'friendly' | 'hostile' | 'unknown';
}

const FOE_FRI = { friendly: 1, unknown: 2, hostile: 3 } as const;

function azimuth(east: number, north: number): number {
  const deg = Math.atan2(east, north) * DEG;
  return deg < 0 ? deg + 360 : deg;
}

/** One CAT048 record of `target` as seen from `radarFrame`; `benchFrame` is the target's frame. */
export function cat048ReportOf(
  target: SimulatedCat048Target,
  benchFrame: LocalFrame,
  radarFrame: LocalFrame,
  source: { sac: number; sic: number },
  timeOfDayS: number,
): AsterixRecordInput {
  const local = radarFrame.enuFromFrame(benchFrame, { eastM: target.eastM, northM: target.northM, upM: target.upM });
  const velocity = radarFrame.vectorFromFrame(benchFrame, { eastM: target.eastMps, northM: target.northMps, upM: 0 });
  const heightM = benchFrame.geodeticOf({ eastM: target.eastM, northM: target.northM, upM: target.upM }).heightM;
  const slantM = Math.hypot(local.eastM, local.northM, local.upM);
  const flightLevel = Math.max(0, Math.min(4095.75, (heightM * FT_PER_M) / 100));
  return {
    category: 48,
    items: {
      '010': { SAC: source.sac, SIC: source.sic },
      '140': { ToD: Math.round((((timeOfDayS % 86400) + 86400) % 86400) * 128) / 128 },
      '020':
        target.iff === undefined
          ? { TYP: 5, SIM: 1, RDP: 0, SPI: 0, RAB: 0 }
          : {
              TYP: 5,
              SIM: 1,
              RDP: 0,
              SPI: 0,
              RAB: 0,
              TST: 0,
              ERR: 0,
              XPP: 0,
              ME: 0,
              MI: 0,
              FOEFRI: FOE_FRI[target.iff],
            },
      '040': { RHO: Math.min(slantM / M_PER_NM, 255.99), THETA: azimuth(local.eastM, local.northM) % 360 },
      '090': { V: 0, G: 0, FL: flightLevel },
      '161': { TRN: target.trackNumber % 4096 },
      '200': {
        GSP: Math.min(Math.hypot(velocity.eastM, velocity.northM) / M_PER_NM, 3.99),
        HDG: azimuth(velocity.eastM, velocity.northM) % 360,
      },
      '170': target.ended
        ? { CNF: 0, RAD: 0, DOU: 0, MAH: 0, CDM: 0, TRE: 1 }
        : { CNF: 0, RAD: 0, DOU: 0, MAH: 0, CDM: 0 },
      '110': { '3DH': Math.max(-204800, Math.min(204775, Math.round((heightM * FT_PER_M) / 25) * 25)) },
    },
  };
}

/** A CAT034 north marker (the radar's heartbeat, once per antenna revolution). */
export function cat034NorthMarker(
  source: { sac: number; sic: number },
  timeOfDayS: number,
  rotationPeriodS: number,
): AsterixRecordInput {
  return {
    category: 34,
    items: {
      '010': { SAC: source.sac, SIC: source.sic },
      '000': { MessageType: 1 },
      '030': { ToD: Math.round((((timeOfDayS % 86400) + 86400) % 86400) * 128) / 128 },
      '041': { ARS: rotationPeriodS },
    },
  };
}
