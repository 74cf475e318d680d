import type { MessageSpec } from '../field-spec.js';

export const RADAR_MODES = ['standby', 'search', 'silent'] as const;
export const RADAR_HEALTH = ['ok', 'degraded', 'fault'] as const;
export const IFF_CLASSES = ['unknown', 'friendly', 'hostile'] as const;
export const TRACK_DROP_REASONS = ['lost', 'out-of-coverage', 'destroyed', 'merged', 'mode-change'] as const;

/**
 * Radar controller messages. Positions and velocities are in the bench's local
 * east-north-up frame (metres, origin and axes from the bench config), shared by every device.
 */
export const RADAR_MESSAGES = {
  RADAR_STATUS: {
    code: 0x20,
    family: 'radar',
    direction: 'device-to-host',
    doc: 'Radar state summary.',
    sentWhen:
      'Every 100 ms (never more than 105 ms apart) and within 20 ms of a change of mode or health (ICD-RDR-001).',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'deviceTimeUs', kind: 'u64', unit: 'us', doc: 'Device time of this status.' },
      { name: 'mode', kind: 'enum', values: RADAR_MODES, doc: 'Current mode.' },
      { name: 'health', kind: 'enum', values: RADAR_HEALTH, doc: 'Self-test result.' },
      { name: 'activeTracks', kind: 'u16', doc: 'Tracks currently held.' },
      { name: 'scanPeriodUs', kind: 'u32', unit: 'us', doc: 'Time for one full scan.' },
      { name: 'maxRangeM', kind: 'f32', unit: 'm', doc: 'Instrumented range.' },
      { name: 'lastCommandId', kind: 'u32', doc: 'Last command id executed (0 when none).' },
    ],
  },
  RADAR_SET_MODE: {
    code: 0x21,
    family: 'radar',
    direction: 'host-to-device',
    doc: 'Changes the radar mode. Leaving search drops every track (TRACK_DROP mode-change).',
    sentWhen: 'On operator command.',
    reply: 'ACK or NAK',
    acknowledged: true,
    fields: [
      { name: 'commandId', kind: 'u32', doc: 'Host command id, never 0, never reused (ICD-CMN-008, ICD-HOST-002).' },
      { name: 'mode', kind: 'enum', values: RADAR_MODES, doc: 'Requested mode.' },
    ],
  },
  TRACK_REPORT: {
    code: 0x22,
    family: 'radar',
    direction: 'device-to-host',
    doc: 'One measurement of one track.',
    sentWhen: 'Each time the scan illuminates a track (once per scan per track) in search mode.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'trackId', kind: 'u32', doc: 'Radar track number, never reused while the radar runs.' },
      { name: 'measurementTimeUs', kind: 'u64', unit: 'us', doc: 'Device time of the measurement.' },
      { name: 'eastM', kind: 'f32', unit: 'm', doc: 'Position east.' },
      { name: 'northM', kind: 'f32', unit: 'm', doc: 'Position north.' },
      { name: 'upM', kind: 'f32', unit: 'm', doc: 'Position up.' },
      { name: 'eastMps', kind: 'f32', unit: 'm/s', doc: 'Velocity east.' },
      { name: 'northMps', kind: 'f32', unit: 'm/s', doc: 'Velocity north.' },
      { name: 'upMps', kind: 'f32', unit: 'm/s', doc: 'Velocity up.' },
      { name: 'positionSigmaM', kind: 'f32', unit: 'm', doc: '1-sigma position uncertainty (per axis).' },
      { name: 'velocitySigmaMps', kind: 'f32', unit: 'm/s', doc: '1-sigma velocity uncertainty (per axis).' },
      { name: 'quality', kind: 'u8', doc: 'Track quality 0..100.' },
      { name: 'iffClass', kind: 'enum', values: IFF_CLASSES, doc: 'Identification friend or foe.' },
    ],
  },
  TRACK_DROP: {
    code: 0x23,
    family: 'radar',
    direction: 'device-to-host',
    doc: 'The radar stops reporting a track.',
    sentWhen: 'Once, when a track is dropped.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'trackId', kind: 'u32', doc: 'Track dropped.' },
      { name: 'deviceTimeUs', kind: 'u64', unit: 'us', doc: 'Device time of the drop.' },
      { name: 'reason', kind: 'enum', values: TRACK_DROP_REASONS, doc: 'Why.' },
    ],
  },
} as const satisfies Record<string, MessageSpec>;
