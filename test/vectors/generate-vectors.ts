/**
 * Writes test/vectors/frames.json, the golden vectors of the wire contract (docs/protocol.md).
 * Deterministic: the same file on every run. Run `npx tsx test/vectors/generate-vectors.ts`
 * after a deliberate change of the catalogue and commit the result; tests never regenerate it.
 *
 * Format: an array of
 * - `{ "name", "wire", "message" }`: `wire` is the lowercase hex of the bytes on the wire,
 *   trailing 0x00 included; `message` is the decoded message as JSON (type, seq, flags, then
 *   the fields in catalogue order; f32 values are given as the exact double of the f32);
 * - `{ "name", "wire", "error" }`: a frame every receiver shall reject, with the error code
 *   (cobs, crc, version, unknown-type, length, field) of docs/protocol.md.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import {
  FLAG_ACK_REQUESTED,
  FLAG_RETRANSMISSION,
  type FrameErrorCode,
  PROTOCOL_VERSION,
  cobsDecode,
  cobsEncode,
  crc16CcittFalse,
} from '../../src/framing/index.js';
import {
  CATALOGUE,
  MESSAGE_NAMES,
  type Message,
  type MessageName,
  EXAMPLE_MESSAGES,
  decodeWireFrame,
  encodeMessage,
  messageSpec,
} from '../../src/protocol/index.js';

/** A frame that decodes to `message`. */
export interface ValidVector {
  name: string;
  wire: string;
  message: Message;
}

/** A frame every receiver rejects with `error`. */
export interface InvalidVector {
  name: string;
  wire: string;
  error: FrameErrorCode;
}

export type Vector = ValidVector | InvalidVector;

const f = Math.fround;
const MAX_F32 = 3.4028234663852886e38;
const MIN_SUBNORMAL_F32 = 1.401298464324817e-45;

