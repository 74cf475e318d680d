import {
  CRC_BYTES,
  FRAME_DELIMITER,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  cobsDecode,
  cobsEncode,
  crc16CcittFalse,
} from '../framing/index.js';
import { CATALOGUE, type Message, type MessageName, encodeMessage, fieldBytes } from '../protocol/index.js';

/**
 * Deliberately malformed frames, each built from a valid message with one thing broken, so a
 * device that does not check that one thing would accept (and answer) it. Only the kit sends
 * these; the codec refuses to build any of them.
 */

/** The body of a valid message: version | type | seq | flags | payload | crc. */
export function frameBody(message: Message): Uint8Array {
  const wire = encodeMessage(message);
  return cobsDecode(wire.subarray(0, wire.length - 1))!;
}

/** Wire bytes of a body: COBS + 0x00; the CRC is recomputed unless `keepCrc`. */
export function wireOfBody(body: Uint8Array, keepCrc = false): Uint8Array {
  const copy = Uint8Array.from(body);
  if (!keepCrc && copy.length >= CRC_BYTES) {
    const crc = crc16CcittFalse(copy, 0, copy.length - CRC_BYTES);
    copy[copy.length - 2] = crc & 0xff;
    copy[copy.length - 1] = crc >> 8;
  }
  const block = cobsEncode(copy);
  const wire = new Uint8Array(block.length + 1);
  wire.set(block);
  wire[block.length] = FRAME_DELIMITER;
  return wire;
}

/** ICD-FRM-005: the CRC's high byte flipped. */
export function withBadCrc(message: Message): Uint8Array {
  const body = frameBody(message);
  body[body.length - 1] = body[body.length - 1]! ^ 0xff;
  return wireOfBody(body, true);
}

/** ICD-FRM-003: another version byte (CRC valid). */
export function withVersion(message: Message, version: number): Uint8Array {
  const body = frameBody(message);
  body[0] = version;
  return wireOfBody(body);
}

/** ICD-FRM-007: a reserved flag bit set (CRC valid). */
export function withFlags(message: Message, flags: number): Uint8Array {
  const body = frameBody(message);
  body[4] = flags;
  return wireOfBody(body);
}

/** ICD-FRM-011: another type code (CRC valid), payload unchanged. */
export function withTypeCode(message: Message, typeCode: number): Uint8Array {
  const body = frameBody(message);
  body[1] = typeCode;
  return wireOfBody(body);
}

/** ICD-FRM-008: the payload one byte longer (`+1`, a 0x5A before the CRC) or shorter (`-1`). */
export function withPayloadDelta(message: Message, delta: 1 | -1): Uint8Array {
  const body = frameBody(message);
  const payloadEnd = body.length - CRC_BYTES;
  const resized =
    delta === 1
      ? Uint8Array.from([...body.subarray(0, payloadEnd), 0x5a, 0, 0])
      : Uint8Array.from([...body.subarray(0, payloadEnd - 1), 0, 0]);
  return wireOfBody(resized);
}

/** ICD-FRM-004: a 6-byte body (header without flags, then a valid CRC). */
export function shortBody(message: Message): Uint8Array {
  const body = frameBody(message);
  return wireOfBody(Uint8Array.from([...body.subarray(0, 4), 0, 0]));
}

/**
 * ICD-FRM-004: a body of MAX_BODY_BYTES + 1 bytes — the header of `message`, its payload padded
 * with 0x5A, a valid CRC — whose COBS block still fits the framer's bound, so only the body-size
 * check can reject it.
 */
export function longBody(message: Message): Uint8Array {
  const body = frameBody(message);
  const long = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x5a);
  long.set(body.subarray(0, body.length - CRC_BYTES));
  const wire = wireOfBody(long);
  if (wire.length - 1 > MAX_ENCODED_FRAME_BYTES) throw new RangeError('long body does not fit the framer bound');
  return wire;
}

/** ICD-FRM-001: a COBS block whose first code byte points past its end. */
export function withBadCobs(message: Message): Uint8Array {
  const wire = Uint8Array.from(encodeMessage(message));
  const blockLength = wire.length - 1;
  wire[0] = Math.min(0xff, blockLength + 1);
  return wire;
}

/**
 * ICD-FRM-002: `junkBytes` non-zero bytes, then the COBS block of `message` with no delimiter
 * between, then one 0x00. The whole run is over the bound, so a receiver that resynchronises
 * only at the next 0x00 discards the frame at its end too.
 */
export function overlongRun(message: Message, junkBytes: number): Uint8Array {
  const frame = encodeMessage(message);
  const run = new Uint8Array(junkBytes + frame.length);
  for (let i = 0; i < junkBytes; i++) run[i] = 0x01 + (i % 0xfe);
  run.set(frame, junkBytes);
  return run;
}

/** Byte offset of a field in the body (after the header). */
export function fieldOffset(type: MessageName, field: string): number {
  let offset = HEADER_BYTES;
  for (const spec of CATALOGUE[type].fields) {
    if (spec.name === field) return offset;
    offset += fieldBytes(spec);
  }
  throw new RangeError(`${type} has no field ${field}`);
}

/** ICD-FRM-008: one field's bytes replaced (CRC valid), e.g. an undefined enum code or a NaN. */
export function withFieldBytes(message: Message, field: string, bytes: readonly number[]): Uint8Array {
  const body = frameBody(message);
  body.set(bytes, fieldOffset(message.type, field));
  return wireOfBody(body);
}

/** Little-endian bytes of an f32 bit pattern (NaN 0x7fc00000, +Infinity 0x7f800000). */
export function f32Bits(bits: number): number[] {
  return [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff];
}

/** Little-endian u64 bytes of 2^53 (the smallest value over 2^53-1). */
export const U64_TWO_POW_53: readonly number[] = [0, 0, 0, 0, 0, 0, 0x20, 0];
