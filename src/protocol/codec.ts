import {
  CRC_BYTES,
  FLAGS_DEFINED_MASK,
  FRAME_DELIMITER,
  type FrameError,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  PROTOCOL_VERSION,
  type RawFrame,
  cobsDecodeInto,
  cobsEncodeInto,
  cobsMaxEncodedLength,
  crc16CcittFalse,
  frameError,
} from '../framing/index.js';
import { CATALOGUE, type MessageName } from './catalogue/index.js';
import { type MessageCodec, compileMessageCodec } from './compile-message-codec.js';
import { EncodeError } from './encode-error.js';
import type { Direction, MessageSpec } from './field-spec.js';
import type { Message, MessageBody } from './message-types.js';

export { EncodeError } from './encode-error.js';

/** A decoded message, or why it could not be decoded. */
export type DecodeResult = { readonly ok: true; readonly message: Message } | FrameError;

/** Options of the decoders. */
export interface DecodeOptions {
  /**
   * Accept only messages a receiver on this side may get: 'device-to-host' for the host,
   * 'host-to-device' for a controller. Others are `unknown-type` (ICD-FRM-011). Default: any.
   */
  readonly receiving?: Exclude<Direction, 'both'>;
}

/** Codecs indexed by type code (a dense 256-slot table: one array load per frame). */
const BY_CODE: (MessageCodec | undefined)[] = new Array<MessageCodec | undefined>(256).fill(undefined);
const BY_NAME = new Map<string, MessageCodec>();
for (const [name, spec] of Object.entries(CATALOGUE) as [MessageName, MessageSpec][]) {
  const codec = compileMessageCodec(name, spec);
  BY_CODE[spec.code] = codec;
  BY_NAME.set(name, codec);
}

/**
 * Scratch space of the codec. JavaScript runs one call at a time and no function here
 * yields, so one module-level buffer serves every call; results never reference it.
 */
const DECODE_SCRATCH = new Uint8Array(MAX_ENCODED_FRAME_BYTES);
const DECODE_VIEW = new DataView(DECODE_SCRATCH.buffer);
const ENCODE_BODY = new Uint8Array(MAX_BODY_BYTES);
const ENCODE_VIEW = new DataView(ENCODE_BODY.buffer);
const ENCODE_WIRE = new Uint8Array(cobsMaxEncodedLength(MAX_BODY_BYTES) + 1);
const NO_OPTIONS: DecodeOptions = {};

/**
 * Encode a message into its wire bytes: COBS(body) followed by 0x00 (ICD-FRM-001).
 * Throws EncodeError for an unknown type, a missing or non-finite field, an f32 value beyond
 * the f32 range, an enum name not in the catalogue, an integer out of its range, a seq outside
 * 0..65535 or flags with a reserved bit (ICD-FRM-007): programming errors, never input.
 * Floats are rounded to the nearest f32 for f32 fields.
 */
export function encodeMessage(message: Message): Uint8Array {
  return encodeFrame(message, message.seq, message.flags);
}

/**
 * `encodeMessage({ ...body, seq, flags })` without building that object (senders that number
 * frames themselves: one allocation less per frame). Same bytes, same checks.
 */
export function encodeFrame(fields: MessageBody, seq: number, flags: number): Uint8Array {
  const codec = typeof fields.type === 'string' ? BY_NAME.get(fields.type) : undefined;
  if (codec === undefined) throw new EncodeError(`unknown message type ${String(fields.type)}`);
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > 0xffff) {
    throw new EncodeError(`${codec.name}.seq: ${String(seq)} is not an integer in [0, 65535]`);
  }
  if (typeof flags !== 'number' || !Number.isInteger(flags) || flags < 0 || (flags & ~FLAGS_DEFINED_MASK) !== 0) {
    throw new EncodeError(`${codec.name}.flags: ${String(flags)} sets a reserved bit (ICD-FRM-007)`);
  }
  // encodeInto reads the payload fields by name only: a body serves as well as a message.
  codec.encodeInto(fields as Message, ENCODE_BODY, ENCODE_VIEW, HEADER_BYTES);
  const body = ENCODE_BODY;
  const bodyLength = HEADER_BYTES + codec.payloadBytes + CRC_BYTES;
  body[0] = PROTOCOL_VERSION;
  body[1] = codec.spec.code;
  body[2] = seq;
  body[3] = seq >> 8;
  body[4] = flags;
  const crc = crc16CcittFalse(body, 0, bodyLength - CRC_BYTES);
  body[bodyLength - 2] = crc;
  body[bodyLength - 1] = crc >> 8;
  const end = cobsEncodeInto(body.subarray(0, bodyLength), ENCODE_WIRE, 0);
  ENCODE_WIRE[end] = FRAME_DELIMITER;
  return ENCODE_WIRE.slice(0, end + 1);
}

