/**
 * ASTERIX item structures as data (EUROCONTROL ASTERIX Part 1, §4 "Data item formats"): the
 * category tables in `categories/` are written with these types, and one generic decoder and one
 * generic encoder read them, as the serial ICD's catalogue is read by its codecs.
 */

/** How a field's bits are read. */
export type FieldKind =
  /** unsigned integer, times `lsb` when given (spec units) */
  | 'u'
  /** two's-complement signed integer, times `lsb` when given */
  | 'i'
  /** ICAO 6-bit characters (Annex 10 IA-5 subset), 6 bits each */
  | 'icao6'
  /** 8-bit ASCII characters */
  | 'ascii'
  /** raw bits printed as a hexadecimal string `0x…` (for fields wider than 48 bits) */
  | 'hex'
  /** spare bits: not printed, written as 0 */
  | 'spare';

/** One field: `bits` wide, most significant bit first, in the order the specification lists. */
export interface FieldSpec {
  readonly name: string;
  readonly bits: number;
  readonly kind: FieldKind;
  /** Value of the least significant bit in the field's unit (`u`/`i` only); absent = raw integer. */
  readonly lsb?: number;
  /** The field's unit as the specification states it, for documentation. */
  readonly unit?: string;
}

/** A fixed-length item: `fields` fill exactly `bytes` octets. */
export interface FixedItem {
  readonly kind: 'fixed';
  readonly bytes: number;
  readonly fields: readonly FieldSpec[];
}

/**
 * An extended item: a first part of `partBytes[0]` octets, then extents (`partBytes[1]`,
 * `partBytes[2]`, … and the last size repeats) while the least significant bit (FX) of the
 * current part is 1. `parts[k]` lists the fields of part k without its FX bit; parts beyond
 * `parts` are read by their FX bits and skipped.
 */
export interface ExtendedItem {
  readonly kind: 'extended';
  readonly partBytes: readonly number[];
  readonly parts: readonly (readonly FieldSpec[])[];
}

/** A repetitive item: one octet REP, then REP elements of the fixed `element`. Printed as an array. */
export interface RepetitiveItem {
  readonly kind: 'repetitive';
  readonly element: FixedItem;
}

/**
 * A repetitive item whose elements end in FX instead of a REP count (I048/030): each element is
 * `element.bytes` octets with `element.fields` excluding the FX bit. Printed as an array.
 */
export interface RepetitiveFxItem {
  readonly kind: 'repetitive-fx';
  readonly element: FixedItem;
}

/** An explicit item: one length octet (counting itself), then the contents, printed as `{"VALUE":"0x…"}`. */
export interface ExplicitItem {
  readonly kind: 'explicit';
}

/** A subfield of a compound item: its name and structure (never compound itself). */
export interface CompoundSubfield {
  readonly name: string;
  readonly item: FixedItem | ExtendedItem | RepetitiveItem | RepetitiveFxItem | ExplicitItem;
}

/**
 * A compound item: a primary subfield of presence bits (7 per octet, FX-extended), subfield i
 * present when bit i is set; `subfields[i]` null is a spare bit (a set spare bit makes the record
 * malformed: its length is unknown).
 */
export interface CompoundItem {
  readonly kind: 'compound';
  readonly subfields: readonly (CompoundSubfield | null)[];
}

export type ItemStructure = FixedItem | ExtendedItem | RepetitiveItem | RepetitiveFxItem | ExplicitItem | CompoundItem;

/** One data item of a category: `id` is its spec number ("010") or "SP"/"RE". */
export interface ItemSpec {
  readonly id: string;
  readonly title: string;
  readonly structure: ItemStructure;
}

/**
 * One category's User Application Profile: `uap[frn - 1]` is the item at that field reference
 * number, null for a spare FRN (set in an FSPEC = malformed record).
 */
export interface CategorySpec {
  readonly category: number;
  readonly edition: string;
  readonly title: string;
  readonly uap: readonly (ItemSpec | null)[];
}

// ---- builders, so the tables read like the specification ----

export function u(name: string, bits: number, lsb?: number, unit?: string): FieldSpec {
  return lsb === undefined ? { name, bits, kind: 'u' } : { name, bits, kind: 'u', lsb, ...(unit ? { unit } : {}) };
}
export function i(name: string, bits: number, lsb?: number, unit?: string): FieldSpec {
  return lsb === undefined ? { name, bits, kind: 'i' } : { name, bits, kind: 'i', lsb, ...(unit ? { unit } : {}) };
}
export function spare(bits: number): FieldSpec {
  return { name: '', bits, kind: 'spare' };
}
export function icao6(name: string, bits: number): FieldSpec {
  return { name, bits, kind: 'icao6' };
}
export function ascii(name: string, bits: number): FieldSpec {
  return { name, bits, kind: 'ascii' };
}
export function hex(name: string, bits: number): FieldSpec {
  return { name, bits, kind: 'hex' };
}
export function fixed(bytes: number, ...fields: FieldSpec[]): FixedItem {
  return { kind: 'fixed', bytes, fields };
}
/** A fixed item of unstructured octets (decoded as one hex field `VALUE`). */
export function raw(bytes: number): FixedItem {
  return fixed(bytes, bytes * 8 > 48 ? hex('VALUE', bytes * 8) : u('VALUE', bytes * 8));
}
export function extended(partBytes: readonly number[], ...parts: FieldSpec[][]): ExtendedItem {
  return { kind: 'extended', partBytes, parts };
}
export function repetitive(element: FixedItem): RepetitiveItem {
  return { kind: 'repetitive', element };
}
export function repetitiveFx(element: FixedItem): RepetitiveFxItem {
  return { kind: 'repetitive-fx', element };
}
export const EXPLICIT: ExplicitItem = { kind: 'explicit' };
export function compound(...subfields: (CompoundSubfield | null)[]): CompoundItem {
  return { kind: 'compound', subfields };
}
export function sub(name: string, item: CompoundSubfield['item']): CompoundSubfield {
  return { name, item };
}
export function item(id: string, title: string, structure: ItemStructure): ItemSpec {
  return { id, title, structure };
}

/** Bits a fixed item's fields add up to (tables are checked against `bytes * 8` by the tests). */
export function fieldBits(fields: readonly FieldSpec[]): number {
  let total = 0;
  for (const field of fields) total += field.bits;
  return total;
}
