import type { MessageSpec } from '../field-spec.js';

/** NAK reason codes shared by both controllers (ICD-CMN-006). */
export const NAK_REASONS = [
  'unspecified',
  'bad-state',
  'late',
  'too-far-ahead',
  'no-rounds',
  'duplicate-command',
  'no-heartbeat',
  'unsupported',
  'bad-field',
  'busy',
  'watchdog-latched',
  'not-handshaken',
  'schema-mismatch',
  'out-of-envelope',
] as const;

export const DEVICE_KINDS = ['unknown', 'radar', 'launcher'] as const;

/** Messages both controllers speak. */
export const COMMON_MESSAGES = {
  HELLO: {
    code: 0x01,
    family: 'common',
    direction: 'host-to-device',
    doc: 'Opens a session: the host states the schema hash it was built from.',
    sentWhen: 'On link open and after every link loss, until IDENT arrives (every 200 ms).',
    reply: 'IDENT (always, even on schema mismatch, so the host can report it)',
    acknowledged: false,
    fields: [
      { name: 'schemaHash', kind: 'u32', doc: 'Host protocol schema hash (ICD-CMN-002).' },
      { name: 'hostTimeUs', kind: 'u64', unit: 'us', doc: 'Host monotonic time at send.' },
    ],
  },
  IDENT: {
    code: 0x02,
    family: 'common',
    direction: 'device-to-host',
    doc: 'Identifies the controller and its firmware. A schema hash different from the host one fails closed: the host sends no command.',
    sentWhen: 'In answer to HELLO.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'deviceKind', kind: 'enum', values: DEVICE_KINDS, doc: 'Controller kind.' },
      { name: 'deviceSerial', kind: 'u32', doc: 'Serial number of the controller.' },
      { name: 'firmwareMajor', kind: 'u8', doc: 'Firmware version, major.' },
      { name: 'firmwareMinor', kind: 'u8', doc: 'Firmware version, minor.' },
      { name: 'firmwarePatch', kind: 'u8', doc: 'Firmware version, patch.' },
      { name: 'schemaHash', kind: 'u32', doc: 'Device protocol schema hash.' },
      { name: 'deviceTimeUs', kind: 'u64', unit: 'us', doc: 'Device monotonic time at send.' },
    ],
  },
  HEARTBEAT: {
    code: 0x03,
    family: 'common',
    direction: 'both',
    doc: 'Liveness. Both sides send it periodically from power-on whether or not anyone listens.',
    sentWhen: 'Every 50 ms (ICD-CMN-003).',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'senderTimeUs', kind: 'u64', unit: 'us', doc: 'Sender monotonic time at send.' },
      {
        name: 'heartbeatCount',
        kind: 'u32',
        doc: 'Heartbeats sent before this one since power-on (the first carries 0), wrapping at 2^32.',
      },
    ],
  },
  ACK: {
    code: 0x04,
    family: 'common',
    direction: 'both',
    doc: 'Accepts an acknowledged frame.',
    sentWhen: 'Within 20 ms of receiving a frame with FLAG_ACK_REQUESTED that is accepted.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'ackedSeq', kind: 'u16', doc: 'Sequence number of the accepted frame.' },
      { name: 'ackedType', kind: 'u8', doc: 'Type code of the accepted frame.' },
      {
        name: 'commandId',
        kind: 'u32',
        doc: "The accepted frame's commandId; for FIRE_REPORT its fireCommandId (ICD-CMN-005).",
      },
    ],
  },
  NAK: {
    code: 0x05,
    family: 'common',
    direction: 'both',
    doc: 'Refuses an acknowledged frame, with a reason.',
    sentWhen: 'Within 20 ms of receiving a frame with FLAG_ACK_REQUESTED that is refused.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 'nakedSeq', kind: 'u16', doc: 'Sequence number of the refused frame.' },
      { name: 'nakedType', kind: 'u8', doc: 'Type code of the refused frame.' },
      {
        name: 'commandId',
        kind: 'u32',
        doc: "The refused frame's commandId; for FIRE_REPORT its fireCommandId (ICD-CMN-005).",
      },
      { name: 'reason', kind: 'enum', values: NAK_REASONS, doc: 'Why it was refused.' },
    ],
  },
  TIME_SYNC_REQUEST: {
    code: 0x06,
    family: 'common',
    direction: 'host-to-device',
    doc: 'First half of an NTP-style exchange: t1 = host send time.',
    sentWhen: 'Periodically (default every 100 ms) while the link is up.',
    reply: 'TIME_SYNC_RESPONSE',
    acknowledged: false,
    fields: [{ name: 't1HostUs', kind: 'u64', unit: 'us', doc: 'Host time when the request was sent.' }],
  },
  TIME_SYNC_RESPONSE: {
    code: 0x07,
    family: 'common',
    direction: 'device-to-host',
    doc: 'Second half: echoes t1, adds t2 (device receive) and t3 (device send). The host notes t4 on receipt.',
    sentWhen: 'In answer to TIME_SYNC_REQUEST, within 5 ms.',
    reply: 'none',
    acknowledged: false,
    fields: [
      { name: 't1HostUs', kind: 'u64', unit: 'us', doc: 'Echo of the request t1.' },
      { name: 't2DeviceUs', kind: 'u64', unit: 'us', doc: 'Device time when the request was received (end of frame).' },
      { name: 't3DeviceUs', kind: 'u64', unit: 'us', doc: 'Device time when this response started to be sent.' },
    ],
  },
} as const satisfies Record<string, MessageSpec>;
