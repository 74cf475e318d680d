/**
 * Field and message descriptors: the message catalogue is data (docs/decisions/0001-catalogue-as-data.md), so the ICD,
 * the codecs, the golden vectors and the conformance checks all read the same tables.
 */

/** Fixed-width numeric wire types, all little-endian (ICD-FRM-006). */
export type NumericKind = 'u8' | 'u16' | 'u32' | 'u64' | 'i8' | 'i16' | 'i32' | 'f32' | 'f64';

/** Bytes on the wire per numeric kind. */
export const NUMERIC_KIND_BYTES: Readonly<Record<NumericKind, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  u64: 8,
  i8: 1,
  i16: 2,
  i32: 4,
  f32: 4,
  f64: 8,
};

/** A numeric field. `unit` repeats the unit in the name (`rangeM` → 'm') for the ICD. */
export interface NumericFieldSpec {
  readonly name: string;
  readonly kind: NumericKind;
  readonly unit?: string;
  readonly doc: string;
}

/** An enumeration carried as one u8: `values[code]` is the name; other codes are invalid. */
export interface EnumFieldSpec {
  readonly name: string;
  readonly kind: 'enum';
  readonly values: readonly string[];
  readonly doc: string;
}

export type FieldSpec = NumericFieldSpec | EnumFieldSpec;

/** Which controller a message belongs to. */
export type DeviceFamily = 'common' | 'radar' | 'launcher';
/** Who sends it. */
export type Direction = 'host-to-device' | 'device-to-host' | 'both';

/** One message type of the catalogue. */
export interface MessageSpec {
  /** Type code in the frame header, unique across the catalogue. */
  readonly code: number;
  readonly family: DeviceFamily;
  readonly direction: Direction;
  /** What the message means. */
  readonly doc: string;
  /** When it is sent. */
  readonly sentWhen: string;
  /** What the receiver answers, e.g. 'ACK or NAK' or 'none'. */
  readonly reply: string;
  /** Whether the sender sets FLAG_ACK_REQUESTED and retransmits until ACK/NAK. */
  readonly acknowledged: boolean;
  readonly fields: readonly FieldSpec[];
}

/** Largest u64 value the codec accepts: values above 2^53-1 are a `field` error (ICD-FRM-008). */
export const MAX_SAFE_U64 = Number.MAX_SAFE_INTEGER;

/** Bytes of one field on the wire. */
export function fieldBytes(field: FieldSpec): number {
  return field.kind === 'enum' ? 1 : NUMERIC_KIND_BYTES[field.kind];
}

/** Payload size of a message (every message has a fixed size in protocol version 1). */
export function payloadBytes(spec: MessageSpec): number {
  let total = 0;
  for (const field of spec.fields) total += fieldBytes(field);
  return total;
}