/** Build the vectors. Throws if any valid vector does not survive encode → decode unchanged. */
export function generateVectors(): Vector[] {
  const vectors: Vector[] = [];
  const valid = (name: string, message: Message): void => {
    const wire = encodeMessage(message);
    const decoded = decodeWireFrame(wire);
    if (!decoded.ok) throw new Error(`${name}: ${decoded.error} ${decoded.detail}`);
    if (!isDeepStrictEqual(decoded.message, message)) {
      throw new Error(`${name}: does not round-trip (not f32-exact?)\n${JSON.stringify(decoded.message)}`);
    }
    vectors.push({ name, wire: hex(wire), message: decoded.message });
  };

  // Every message type, in each direction it is sent (HEARTBEAT, ACK, NAK both ways): the
  // examples of docs/protocol.md.
  for (const { direction, message } of EXAMPLE_MESSAGES) valid(`${message.type} ${direction}`, message);
  for (const name of MESSAGE_NAMES) {
    const spec = messageSpec(name);
    const directions = spec.direction === 'both' ? ['host-to-device', 'device-to-host'] : [spec.direction];
    for (const direction of directions) {
      if (!EXAMPLE_MESSAGES.some((e) => e.message.type === name && e.direction === direction)) {
        throw new Error(`no example message for ${name} ${direction}`);
      }
    }
  }
  let seq = 200;

  // Every value of every enum field.
  for (const name of MESSAGE_NAMES) {
    const base = typical(name);
    for (const field of messageSpec(name).fields) {
      if (field.kind !== 'enum') continue;
      field.values.forEach((value, code) => {
        valid(`${name} ${field.name}=${value} (code ${code})`, {
          ...base,
          [field.name]: value,
          seq: seq++,
          flags: 0,
        } as Message);
      });
    }
  }

  // Header edge values: flags, and seq wrapping 65535 → 0 (ICD-FRM-009).
  const heartbeat = typical('HEARTBEAT');
  valid('HEARTBEAT seq 65535 (last before wrap)', { ...heartbeat, seq: 65535, flags: 0 } as Message);
  valid('HEARTBEAT seq 0 (after wrap)', { ...heartbeat, seq: 0, flags: 0 } as Message);
  const fire = typical('FIRE');
  valid('FIRE retransmission (ack requested + retransmission flags)', {
    ...fire,
    seq: 77,
    flags: FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION,
  } as Message);

  // Field edge values.
  valid('TIME_SYNC_RESPONSE u64 at 2^53-1 and above 2^32', {
    type: 'TIME_SYNC_RESPONSE',
    t1HostUs: 2 ** 32 + 1,
    t2DeviceUs: 2 ** 53 - 2,
    t3DeviceUs: 2 ** 53 - 1,
    seq: seq++,
    flags: 0,
  });
  valid('HEARTBEAT u64 0 and u32 max', {
    type: 'HEARTBEAT',
    senderTimeUs: 0,
    heartbeatCount: 0xffffffff,
    seq: seq++,
    flags: 0,
  });
  valid('TRACK_REPORT negative floats, f32 extremes, u8 max', {
    ...typical('TRACK_REPORT'),
    trackId: 0xffffffff,
    eastM: f(-0.1),
    northM: -MAX_F32,
    upM: MAX_F32,
    eastMps: -MIN_SUBNORMAL_F32,
    northMps: f(-1e-30),
    upMps: f(-299_792_458),
    quality: 255,
    seq: seq++,
    flags: 0,
  } as Message);
  valid('FIRE every body byte non-zero (one COBS group)', {
    type: 'FIRE',
    commandId: 0x01010101,
    trackId: 0x7f7f7f7f,
    executeAtUs: 0x1f_ffff_ffff_ffff,
    aimEastM: f(1.5),
    aimNorthM: f(-1.5),
    aimUpM: f(2.75),
    seq: 0x0101,
    flags: FLAG_ACK_REQUESTED,
  });

  // Invalid frames: one or more per error code; each has a valid CRC unless the CRC is the point.
  const nak = typical('NAK');
  const good = encodeMessage({ ...nak, seq: 5, flags: FLAG_ACK_REQUESTED } as Message);
  const goodBody = bodyOf({ ...nak, seq: 5, flags: FLAG_ACK_REQUESTED } as Message);
  const invalid = (name: string, wire: Uint8Array, error: FrameErrorCode): void => {
    const decoded = decodeWireFrame(wire);
    if (decoded.ok || decoded.error !== error) {
      throw new Error(`${name}: expected ${error}, got ${decoded.ok ? 'ok' : decoded.error}`);
    }
    vectors.push({ name, wire: hex(wire), error });
  };
  const overrun = good.slice();
  overrun[0] = 0xff; // a full group of 254 bytes, in a block of 19
  invalid('cobs: first code byte 0xff in a short block', overrun, 'cobs');
  invalid('cobs: last code byte points past the end of the block', withLastCodeRaised(good, 5), 'cobs');
  const badCrc = goodBody.slice();
  badCrc[badCrc.length - 1]! ^= 0x80;
  invalid('crc: one bit of the crc flipped', wireOf(badCrc, false), 'crc');
  const badPayloadBit = goodBody.slice();
  badPayloadBit[7]! ^= 0x01;
  invalid('crc: one payload bit flipped, crc of the original', wireOf(badPayloadBit, false), 'crc');
  const version2 = goodBody.slice();
  version2[0] = PROTOCOL_VERSION + 1;
  invalid('version: version byte 2', wireOf(version2, true), 'version');
  const unknownType = goodBody.slice();
  unknownType[1] = 0x7f;
  invalid('unknown-type: type code 0x7f', wireOf(unknownType, true), 'unknown-type');
  invalid(
    'length: body of 5 bytes, shorter than header and crc',
    wireOf(Uint8Array.of(1, 3, 0, 0, 0), false),
    'length',
  );
  const heartbeatBody = bodyOf({ ...heartbeat, seq: 6, flags: 0 } as Message);
  invalid(
    'length: HEARTBEAT payload one byte short',
    wireOf(Uint8Array.of(...heartbeatBody.subarray(0, heartbeatBody.length - 3), 0, 0), true),
    'length',
  );
  invalid(
    'length: HEARTBEAT payload one byte long',
    wireOf(Uint8Array.of(...heartbeatBody.subarray(0, heartbeatBody.length - 2), 0x2a, 0, 0), true),
    'length',
  );
  const tooLong = new Uint8Array(257).fill(0x11);
  tooLong.set([PROTOCOL_VERSION, CATALOGUE.HEARTBEAT.code, 0, 0, 0]);
  invalid('length: body of 257 bytes, above the 256 maximum', wireOf(tooLong, true), 'length');
  const badEnum = goodBody.slice();
  badEnum[badEnum.length - 3] = CATALOGUE.NAK.fields[3].values.length; // NAK.reason, first undefined code
  invalid('field: NAK.reason code not defined', wireOf(badEnum, true), 'field');
  const reservedFlag = goodBody.slice();
  reservedFlag[4] = FLAG_ACK_REQUESTED | 0x04;
  invalid('field: reserved flag bit 2 set', wireOf(reservedFlag, true), 'field');
  const hugeU64 = bodyOf({ ...heartbeat, seq: 7, flags: 0 } as Message);
  hugeU64.set([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00], 5); // senderTimeUs = 2^53
  invalid('field: u64 of 2^53, above 2^53-1', wireOf(hugeU64, true), 'field');
  const trackBody = bodyOf({ ...typical('TRACK_REPORT'), seq: 8, flags: 0 } as Message);
  const nan = trackBody.slice();
  nan.set([0x00, 0x00, 0xc0, 0x7f], 5 + 12); // eastM = quiet NaN
  invalid('field: TRACK_REPORT.eastM is NaN', wireOf(nan, true), 'field');
  const infinity = trackBody.slice();
  infinity.set([0x00, 0x00, 0x80, 0xff], 5 + 16); // northM = -infinity
  invalid('field: TRACK_REPORT.northM is -infinity', wireOf(infinity, true), 'field');
  return vectors;
}

