/**
 * Writing records and data blocks from decoded values (the inverse of the decoder, by the same
 * tables). Values are in spec units and rounded to the nearest LSB; a value that does not fit its
 * field, an unknown item or field, or a block over 65,535 octets throws `AsterixEncodeError`
 * (a caller bug: the output is never silently wrong).
 */
import type { AsterixFields, AsterixRecordInput, AsterixValue } from './asterix-record.js';
import { icao6Code, writeBits, writeHex } from './bits.js';
import { CATEGORIES } from './categories/index.js';
import type { CategorySpec, CompoundItem, FieldSpec, FixedItem, ItemStructure } from './item-spec.js';

/** A value the tables cannot put on the wire. */
export class AsterixEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AsterixEncodeError';
  }
}

/** Growable output buffer. */
class Writer {
  bytes = new Uint8Array(256);
  length = 0;
  reserve(count: number): number {
    if (this.length + count > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + count));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    const at = this.length;
    this.bytes.fill(0, at, at + count);
    this.length += count;
    return at;
  }
}

function fieldRaw(field: FieldSpec, value: AsterixValue | undefined, where: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new AsterixEncodeError(`${where}: expected a finite number, got ${JSON.stringify(value)}`);
  const raw = Math.round(field.lsb === undefined ? value : value / field.lsb);
  const min = field.kind === 'i' ? -(2 ** (field.bits - 1)) : 0;
  const max = field.kind === 'i' ? 2 ** (field.bits - 1) - 1 : 2 ** field.bits - 1;
  if (raw < min || raw > max) {
    const scale = field.lsb ?? 1;
    throw new AsterixEncodeError(`${where}: ${value} is outside [${min * scale}, ${max * scale}]`);
  }
  return raw < 0 ? raw + 2 ** field.bits : raw;
}

function writeFields(
  out: Writer,
  at: number,
  fields: readonly FieldSpec[],
  values: AsterixFields,
  where: string,
): void {
  let bit = at * 8;
  for (const field of fields) {
    const value = values[field.name];
    const here = `${where}/${field.name}`;
    switch (field.kind) {
      case 'spare':
        break;
      case 'u':
      case 'i':
        writeBits(out.bytes, bit, field.bits, fieldRaw(field, value, here));
        break;
      case 'icao6':
      case 'ascii': {
        const text = value === undefined ? '' : value;
        if (typeof text !== 'string') throw new AsterixEncodeError(`${here}: expected a string`);
        const width = field.kind === 'icao6' ? 6 : 8;
        const chars = field.bits / width;
        if (text.length > chars) throw new AsterixEncodeError(`${here}: "${text}" is longer than ${chars} characters`);
        const padded = text.padEnd(chars, ' ');
        for (let n = 0; n < chars; n++) {
          const code = width === 6 ? icao6Code(padded[n]!) : padded.charCodeAt(n) & 0xff;
          writeBits(out.bytes, bit + n * width, width, code);
        }
        break;
      }
      case 'hex': {
        if (value === undefined) break;
        if (typeof value !== 'string' || !/^0x[0-9a-fA-F]+$/.test(value))
          throw new AsterixEncodeError(`${here}: expected "0x…"`);
        const big = BigInt(value);
        if (big >> BigInt(field.bits) !== 0n)
          throw new AsterixEncodeError(`${here}: ${value} is wider than ${field.bits} bits`);
        writeHex(out.bytes, bit, field.bits, big);
        break;
      }
    }
    bit += field.bits;
  }
}

function namesOf(fields: readonly FieldSpec[]): string[] {
  return fields.filter((field) => field.kind !== 'spare').map((field) => field.name);
}

function checkKnown(values: AsterixFields, known: readonly string[], where: string): void {
  for (const name of Object.keys(values)) {
    if (!known.includes(name))
      throw new AsterixEncodeError(`${where}: unknown field ${name} (known: ${known.join(', ')})`);
  }
}

function asFields(value: AsterixValue, where: string): AsterixFields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AsterixEncodeError(`${where}: expected an object of fields`);
  return value;
}

function writeFixed(out: Writer, spec: FixedItem, value: AsterixValue, where: string, fxLast = false): number {
  const values = asFields(value, where);
  checkKnown(values, namesOf(spec.fields), where);
  const at = out.reserve(spec.bytes);
  writeFields(out, at, spec.fields, values, where);
  return fxLast ? at + spec.bytes - 1 : at;
}

