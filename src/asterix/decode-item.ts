/**
 * Reading one item by its structure (ASTERIX Part 1 §4: fixed, extended, repetitive, explicit,
 * compound). Every read checks the bound first; running past `end` throws `AsterixFormatError`,
 * which the block decoder turns into a counted, dropped block.
 */
import type { AsterixFields, AsterixErrorKind, AsterixValue } from './asterix-record.js';
import { readBits, readHex, readIcao6 } from './bits.js';
import type { CompoundItem, FieldSpec, FixedItem, ItemStructure } from './item-spec.js';

/** Thrown inside the decoder only; the block decoder catches it. */
export class AsterixFormatError extends Error {
  constructor(
    readonly kind: AsterixErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AsterixFormatError';
  }
}

/** Cursor over one block: the item readers advance `pos`, never beyond `end`. */
export interface Cursor {
  pos: number;
  end: number;
}

function need(cursor: Cursor, bytes: number, what: string): void {
  if (cursor.pos + bytes > cursor.end) {
    throw new AsterixFormatError(
      'record-overrun',
      `${what} needs ${bytes} octets at ${cursor.pos}, block ends at ${cursor.end}`,
    );
  }
}

function readField(bytes: Uint8Array, bitPos: number, field: FieldSpec): AsterixValue {
  switch (field.kind) {
    case 'u': {
      const raw = readBits(bytes, bitPos, field.bits);
      return field.lsb === undefined ? raw : raw * field.lsb;
    }
    case 'i': {
      let raw = readBits(bytes, bitPos, field.bits);
      if (raw >= 2 ** (field.bits - 1)) raw -= 2 ** field.bits;
      return field.lsb === undefined ? raw : raw * field.lsb;
    }
    case 'icao6':
      return readIcao6(bytes, bitPos, field.bits);
    case 'ascii': {
      let text = '';
      for (let bit = bitPos; bit < bitPos + field.bits; bit += 8) text += String.fromCharCode(readBits(bytes, bit, 8));
      return text;
    }
    case 'hex':
      return readHex(bytes, bitPos, field.bits);
    default:
      return 0;
  }
}

/** Read `fields` from `bitPos` into `into`; returns the bit position after them. */
function readFields(bytes: Uint8Array, bitPos: number, fields: readonly FieldSpec[], into: AsterixFields): number {
  let bit = bitPos;
  for (const field of fields) {
    if (field.kind !== 'spare') into[field.name] = readField(bytes, bit, field);
    bit += field.bits;
  }
  return bit;
}

function readFixed(bytes: Uint8Array, cursor: Cursor, spec: FixedItem, what: string): AsterixFields {
  need(cursor, spec.bytes, what);
  const out: AsterixFields = {};
  readFields(bytes, cursor.pos * 8, spec.fields, out);
  cursor.pos += spec.bytes;
  return out;
}

/** Read an item of any structure at the cursor. */
export function readItem(bytes: Uint8Array, cursor: Cursor, structure: ItemStructure, what: string): AsterixValue {
  switch (structure.kind) {
    case 'fixed':
      return readFixed(bytes, cursor, structure, what);
    case 'extended': {
      const out: AsterixFields = {};
      for (let part = 0; ; part++) {
        const size = structure.partBytes[Math.min(part, structure.partBytes.length - 1)]!;
        need(cursor, size, what);
        const fields = structure.parts[part];
        if (fields) readFields(bytes, cursor.pos * 8, fields, out);
        cursor.pos += size;
        if ((bytes[cursor.pos - 1]! & 1) === 0) return out;
      }
    }
    case 'repetitive': {
      need(cursor, 1, what);
      const count = bytes[cursor.pos++]!;
      const out: AsterixValue[] = [];
      for (let n = 0; n < count; n++) out.push(readFixed(bytes, cursor, structure.element, what));
      return out;
    }
    case 'repetitive-fx': {
      const out: AsterixValue[] = [];
      for (;;) {
        const element = readFixed(bytes, cursor, structure.element, what);
        out.push(element);
        if ((bytes[cursor.pos - 1]! & 1) === 0) return out;
      }
    }
    case 'explicit': {
      need(cursor, 1, what);
      const length = bytes[cursor.pos]!;
      if (length < 1) throw new AsterixFormatError('malformed-item', `${what}: explicit length 0`);
      need(cursor, length, what);
      const value = length > 1 ? readHex(bytes, (cursor.pos + 1) * 8, (length - 1) * 8) : '0x';
      cursor.pos += length;
      return { VALUE: value };
    }
    case 'compound':
      return readCompound(bytes, cursor, structure, what);
  }
}

function readCompound(bytes: Uint8Array, cursor: Cursor, spec: CompoundItem, what: string): AsterixFields {
  const primaryStart = cursor.pos;
  do {
    need(cursor, 1, what);
    cursor.pos++;
  } while ((bytes[cursor.pos - 1]! & 1) !== 0);
  const out: AsterixFields = {};
  const primaryBits = (cursor.pos - primaryStart) * 7;
  for (let index = 0; index < primaryBits; index++) {
    const octet = bytes[primaryStart + Math.floor(index / 7)]!;
    if (((octet >>> (7 - (index % 7))) & 1) === 0) continue;
    const subfield = spec.subfields[index];
    if (!subfield) throw new AsterixFormatError('undefined-item', `${what}: subfield ${index + 1} is not defined`);
    const value = readItem(bytes, cursor, subfield.item, `${what}/${subfield.name}`);
    out[subfield.name] = singleFieldValue(subfield.item, value);
  }
  return out;
}

/** A subfield holding exactly one named field prints as that field's value. */
function singleFieldValue(structure: ItemStructure, value: AsterixValue): AsterixValue {
  if (structure.kind !== 'fixed') return value;
  const named = structure.fields.filter((field) => field.kind !== 'spare');
  if (named.length !== 1) return value;
  return (value as AsterixFields)[named[0]!.name]!;
}

export { singleFieldValue };
