import {
  type FrameError,
  type RawFrame,
  MAX_ENCODED_FRAME_BYTES,
  encodeFrameBytes,
  frameError,
  parseFrameBytes,
} from '../framing/index.js';
import { CATALOGUE, type MessageName } from './catalogue/index.js';
import { type Direction, type FieldSpec, MAX_SAFE_U64, type MessageSpec, payloadBytes } from './field-spec.js';
import type { Message } from './message-types.js';

/** A decoded message, or why it could not be decoded. */
export type DecodeResult = { readonly ok: true; readonly message: Message } | FrameError;

/** Thrown by `encodeMessage` for a message that cannot be put on the wire (a caller bug). */
export class EncodeError extends Error {
  readonly code = 'encode';
  constructor(message: string) {
    super(message);
    this.name = 'EncodeError';
  }
}

interface CompiledField {
  readonly name: string;
  readonly offset: number;
  readonly spec: FieldSpec;
  readonly enumIndex: ReadonlyMap<string, number> | undefined;
}

interface CompiledMessage {
  readonly name: MessageName;
  readonly spec: MessageSpec;
  readonly payloadBytes: number;
  readonly fields: readonly CompiledField[];
}

const COMPILED = new Map<number, CompiledMessage>();
for (const [name, spec] of Object.entries(CATALOGUE) as [MessageName, MessageSpec][]) {
  let offset = 0;
  const fields: CompiledField[] = [];
  for (const field of spec.fields) {
    fields.push({
      name: field.name,
      offset,
      spec: field,
      enumIndex: field.kind === 'enum' ? new Map(field.values.map((v, i) => [v, i])) : undefined,
    });
    offset +=
      field.kind === 'enum' ? 1 : { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, u64: 8, f64: 8 }[field.kind];
  }
  COMPILED.set(spec.code, { name, spec, payloadBytes: payloadBytes(spec), fields });
}
const BY_NAME = new Map<string, CompiledMessage>([...COMPILED.values()].map((c) => [c.name, c]));

/**
 * Encode a message into its wire bytes (COBS body + 0x00 delimiter).
 * Throws EncodeError for an unknown type, a missing or non-finite field, an enum name not in
 * the catalogue, or an integer out of its range: those are programming errors, never input.
 */
export function encodeMessage(message: Message): Uint8Array {
  const compiled = BY_NAME.get(message.type);
  if (compiled === undefined) throw new EncodeError(`unknown message type ${String(message.type)}`);
  const payload = new Uint8Array(compiled.payloadBytes);
  const view = new DataView(payload.buffer);
  const record = message as unknown as Record<string, unknown>;
  for (const field of compiled.fields) {
    writeField(view, field, record[field.name], compiled.name);
  }
  checkInteger(message.seq, 0, 0xffff, `${compiled.name}.seq`);
  checkInteger(message.flags, 0, 0xff, `${compiled.name}.flags`);
  return encodeFrameBytes(compiled.spec.code, message.seq, message.flags, payload);
}

function checkInteger(value: number, min: number, max: number, where: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EncodeError(`${where}: ${value} is not an integer in [${min}, ${max}]`);
  }
}

const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  u64: [0, MAX_SAFE_U64],
  i8: [-0x80, 0x7f],
  i16: [-0x8000, 0x7fff],
  i32: [-0x80000000, 0x7fffffff],
};

function writeField(view: DataView, field: CompiledField, value: unknown, messageName: string): void {
  const where = `${messageName}.${field.name}`;
  const spec = field.spec;
  const at = field.offset;
  if (spec.kind === 'enum') {
    const index = typeof value === 'string' ? field.enumIndex!.get(value) : undefined;
    if (index === undefined) throw new EncodeError(`${where}: ${String(value)} is not one of ${spec.values.join('|')}`);
    view.setUint8(at, index);
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new EncodeError(`${where}: expected a finite number, got ${String(value)}`);
  }
  const range = INTEGER_RANGES[spec.kind];
  if (range !== undefined) checkInteger(value, range[0], range[1], where);
  switch (spec.kind) {
    case 'u8':
      view.setUint8(at, value);
      break;
    case 'i8':
      view.setInt8(at, value);
      break;
    case 'u16':
      view.setUint16(at, value, true);
      break;
    case 'i16':
      view.setInt16(at, value, true);
      break;
    case 'u32':
      view.setUint32(at, value, true);
      break;
    case 'i32':
      view.setInt32(at, value, true);
      break;
    case 'u64':
      view.setUint32(at, value % 0x1_0000_0000, true);
      view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
      break;
    case 'f32':
      view.setFloat32(at, value, true);
      break;
    case 'f64':
      view.setFloat64(at, value, true);
      break;
  }
}