/** Decode the payload of a frame that passed the framing checks (see parseFrameBytes). */
export function decodeRawFrame(frame: RawFrame, options: DecodeOptions = NO_OPTIONS): DecodeResult {
  const codec = BY_CODE[frame.typeCode & 0xff];
  const problem = checkType(codec, frame.typeCode, frame.payload.length, options);
  if (problem !== undefined) return problem;
  const payload = frame.payload;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return codec!.decode(payload, view, 0, frame.seq, frame.flags);
}

/**
 * Decode one COBS block (the bytes between two delimiters, without them). Never throws.
 * The checks and their order are those of parseFrameBytes followed by decodeRawFrame, fused
 * so a frame costs no allocation besides the message itself.
 */
export function decodeFrame(block: Uint8Array, options: DecodeOptions = NO_OPTIONS): DecodeResult {
  if (block.length > MAX_ENCODED_FRAME_BYTES) {
    return frameError('length', `frame of ${block.length} encoded bytes exceeds ${MAX_ENCODED_FRAME_BYTES}`);
  }
  const body = DECODE_SCRATCH;
  const bodyLength = cobsDecodeInto(block, body);
  if (bodyLength < 0) {
    return frameError('cobs', block.includes(FRAME_DELIMITER) ? 'delimiter inside frame' : 'malformed COBS block');
  }
  if (bodyLength < HEADER_BYTES + CRC_BYTES) {
    return frameError('length', `body of ${bodyLength} bytes is shorter than header and CRC`);
  }
  if (bodyLength > MAX_BODY_BYTES) {
    return frameError('length', `body of ${bodyLength} bytes exceeds ${MAX_BODY_BYTES}`);
  }
  const crcWire = body[bodyLength - 2]! | (body[bodyLength - 1]! << 8);
  const crc = crc16CcittFalse(body, 0, bodyLength - CRC_BYTES);
  if (crc !== crcWire) return frameError('crc', `crc 0x${hex(crcWire, 4)} != computed 0x${hex(crc, 4)}`);
  const version = body[0]!;
  if (version !== PROTOCOL_VERSION) return frameError('version', `version ${version}, expected ${PROTOCOL_VERSION}`);
  const flags = body[4]!;
  if ((flags & ~FLAGS_DEFINED_MASK) !== 0) return frameError('field', `reserved flag bits set: 0x${hex(flags, 2)}`);
  const typeCode = body[1]!;
  const codec = BY_CODE[typeCode];
  const problem = checkType(codec, typeCode, bodyLength - HEADER_BYTES - CRC_BYTES, options);
  if (problem !== undefined) return problem;
  return codec!.decode(body, DECODE_VIEW, HEADER_BYTES, body[2]! | (body[3]! << 8), flags);
}

/**
 * Decode the bytes of one frame as written on the wire, with or without its trailing 0x00
 * (the form of the golden vectors and of `shieldlink frames decode`). Never throws.
 */
export function decodeWireFrame(wire: Uint8Array, options: DecodeOptions = NO_OPTIONS): DecodeResult {
  const end = wire.length > 0 && wire[wire.length - 1] === FRAME_DELIMITER ? wire.length - 1 : wire.length;
  if (end === 0) return frameError('length', 'empty frame');
  return decodeFrame(end === wire.length ? wire : wire.subarray(0, end), options);
}

/** The codec of a message name (for tools that walk the catalogue), or undefined. */
export function messageCodec(name: string): MessageCodec | undefined {
  return BY_NAME.get(name);
}

/** ICD-FRM-011 (type and direction) and ICD-FRM-008 (payload size). */
function checkType(
  codec: MessageCodec | undefined,
  typeCode: number,
  payloadLength: number,
  options: DecodeOptions,
): FrameError | undefined {
  if (codec === undefined) return frameError('unknown-type', `type code 0x${hex(typeCode, 2)} is not in the catalogue`);
  const direction = codec.spec.direction;
  if (options.receiving !== undefined && direction !== 'both' && direction !== options.receiving) {
    return frameError('unknown-type', `${codec.name} is never sent ${options.receiving}`);
  }
  if (payloadLength !== codec.payloadBytes) {
    return frameError('length', `${codec.name} payload is ${payloadLength} bytes, expected ${codec.payloadBytes}`);
  }
  return undefined;
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}
