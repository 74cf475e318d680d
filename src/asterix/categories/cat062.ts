/**
 * CAT062 — SDPS Track Messages, EUROCONTROL-SPEC-0149-9, edition 1.18 (standard UAP). The
 * items shieldlink writes (010, 015, 040, 070, 080, 100, 105, 185, 500) are fully structured;
 * the aircraft-derived, flight-plan and age items are given by their subfield lengths so a
 * record carrying them is still read to its end.
 */
import {
  type CategorySpec,
  type CompoundSubfield,
  EXPLICIT,
  compound,
  extended,
  fixed,
  i,
  icao6,
  item,
  raw,
  repetitive,
  spare,
  sub,
  u,
} from '../item-spec.js';

const HALF_M = 0.5;
const DEG_25 = 180 / 2 ** 25;

/** Compound subfields given only by name and length in octets. */
function rawSubs(...entries: [string, number][]): CompoundSubfield[] {
  return entries.map(([name, bytes]) => sub(name, raw(bytes)));
}

/** Age subfields (I062/290, I062/295): one octet each (ADS two), LSB 1/4 s. */
function ageSubs(...entries: [string, number][]): CompoundSubfield[] {
  return entries.map(([name, bytes]) => sub(name, fixed(bytes, u(name, bytes * 8, 1 / 4, 's'))));
}

