/**
 * CAT034 — Transmission of Monoradar Service Messages, EUROCONTROL-SPEC-0149-2B, edition 1.27
 * (standard UAP): north markers, sector crossings, radar configuration and status.
 */
import { type CategorySpec, EXPLICIT, compound, fixed, i, item, repetitive, spare, sub, u } from '../item-spec.js';

/** I034/000 message types. */
export const CAT034_MESSAGE_TYPE = {
  northMarker: 1,
  sectorCrossing: 2,
  geographicalFiltering: 3,
  jammingStrobe: 4,
  solarStorm: 5,
  ssrJammingStrobe: 6,
  modeSJammingStrobe: 7,
} as const;

const channelStatus = fixed(1, u('ANT', 1), u('CHAB', 2), u('OVL', 1), u('MSC', 1), spare(3));

export const CAT034: CategorySpec = {
  category: 34,
  edition: '1.27',
  title: 'Transmission of Monoradar Service Messages',
  uap: [
    item('010', 'Data Source Identifier', fixed(2, u('SAC', 8), u('SIC', 8))),
    item('000', 'Message Type', fixed(1, u('MessageType', 8))),
    item('030', 'Time of Day', fixed(3, u('ToD', 24, 1 / 128, 's'))),
    item('020', 'Sector Number', fixed(1, u('SECTOR', 8, 360 / 256, 'deg'))),
    item('041', 'Antenna Rotation Period', fixed(2, u('ARS', 16, 1 / 128, 's'))),
    item(
      '050',
      'System Configuration and Status',
      compound(
        sub(
          'COM',
          fixed(
            1,
            u('NOGO', 1),
            u('RDPC', 1),
            u('RDPR', 1),
            u('OVLRDP', 1),
            u('OVLXMT', 1),
            u('MSC', 1),
            u('TSV', 1),
            spare(1),
          ),
        ),
        null,
        null,
        sub('PSR', channelStatus),
        sub('SSR', channelStatus),
        sub(
          'MDS',
          fixed(
            2,
            u('ANT', 1),
            u('CHAB', 2),
            u('OVLSUR', 1),
            u('MSC', 1),
            u('SCF', 1),
            u('DLF', 1),
            u('OVLSCF', 1),
            u('OVLDLF', 1),
            spare(7),
          ),
        ),
      ),
    ),
    item(
      '060',
      'System Processing Mode',
      compound(
        sub('COM', fixed(1, spare(1), u('REDRDP', 3), u('REDXMT', 3), spare(1))),
        null,
        null,
        sub('PSR', fixed(1, u('POL', 1), u('REDRAD', 3), u('STC', 2), spare(2))),
        sub('SSR', fixed(1, u('REDRAD', 3), spare(5))),
        sub('MDS', fixed(1, u('REDRAD', 3), u('CLU', 1), spare(4))),
      ),
    ),
    item('070', 'Message Count Values', repetitive(fixed(2, u('TYP', 5), u('COUNT', 11)))),
    item(
      '100',
      'Generic Polar Window',
      fixed(
        8,
        u('RHOST', 16, 1 / 256, 'NM'),
        u('RHOEND', 16, 1 / 256, 'NM'),
        u('THETAST', 16, 360 / 65536, 'deg'),
        u('THETAEND', 16, 360 / 65536, 'deg'),
      ),
    ),
    item('110', 'Data Filter', fixed(1, u('TYP', 8))),
    item(
      '120',
      '3D-Position of Data Source',
      fixed(8, i('HGT', 16, 1, 'm'), i('LAT', 24, 180 / 2 ** 23, 'deg'), i('LON', 24, 180 / 2 ** 23, 'deg')),
    ),
    item('090', 'Collimation Error', fixed(2, i('RNG', 8, 1 / 128, 'NM'), i('AZM', 8, 360 / 16384, 'deg'))),
    item('RE', 'Reserved Expansion Field', EXPLICIT),
    item('SP', 'Special Purpose Field', EXPLICIT),
  ],
};