function typical<N extends MessageName>(name: N): Message<N> {
  return EXAMPLE_MESSAGES.find((e) => e.message.type === name)!.message as unknown as Message<N>;
}

/** The decoded body (header, payload, crc) of a valid message. */
function bodyOf(message: Message): Uint8Array {
  const wire = encodeMessage(message);
  return cobsDecode(wire.subarray(0, wire.length - 1))!.slice();
}

/** COBS(body) 0x00, after writing the correct crc over the body when `fixCrc`. */
function wireOf(body: Uint8Array, fixCrc: boolean): Uint8Array {
  const copy = body.slice();
  if (fixCrc && copy.length >= 2) {
    const crc = crc16CcittFalse(copy, 0, copy.length - 2);
    copy[copy.length - 2] = crc & 0xff;
    copy[copy.length - 1] = crc >> 8;
  }
  return Uint8Array.of(...cobsEncode(copy), 0);
}

/** The wire with the code byte of its last COBS group raised by `by` (it then overruns the block). */
function withLastCodeRaised(wire: Uint8Array, by: number): Uint8Array {
  let at = 0;
  let last = 0;
  while (at < wire.length - 1) {
    last = at;
    at += wire[at]!;
  }
  const copy = wire.slice();
  copy[last] = wire[last]! + by;
  return copy;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** One vector per line, so a diff shows which vectors changed. */
export function formatVectors(vectors: readonly Vector[]): string {
  return `[\n${vectors.map((v) => `  ${JSON.stringify(v)}`).join(',\n')}\n]\n`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const target = fileURLToPath(new URL('./frames.json', import.meta.url));
  const vectors = generateVectors();
  writeFileSync(target, formatVectors(vectors));
  const invalidCount = vectors.filter((v) => 'error' in v).length;
  process.stdout.write(
    `wrote ${vectors.length - invalidCount} valid and ${invalidCount} invalid vectors to ${target}\n`,
  );
}
