import { SCHEMA_HASH } from './catalogue/index.js';
import type { Direction } from './field-spec.js';
import type { Message } from './message-types.js';

/** A representative message and the direction it travels in. */
export interface ExampleMessage {
  readonly direction: Exclude<Direction, 'both'>;
  readonly message: Message;
}

const f = Math.fround;

/**
 * One representative message of every type, in each direction it is sent (HEARTBEAT, ACK and
 * NAK both ways), with the header a sender would use: acknowledged types carry the ACK-requested
 * flag. These are the first golden vectors (test/vectors/frames.json) and the examples of
 * docs/protocol.md, so the two always agree. Floats are f32-exact.
 */
export const EXAMPLE_MESSAGES: readonly ExampleMessage[] = [
  {
    direction: 'host-to-device',
    message: { type: 'HELLO', seq: 100, flags: 0, schemaHash: SCHEMA_HASH, hostTimeUs: 1_250_000 },
  },
  {
    direction: 'device-to-host',
    message: {
      type: 'IDENT',
      seq: 101,
      flags: 0,
      deviceKind: 'launcher',
      deviceSerial: 0x00c0ffee,
      firmwareMajor: 2,
      firmwareMinor: 7,
      firmwarePatch: 13,
      schemaHash: SCHEMA_HASH,
      deviceTimeUs: 84_000_123,
    },
  },
  {
    direction: 'host-to-device',
    message: { type: 'HEARTBEAT', seq: 102, flags: 0, senderTimeUs: 1_300_000, heartbeatCount: 26 },
  },
  {
    direction: 'device-to-host',
    message: { type: 'HEARTBEAT', seq: 103, flags: 0, senderTimeUs: 84_050_000, heartbeatCount: 1681 },
  },
  {
    direction: 'host-to-device',
    message: { type: 'ACK', seq: 104, flags: 0, ackedSeq: 412, ackedType: 0x46, commandId: 0 },
  },
  {
    direction: 'device-to-host',
    message: { type: 'ACK', seq: 105, flags: 0, ackedSeq: 77, ackedType: 0x44, commandId: 1042 },
  },
  {
    direction: 'host-to-device',
    message: { type: 'NAK', seq: 106, flags: 0, nakedSeq: 9, nakedType: 0x46, commandId: 0, reason: 'unsupported' },
  },
  {
    direction: 'device-to-host',
    message: { type: 'NAK', seq: 107, flags: 0, nakedSeq: 78, nakedType: 0x44, commandId: 1043, reason: 'late' },
  },
  { direction: 'host-to-device', message: { type: 'TIME_SYNC_REQUEST', seq: 108, flags: 0, t1HostUs: 1_400_000 } },
  {
    direction: 'device-to-host',
    message: {
      type: 'TIME_SYNC_RESPONSE',
      seq: 109,
      flags: 0,
      t1HostUs: 1_400_000,
      t2DeviceUs: 84_100_350,
      t3DeviceUs: 84_100_410,
    },
  },
  {
    direction: 'device-to-host',
    message: {
      type: 'RADAR_STATUS',
      seq: 110,
      flags: 0,
      deviceTimeUs: 12_000_000,
      mode: 'search',
      health: 'ok',
      activeTracks: 3,
      scanPeriodUs: 1_000_000,
      maxRangeM: f(60_000),
      lastCommandId: 7,
    },
  },
  {
    direction: 'host-to-device',
    message: { type: 'RADAR_SET_MODE', seq: 111, flags: 1, commandId: 8, mode: 'search' },
  },
  {
    direction: 'device-to-host',
    message: {
      type: 'TRACK_REPORT',
      seq: 112,
      flags: 0,
      trackId: 17,
      measurementTimeUs: 12_345_678,
      eastM: f(15_250.5),
      northM: f(-8_100.25),
      upM: f(3_000),
      eastMps: f(-220.75),
      northMps: f(140.5),
      upMps: f(-12.25),
      positionSigmaM: f(12.5),
      velocitySigmaMps: f(3.75),
      quality: 87,
      iffClass: 'hostile',
    },
  },
  {
    direction: 'device-to-host',
    message: { type: 'TRACK_DROP', seq: 113, flags: 0, trackId: 17, deviceTimeUs: 19_800_000, reason: 'destroyed' },
  },
  {
    direction: 'device-to-host',
    message: {
      type: 'LAUNCHER_STATUS',
      seq: 114,
      flags: 0,
      deviceTimeUs: 84_200_000,
      state: 'armed',
      roundsReady: 4,
      azimuthDeg: f(45.5),
      elevationDeg: f(30.25),
      watchdog: 'ok',
      pendingFireCommandId: 0,
      lastCommandId: 1041,
    },
  },
  { direction: 'host-to-device', message: { type: 'ARM', seq: 115, flags: 1, commandId: 1041 } },
  { direction: 'host-to-device', message: { type: 'SAFE', seq: 116, flags: 1, commandId: 1050 } },
  {
    direction: 'host-to-device',
    message: { type: 'SLEW', seq: 117, flags: 1, commandId: 1040, azimuthDeg: f(45.5), elevationDeg: f(30.25) },
  },
  {
    direction: 'host-to-device',
    message: {
      type: 'FIRE',
      seq: 118,
      flags: 1,
      commandId: 1042,
      trackId: 17,
      executeAtUs: 86_500_000,
      aimEastM: f(9_800),
      aimNorthM: f(-5_200.5),
      aimUpM: f(2_950.25),
    },
  },
  { direction: 'host-to-device', message: { type: 'ABORT', seq: 119, flags: 1, commandId: 1044, fireCommandId: 1042 } },
  {
    direction: 'device-to-host',
    message: {
      type: 'FIRE_REPORT',
      seq: 120,
      flags: 1,
      fireCommandId: 1042,
      result: 'launched',
      actualTimeUs: 86_500_004,
      roundsRemaining: 3,
    },
  },
];
