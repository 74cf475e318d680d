import { cobsDecodeInto, cobsEncodeInto, cobsMaxEncodedLength } from './cobs.js';
import { crc16CcittFalse } from './crc16.js';
import { type FrameError, frameError } from './frame-error.js';

/** Protocol version carried in every frame (ICD-FRM-003). */
export const PROTOCOL_VERSION = 1;
/** Bytes before the payload: version u8, type u8, seq u16le, flags u8. */
export const HEADER_BYTES = 5;
/** Bytes of the trailing CRC. */
export const CRC_BYTES = 2;
/** Largest body (header + payload + CRC) a receiver accepts (ICD-FRM-004). */
export const MAX_BODY_BYTES = 256;
/** Largest payload. */
export const MAX_PAYLOAD_BYTES = MAX_BODY_BYTES - HEADER_BYTES - CRC_BYTES;
/** Largest COBS block between two delimiters for a maximum body. */
export const MAX_ENCODED_FRAME_BYTES = cobsMaxEncodedLength(MAX_BODY_BYTES);
/** The frame delimiter. */
export const FRAME_DELIMITER = 0x00;

/** Flag bits (ICD-FRM-007); every other bit is reserved and must be 0. */
export const FLAG_ACK_REQUESTED = 0x01;
export const FLAG_RETRANSMISSION = 0x02;
export const FLAGS_DEFINED_MASK = FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION;

/** The frame header as read off the wire. */
export interface FrameHeader {
  readonly version: number;
  readonly typeCode: number;
  readonly seq: number;
  readonly flags: number;
}

/** A body that passed COBS, length, CRC and version checks; the payload still to be decoded. */
export interface RawFrame extends FrameHeader {
  readonly ok: true;
  /** A view on the decoded body; valid until the next call with the same scratch buffer. */
  readonly payload: Uint8Array;
}

/**
 * Write the wire bytes of one frame: COBS(version | type | seq | flags | payload | crc) 0x00.
 * `payload` must be at most MAX_PAYLOAD_BYTES (the caller, the codec, guarantees it).
 */
export function encodeFrameBytes(typeCode: number, seq: number, flags: number, payload: Uint8Array): Uint8Array {
  const bodyLength = HEADER_BYTES + payload.length + CRC_BYTES;
  const body = new Uint8Array(bodyLength);
  body[0] = PROTOCOL_VERSION;
  body[1] = typeCode;
  body[2] = seq & 0xff;
  body[3] = (seq >> 8) & 0xff;
  body[4] = flags;
  body.set(payload, HEADER_BYTES);
  const crc = crc16CcittFalse(body, 0, bodyLength - CRC_BYTES);
  body[bodyLength - 2] = crc & 0xff;
  body[bodyLength - 1] = crc >> 8;
  const wire = new Uint8Array(cobsMaxEncodedLength(bodyLength) + 1);
  const end = cobsEncodeInto(body, wire, 0);
  wire[end] = FRAME_DELIMITER;
  return wire.subarray(0, end + 1);
}

/**
 * Check one COBS block (the bytes between two delimiters, without them) and split it into
 * header and payload. `scratch` (at least MAX_ENCODED_FRAME_BYTES) avoids an allocation per
 * frame; the returned payload is a view on it.
 */
export function parseFrameBytes(block: Uint8Array, scratch: Uint8Array): RawFrame | FrameError {
  if (block.length > MAX_ENCODED_FRAME_BYTES) {
    return frameError('length', `frame of ${block.length} encoded bytes exceeds ${MAX_ENCODED_FRAME_BYTES}`);
  }
  const bodyLength = cobsDecodeInto(block, scratch);
  if (bodyLength < 0) return frameError('cobs', 'malformed COBS block');
  if (bodyLength < HEADER_BYTES + CRC_BYTES) {
    return frameError('length', `body of ${bodyLength} bytes is shorter than header and CRC`);
  }
  if (bodyLength > MAX_BODY_BYTES) {
    return frameError('length', `body of ${bodyLength} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  const crcWire = scratch[bodyLength - 2]! | (scratch[bodyLength - 1]! << 8);
  const crc = crc16CcittFalse(scratch, 0, bodyLength - CRC_BYTES);
  if (crc !== crcWire) {
    return frameError(
      'crc',
      `crc 0x${crcWire.toString(16).padStart(4, '0')} != computed 0x${crc.toString(16).padStart(4, '0')}`,
    );
  }
  const version = scratch[0]!;
  if (version !== PROTOCOL_VERSION) return frameError('version', `version ${version}, expected ${PROTOCOL_VERSION}`);
  const flags = scratch[4]!;
  if ((flags & ~FLAGS_DEFINED_MASK) !== 0) {
    return frameError('field', `reserved flag bits set: 0x${flags.toString(16).padStart(2, '0')}`);
  }
  return {
    ok: true,
    version,
    typeCode: scratch[1]!,
    seq: scratch[2]! | (scratch[3]! << 8),
    flags,
    payload: scratch.subarray(HEADER_BYTES, bodyLength - CRC_BYTES),
  };
}