/** Options of the decoders. */
export interface DecodeOptions {
  /**
   * Accept only messages a receiver on this side may get: 'device-to-host' for the host,
   * 'host-to-device' for a controller. Others are `unknown-type` (ICD-FRM-011). Default: any.
   */
  readonly receiving?: Exclude<Direction, 'both'>;
}

/** Decode the payload of a frame that passed the framing checks. */
export function decodeRawFrame(frame: RawFrame, options: DecodeOptions = {}): DecodeResult {
  const compiled = COMPILED.get(frame.typeCode);
  if (compiled === undefined)
    return frameError('unknown-type', `type code 0x${hex2(frame.typeCode)} is not in the catalogue`);
  const direction = compiled.spec.direction;
  if (options.receiving !== undefined && direction !== 'both' && direction !== options.receiving) {
    return frameError('unknown-type', `${compiled.name} is never sent ${options.receiving}`);
  }
  const payload = frame.payload;
  if (payload.length !== compiled.payloadBytes) {
    return frameError(
      'length',
      `${compiled.name} payload is ${payload.length} bytes, expected ${compiled.payloadBytes}`,
    );
  }
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const message: Record<string, unknown> = { type: compiled.name, seq: frame.seq, flags: frame.flags };
  for (const field of compiled.fields) {
    const at = field.offset;
    const spec = field.spec;
    let value: number | string;
    switch (spec.kind) {
      case 'enum': {
        const code = view.getUint8(at);
        const name = spec.values[code];
        if (name === undefined)
          return frameError('field', `${compiled.name}.${field.name}: code ${code} is not defined`);
        value = name;
        break;
      }
      case 'u8':
        value = view.getUint8(at);
        break;
      case 'i8':
        value = view.getInt8(at);
        break;
      case 'u16':
        value = view.getUint16(at, true);
        break;
      case 'i16':
        value = view.getInt16(at, true);
        break;
      case 'u32':
        value = view.getUint32(at, true);
        break;
      case 'i32':
        value = view.getInt32(at, true);
        break;
      case 'u64': {
        const high = view.getUint32(at + 4, true);
        if (high > 0x1fffff) return frameError('field', `${compiled.name}.${field.name}: u64 above 2^53-1`);
        value = high * 0x1_0000_0000 + view.getUint32(at, true);
        break;
      }
      case 'f32':
        value = view.getFloat32(at, true);
        break;
      case 'f64':
        value = view.getFloat64(at, true);
        break;
    }
    if (typeof value === 'number' && Number.isNaN(value)) {
      return frameError('field', `${compiled.name}.${field.name}: NaN`);
    }
    message[field.name] = value;
  }
  return { ok: true, message: message as unknown as Message };
}

const SHARED_SCRATCH = new Uint8Array(MAX_ENCODED_FRAME_BYTES);

/**
 * Decode one COBS block (the bytes between two delimiters, without them). Never throws.
 * Uses a module-level scratch buffer: the result holds no reference to it.
 */
export function decodeFrame(block: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const raw = parseFrameBytes(block, SHARED_SCRATCH);
  if (!raw.ok) return raw;
  return decodeRawFrame(raw, options);
}

/**
 * Decode the bytes of one frame as written on the wire, with or without its trailing 0x00
 * (the form of the golden vectors and of `shieldlink frames decode`).
 */
export function decodeWireFrame(wire: Uint8Array, options: DecodeOptions = {}): DecodeResult {
  const end = wire.length > 0 && wire[wire.length - 1] === 0 ? wire.length - 1 : wire.length;
  const block = wire.subarray(0, end);
  if (block.includes(0)) return frameError('cobs', 'delimiter inside frame');
  if (block.length === 0) return frameError('length', 'empty frame');
  return decodeFrame(block, options);
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}