export const CAT062: CategorySpec = {
  category: 62,
  edition: '1.18',
  title: 'SDPS Track Messages',
  uap: [
    item('010', 'Data Source Identifier', fixed(2, u('SAC', 8), u('SIC', 8))),
    null,
    item('015', 'Service Identification', fixed(1, u('SI', 8))),
    item('070', 'Time Of Track Information', fixed(3, u('ToT', 24, 1 / 128, 's'))),
    item(
      '105',
      'Calculated Track Position (WGS-84)',
      fixed(8, i('LAT', 32, DEG_25, 'deg'), i('LON', 32, DEG_25, 'deg')),
    ),
    item('100', 'Calculated Track Position (Cartesian)', fixed(6, i('X', 24, HALF_M, 'm'), i('Y', 24, HALF_M, 'm'))),
    item('185', 'Calculated Track Velocity (Cartesian)', fixed(4, i('VX', 16, 0.25, 'm/s'), i('VY', 16, 0.25, 'm/s'))),
    item('210', 'Calculated Acceleration (Cartesian)', fixed(2, i('AX', 8, 0.25, 'm/s2'), i('AY', 8, 0.25, 'm/s2'))),
    item('060', 'Track Mode 3/A Code', fixed(2, u('V', 1), u('G', 1), u('CH', 1), spare(1), u('MODE3A', 12))),
    item('245', 'Target Identification', fixed(7, u('STI', 2), spare(6), icao6('CHR', 48))),
    item(
      '380',
      'Aircraft Derived Data',
      compound(
        sub('ADR', fixed(3, u('ADR', 24))),
        sub('ID', fixed(6, icao6('ID', 48))),
        ...rawSubs(['MHG', 2], ['IAS', 2], ['TAS', 2], ['SAL', 2], ['FSS', 2], ['TIS', 1]),
        sub('TID', repetitive(raw(15))),
        sub(
          'COM',
          fixed(
            2,
            u('COM', 3),
            u('STAT', 3),
            spare(2),
            u('SSC', 1),
            u('ARC', 1),
            u('AIC', 1),
            u('B1A', 1),
            u('B1B', 4),
          ),
        ),
        ...rawSubs(['SAB', 2], ['ACS', 7], ['BVR', 2], ['GVR', 2], ['RAN', 2], ['TAR', 2], ['TAN', 2]),
        ...rawSubs(['GSP', 2], ['VUN', 1], ['MET', 8], ['EMC', 1], ['POS', 6], ['GAL', 2], ['PUN', 1]),
        sub('MB', repetitive(raw(8))),
        ...rawSubs(['IAR', 2], ['MAC', 2], ['BPS', 2]),
      ),
    ),
    item('040', 'Track Number', fixed(2, u('TRN', 16))),
    item(
      '080',
      'Track Status',
      extended(
        [1, 1],
        [u('MON', 1), u('SPI', 1), u('MRH', 1), u('SRC', 3), u('CNF', 1)],
        [u('SIM', 1), u('TSE', 1), u('TSB', 1), u('FPC', 1), u('AFF', 1), u('STP', 1), u('KOS', 1)],
        [u('AMA', 1), u('MD4', 2), u('ME', 1), u('MI', 1), u('MD5', 2)],
        [u('CST', 1), u('PSR', 1), u('SSR', 1), u('MDS', 1), u('ADS', 1), u('SUC', 1), u('AAC', 1)],
        [u('SDS', 2), u('EMS', 3), u('PFT', 1), u('FPLT', 1)],
        [u('DUPT', 1), u('DUPF', 1), u('DUPM', 1), u('SFC', 1), u('IDD', 1), u('IEC', 1), u('MLAT', 1)],
      ),
    ),
    item(
      '290',
      'System Track Update Ages',
      compound(
        ...ageSubs(['TRK', 1], ['PSR', 1], ['SSR', 1], ['MDS', 1], ['ADS', 2], ['ES', 1], ['VDL', 1]),
        ...ageSubs(['UAT', 1], ['LOP', 1], ['MLT', 1]),
      ),
    ),
    item('200', 'Mode of Movement', fixed(1, u('TRANS', 2), u('LONG', 2), u('VERT', 2), u('ADF', 1), spare(1))),
    item(
      '295',
      'Track Data Ages',
      compound(
        ...ageSubs(['MFL', 1], ['MD1', 1], ['MD2', 1], ['MDA', 1], ['MD4', 1], ['MD5', 1], ['MHG', 1]),
        ...ageSubs(['IAS', 1], ['TAS', 1], ['SAL', 1], ['FSS', 1], ['TID', 1], ['COM', 1], ['SAB', 1]),
        ...ageSubs(['ACS', 1], ['BVR', 1], ['GVR', 1], ['RAN', 1], ['TAR', 1], ['TAN', 1], ['GSP', 1]),
        ...ageSubs(['VUN', 1], ['MET', 1], ['EMC', 1], ['POS', 1], ['GAL', 1], ['PUN', 1], ['MB', 1]),
        ...ageSubs(['IAR', 1], ['MAC', 1], ['BPS', 1]),
      ),
    ),
    item('136', 'Measured Flight Level', fixed(2, i('MFL', 16, 1 / 4, 'FL'))),
    item('130', 'Calculated Track Geometric Altitude', fixed(2, i('ALT', 16, 6.25, 'ft'))),
    item('135', 'Calculated Track Barometric Altitude', fixed(2, u('QNH', 1), i('CTB', 15, 1 / 4, 'FL'))),
    item('220', 'Calculated Rate of Climb/Descent', fixed(2, i('ROCD', 16, 6.25, 'ft/min'))),
    item(
      '390',
      'Flight Plan Related Data',
      compound(
        ...rawSubs(['TAG', 2], ['CSN', 7], ['IFI', 4], ['FCT', 1], ['TAC', 4], ['WTC', 1], ['DEP', 4]),
        ...rawSubs(['DST', 4], ['RDS', 3], ['CFL', 2], ['CTL', 2]),
        sub('TOD', repetitive(raw(4))),
        ...rawSubs(['AST', 6], ['STS', 1], ['STD', 7], ['STA', 7], ['PEM', 2], ['PEC', 7]),
      ),
    ),
    item(
      '270',
      'Target Size & Orientation',
      extended([1, 1], [u('LENGTH', 7, 1, 'm')], [u('ORIENTATION', 7, 360 / 128, 'deg')], [u('WIDTH', 7, 1, 'm')]),
    ),
    item('300', 'Vehicle Fleet Identification', fixed(1, u('VFI', 8))),
    item(
      '110',
      'Mode 5 Data reports & Extended Mode 1 Code',
      compound(...rawSubs(['SUM', 1], ['PMN', 4], ['POS', 6], ['GA', 2], ['EM1', 2], ['TOS', 1], ['XP', 1])),
    ),
    item('120', 'Track Mode 2 Code', fixed(2, spare(4), u('MODE2', 12))),
    item('510', 'Composed Track Number', extended([3, 3], [u('SID', 8), u('STN', 15)], [u('SID', 8), u('STN', 15)])),
    item(
      '500',
      'Estimated Accuracies',
      compound(
        sub('APC', fixed(4, u('X', 16, HALF_M, 'm'), u('Y', 16, HALF_M, 'm'))),
        sub('COV', fixed(2, i('COV', 16, HALF_M, 'm'))),
        sub('APW', fixed(4, u('LAT', 16, DEG_25, 'deg'), u('LON', 16, DEG_25, 'deg'))),
        sub('AGA', fixed(1, u('AGA', 8, 6.25, 'ft'))),
        sub('ABA', fixed(1, u('ABA', 8, 1 / 4, 'FL'))),
        sub('ATV', fixed(2, u('X', 8, 0.25, 'm/s'), u('Y', 8, 0.25, 'm/s'))),
        sub('AA', fixed(2, u('X', 8, 0.25, 'm/s2'), u('Y', 8, 0.25, 'm/s2'))),
        sub('ARC', fixed(1, u('ARC', 8, 6.25, 'ft/min'))),
      ),
    ),
    item(
      '340',
      'Measured Information',
      compound(
        sub('SID', fixed(2, u('SAC', 8), u('SIC', 8))),
        sub('POS', fixed(4, u('RHO', 16, 1 / 256, 'NM'), u('THETA', 16, 360 / 65536, 'deg'))),
        sub('HEI', fixed(2, i('HEIGHT', 16, 25, 'ft'))),
        sub('MDC', fixed(2, u('V', 1), u('G', 1), i('LMC', 14, 1 / 4, 'FL'))),
        sub('MDA', fixed(2, u('V', 1), u('G', 1), u('L', 1), spare(1), u('MODE3A', 12))),
        sub('TYP', fixed(1, u('TYP', 3), u('SIM', 1), u('RAB', 1), u('TST', 1), spare(2))),
      ),
    ),
    null,
    null,
    null,
    null,
    null,
    item('RE', 'Reserved Expansion Field', EXPLICIT),
    item('SP', 'Special Purpose Field', EXPLICIT),
  ],
};
