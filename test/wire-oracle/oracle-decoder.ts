import type { IcdMessage, IcdTables } from './icd-tables.js';

/**
 * An independent decoder of one frame, written from docs/protocol.md alone (sections 3 and 4,
 * the message catalogue): COBS from §3.1's prose, the CRC from §3.2's parameters, the checks in
 * §3.4's order, the payload from each message's field table. It imports nothing of src/.
 */

export type OracleResult =
  | { readonly ok: true; readonly message: Record<string, unknown> & { type: string; seq: number; flags: number } }
  | { readonly ok: false; readonly error: string };

/** §3.1: code byte c, copy c − 1 bytes, then a 0x00 unless c is 0xFF or the block ended. */
function cobsDecode(block: Uint8Array): Uint8Array | undefined {
  const out: number[] = [];
  let i = 0;
  while (i < block.length) {
    const code = block[i]!;
    if (code === 0) return undefined;
    if (i + code > block.length) return undefined;
    for (let k = 1; k < code; k++) {
      const byte = block[i + k]!;
      if (byte === 0) return undefined;
      out.push(byte);
    }
    i += code;
    if (code !== 0xff && i < block.length) out.push(0);
  }
  return Uint8Array.from(out);
}

/** §3.2, bitwise, from the table's parameters (not reflected, no final XOR). */
export function oracleCrc(tables: IcdTables, bytes: Uint8Array): number {
  let crc = tables.crcInitial;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ tables.crcPolynomial) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

const MAX_U64 = 2 ** 53 - 1;

function readField(view: DataView, at: number, type: string): number {
  switch (type) {
    case 'u8':
    case 'enum':
      return view.getUint8(at);
    case 'u16':
      return view.getUint16(at, true);
    case 'u32':
      return view.getUint32(at, true);
    case 'u64':
      return Number(view.getBigUint64(at, true));
    case 'i8':
      return view.getInt8(at);
    case 'i16':
      return view.getInt16(at, true);
    case 'i32':
      return view.getInt32(at, true);
    case 'f32':
      return view.getFloat32(at, true);
    case 'f64':
      return view.getFloat64(at, true);
    default:
      throw new Error(`docs/protocol.md names a type the oracle does not know: ${type}`);
  }
}

function decodePayload(spec: IcdMessage, payload: Uint8Array): Record<string, unknown> | string {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const fields: Record<string, unknown> = {};
  for (const field of spec.fields) {
    const value = readField(view, field.offset, field.type);
    if (field.type === 'u64' && value > MAX_U64) return 'field';
    if ((field.type === 'f32' || field.type === 'f64') && !Number.isFinite(value)) return 'field';
    if (field.type === 'enum') {
      const name = field.codes?.get(value);
      if (name === undefined) return 'field';
      fields[field.name] = name;
    } else fields[field.name] = value;
  }
  return fields;
}

/**
 * Decode the bytes of one frame as written on the wire, with or without its trailing 0x00.
 * Errors are §3.4's codes, checked in its order.
 */
export function oracleDecode(tables: IcdTables, wire: Uint8Array): OracleResult {
  const block = wire.length > 0 && wire[wire.length - 1] === 0 ? wire.subarray(0, wire.length - 1) : wire;
  if (block.length > tables.maxBlockBytes) return { ok: false, error: 'length' };
  const body = cobsDecode(block);
  if (body === undefined) return { ok: false, error: 'cobs' };
  if (body.length < tables.minBodyBytes || body.length > tables.maxBodyBytes) return { ok: false, error: 'length' };
  const crcWire = body[body.length - 2]! | (body[body.length - 1]! << 8);
  if (oracleCrc(tables, body.subarray(0, body.length - 2)) !== crcWire) return { ok: false, error: 'crc' };
  if (body[0] !== tables.version) return { ok: false, error: 'version' };
  const flags = body[4]!;
  if ((flags & tables.reservedFlagsMask) !== 0) return { ok: false, error: 'field' };
  const spec = tables.messages.get(body[1]!);
  if (spec === undefined) return { ok: false, error: 'unknown-type' };
  const payload = body.subarray(5, body.length - 2);
  if (payload.length !== spec.payloadBytes) return { ok: false, error: 'length' };
  const fields = decodePayload(spec, payload);
  if (typeof fields === 'string') return { ok: false, error: fields };
  return { ok: true, message: { type: spec.name, seq: body[2]! | (body[3]! << 8), flags, ...fields } };
}
