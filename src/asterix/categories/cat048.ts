/**
 * CAT048 — Monoradar Target Reports, EUROCONTROL-SPEC-0149-4, edition 1.27 (standard UAP).
 * Field names follow the specification's subfield mnemonics; values are in its units (NM,
 * degrees, seconds since midnight UTC, flight levels, NM/s).
 */
import {
  type CategorySpec,
  EXPLICIT,
  compound,
  extended,
  fixed,
  hex,
  i,
  icao6,
  item,

  repetitive,
  repetitiveFx,
  spare,
  sub,
  u,
} from '../item-spec.js';

const NM_256 = 1 / 256;
const DEG_16 = 360 / 65536;

export const CAT048: CategorySpec = {
  category: 48,
  edition: '1.27',
  title: 'Monoradar Target Reports',
  uap: [
    item('010', 'Data Source Identifier', fixed(2, u('SAC', 8), u('SIC', 8))),
    item('140', 'Time of Day', fixed(3, u('ToD', 24, 1 / 128, 's'))),
    item(
      '020',
      'Target Report Descriptor',
      extended(
        [1, 1],
        [u('TYP', 3), u('SIM', 1), u('RDP', 1), u('SPI', 1), u('RAB', 1)],
        [u('TST', 1), u('ERR', 1), u('XPP', 1), u('ME', 1), u('MI', 1), u('FOEFRI', 2)],
        [u('ADSBEP', 1), u('ADSBVAL', 1), u('SCNEP', 1), u('SCNVAL', 1), u('PAIEP', 1), u('PAIVAL', 1), spare(1)],
      ),
    ),
    item('040', 'Measured Position in Polar Co-ordinates', fixed(4, u('RHO', 16, NM_256, 'NM'), u('THETA', 16, DEG_16, 'deg'))),
    item('070', 'Mode-3/A Code in Octal Representation', fixed(2, u('V', 1), u('G', 1), u('L', 1), spare(1), u('MODE3A', 12))),
    item('090', 'Flight Level in Binary Representation', fixed(2, u('V', 1), u('G', 1), u('FL', 14, 1 / 4, 'FL'))),
    item(
      '130',
      'Radar Plot Characteristics',
      compound(
        sub('SRL', fixed(1, u('SRL', 8, 360 / 8192, 'deg'))),
        sub('SRR', fixed(1, u('SRR', 8))),
        sub('SAM', fixed(1, i('SAM', 8, 1, 'dBm'))),
        sub('PRL', fixed(1, u('PRL', 8, 360 / 8192, 'deg'))),
        sub('PAM', fixed(1, i('PAM', 8, 1, 'dBm'))),
        sub('RPD', fixed(1, i('RPD', 8, NM_256, 'NM'))),
        sub('APD', fixed(1, i('APD', 8, 360 / 16384, 'deg'))),
      ),
    ),
    item('220', 'Aircraft Address', fixed(3, u('ACAddr', 24))),
    item('240', 'Aircraft Identification', fixed(6, icao6('TId', 48))),
    item('250', 'BDS Register Data', repetitive(fixed(8, hex('MBDATA', 56), u('BDS1', 4), u('BDS2', 4)))),
    item('161', 'Track Number', fixed(2, spare(4), u('TRN', 12))),
    item('042', 'Calculated Position in Cartesian Co-ordinates', fixed(4, i('X', 16, 1 / 128, 'NM'), i('Y', 16, 1 / 128, 'NM'))),
    item('200', 'Calculated Track Velocity in Polar Co-ordinates', fixed(4, u('GSP', 16, 2 ** -14, 'NM/s'), u('HDG', 16, DEG_16, 'deg'))),
    item(
      '170',
      'Track Status',
      extended(
        [1, 1],
        [u('CNF', 1), u('RAD', 2), u('DOU', 1), u('MAH', 1), u('CDM', 2)],
        [u('TRE', 1), u('GHO', 1), u('SUP', 1), u('TCC', 1), spare(3)],
      ),
    ),
    item(
      '210',
      'Track Quality',
      fixed(4, u('SIGX', 8, 1 / 128, 'NM'), u('SIGY', 8, 1 / 128, 'NM'), u('SIGV', 8, 2 ** -14, 'NM/s'), u('SIGH', 8, 360 / 4096, 'deg')),
    ),
    item('030', 'Warning/Error Conditions and Target Classification', repetitiveFx(fixed(1, u('CODE', 7)))),
    item('080', 'Mode-3/A Code Confidence Indicator', fixed(2, spare(4), u('QA4', 1), u('QA2', 1), u('QA1', 1), u('QB4', 1), u('QB2', 1), u('QB1', 1), u('QC4', 1), u('QC2', 1), u('QC1', 1), u('QD4', 1), u('QD2', 1), u('QD1', 1))),
    item('100', 'Mode-C Code and Code Confidence Indicator', fixed(4, u('V', 1), u('G', 1), spare(2), u('MODEC', 12), spare(4), u('QC1', 1), u('QA1', 1), u('QC2', 1), u('QA2', 1), u('QC4', 1), u('QA4', 1), u('QB1', 1), u('QD1', 1), u('QB2', 1), u('QD2', 1), u('QB4', 1), u('QD4', 1))),
    item('110', 'Height Measured by a 3D Radar', fixed(2, spare(2), i('3DH', 14, 25, 'ft'))),
    item(
      '120',
      'Radial Doppler Speed',
      compound(
        sub('CAL', fixed(2, u('D', 1), spare(5), i('CAL', 10, 1, 'm/s'))),
        sub('RDS', repetitive(fixed(6, u('DOP', 16, 1, 'm/s'), u('AMB', 16, 1, 'm/s'), u('FRQ', 16, 1, 'MHz')))),
      ),
    ),
    item(
      '230',
      'Communications/ACAS Capability and Flight Status',
      fixed(2, u('COM', 3), u('STAT', 3), u('SI', 1), spare(1), u('MSSC', 1), u('ARC', 1), u('AIC', 1), u('B1A', 1), u('B1B', 4)),
    ),
    item('260', 'ACAS Resolution Advisory Report', fixed(7, hex('ACASRA', 56))),
    item('055', 'Mode-1 Code in Octal Representation', fixed(1, u('V', 1), u('G', 1), u('L', 1), u('MODE1', 5))),
    item('050', 'Mode-2 Code in Octal Representation', fixed(2, u('V', 1), u('G', 1), u('L', 1), spare(1), u('MODE2', 12))),
    item('065', 'Mode-1 Code Confidence Indicator', fixed(1, spare(3), u('QA4', 1), u('QA2', 1), u('QA1', 1), u('QB2', 1), u('QB1', 1))),
    item('060', 'Mode-2 Code Confidence Indicator', fixed(2, spare(4), u('QA4', 1), u('QA2', 1), u('QA1', 1), u('QB4', 1), u('QB2', 1), u('QB1', 1), u('QC4', 1), u('QC2', 1), u('QC1', 1), u('QD4', 1), u('QD2', 1), u('QD1', 1))),
    item('SP', 'Special Purpose Field', EXPLICIT),
    item('RE', 'Reserved Expansion Field', EXPLICIT),
  ],
};