/** Append one item's octets. */
function writeItem(out: Writer, structure: ItemStructure, value: AsterixValue, where: string): void {
  switch (structure.kind) {
    case 'fixed':
      writeFixed(out, structure, value, where);
      return;
    case 'extended': {
      const values = asFields(value, where);
      checkKnown(values, namesOf(structure.parts.flat()), where);
      let lastPart = 0;
      structure.parts.forEach((fields, index) => {
        if (fields.some((field) => field.kind !== 'spare' && values[field.name] !== undefined)) lastPart = index;
      });
      for (let part = 0; part <= lastPart; part++) {
        const size = structure.partBytes[Math.min(part, structure.partBytes.length - 1)]!;
        const at = out.reserve(size);
        writeFields(out, at, structure.parts[part]!, values, where);
        if (part < lastPart) out.bytes[at + size - 1]! |= 1;
      }
      return;
    }
    case 'repetitive':
    case 'repetitive-fx': {
      if (!Array.isArray(value)) throw new AsterixEncodeError(`${where}: expected an array`);
      if (structure.kind === 'repetitive') {
        if (value.length > 255) throw new AsterixEncodeError(`${where}: ${value.length} repetitions, at most 255`);
        const at = out.reserve(1); // reserve first: it may replace out.bytes
        out.bytes[at] = value.length;
      } else if (value.length === 0) {
        throw new AsterixEncodeError(`${where}: at least one element`);
      }
      value.forEach((element, n) => {
        const last = writeFixed(out, structure.element, element, `${where}[${n}]`, true);
        if (structure.kind === 'repetitive-fx' && n < value.length - 1) out.bytes[last]! |= 1;
      });
      return;
    }
    case 'explicit': {
      const values = asFields(value, where);
      const text = values['VALUE'];
      if (typeof text !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(text))
        throw new AsterixEncodeError(`${where}: expected {"VALUE":"0x…"} of whole octets`);
      const octets = (text.length - 2) / 2;
      if (octets > 254) throw new AsterixEncodeError(`${where}: explicit item longer than 255 octets`);
      const at = out.reserve(octets + 1);
      out.bytes[at] = octets + 1;
      for (let n = 0; n < octets; n++) out.bytes[at + 1 + n] = parseInt(text.slice(2 + 2 * n, 4 + 2 * n), 16);
      return;
    }
    case 'compound':
      writeCompound(out, structure, value, where);
      return;
  }
}

function writeCompound(out: Writer, spec: CompoundItem, value: AsterixValue, where: string): void {
  const values = asFields(value, where);
  const present: number[] = [];
  for (const name of Object.keys(values)) {
    const index = spec.subfields.findIndex((sub) => sub?.name === name);
    if (index < 0) throw new AsterixEncodeError(`${where}: unknown subfield ${name}`);
    present.push(index);
  }
  present.sort((a, b) => a - b);
  if (present.length === 0) throw new AsterixEncodeError(`${where}: a compound item needs at least one subfield`);
  const primaryOctets = Math.floor(present[present.length - 1]! / 7) + 1;
  const at = out.reserve(primaryOctets);
  for (const index of present) out.bytes[at + Math.floor(index / 7)]! |= 1 << (7 - (index % 7));
  for (let octet = 0; octet < primaryOctets - 1; octet++) out.bytes[at + octet]! |= 1;
  for (const index of present) {
    const sub = spec.subfields[index]!;
    let subValue = values[sub.name]!;
    if (sub.item.kind === 'fixed' && typeof subValue !== 'object') {
      const named = namesOf(sub.item.fields);
      subValue = { [named[0]!]: subValue };
    }
    writeItem(out, sub.item, subValue, `${where}/${sub.name}`);
  }
}

function writeRecord(out: Writer, spec: CategorySpec, record: AsterixRecordInput): void {
  const cat = String(spec.category).padStart(3, '0');
  const items: ReadonlyMap<string, AsterixValue> =
    record.items instanceof Map ? record.items : new Map(Object.entries(record.items));
  const frns: number[] = [];
  for (const id of items.keys()) {
    const index = spec.uap.findIndex((item) => item?.id === id);
    if (index < 0) throw new AsterixEncodeError(`CAT${cat}: no item ${id} in the UAP`);
    frns.push(index);
  }
  if (frns.length === 0) throw new AsterixEncodeError(`CAT${cat}: a record needs at least one item`);
  frns.sort((a, b) => a - b);
  const fspecOctets = Math.floor(frns[frns.length - 1]! / 7) + 1;
  const at = out.reserve(fspecOctets);
  for (const index of frns) out.bytes[at + Math.floor(index / 7)]! |= 1 << (7 - (index % 7));
  for (let octet = 0; octet < fspecOctets - 1; octet++) out.bytes[at + octet]! |= 1;
  for (const index of frns) {
    const item = spec.uap[index]!;
    writeItem(out, item.structure, items.get(item.id)!, `I${cat}/${item.id}`);
  }
}

/**
 * One data block (`CAT LEN records…`) of `records`, all of `category`. Throws AsterixEncodeError
 * for an unknown category, a record of another category or a value that does not fit.
 */
export function encodeBlock(
  category: number,
  records: readonly AsterixRecordInput[],
  categories: ReadonlyMap<number, CategorySpec> = CATEGORIES,
): Uint8Array {
  const spec = categories.get(category);
  if (!spec) throw new AsterixEncodeError(`no table for CAT${category}`);
  const out = new Writer();
  out.reserve(3);
  for (const record of records) {
    if (record.category !== category)
      throw new AsterixEncodeError(`a CAT${record.category} record in a CAT${category} block`);
    writeRecord(out, spec, record);
  }
  if (out.length > 0xffff) throw new AsterixEncodeError(`block of ${out.length} octets exceeds 65,535`);
  out.bytes[0] = category;
  out.bytes[1] = out.length >>> 8;
  out.bytes[2] = out.length & 0xff;
  return out.bytes.slice(0, out.length);
}
