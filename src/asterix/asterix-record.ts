/** Decoded ASTERIX values: what the decoder returns, the encoder takes and the CLI prints. */

/** A field value in spec units: a number, or a string for characters and wide raw fields (`0x…`). */
export type AsterixFieldValue = number | string;

/** Fields of an item or subfield by spec name; a repetitive item is an array of these. */
export interface AsterixFields {
  [name: string]: AsterixValue;
}

export type AsterixValue = AsterixFieldValue | AsterixFields | AsterixValue[];

/**
 * One decoded record: its category and its items keyed by spec number ("010", "140", … "SP",
 * "RE") in FSPEC order. Each item is an object of fields (`{"SAC":25,"SIC":201}`), an array of
 * such objects for a repetitive item, and for a compound item an object of subfields (a subfield
 * of a single field is that field's value). A Map, not an object: integer-like keys ("140") would
 * put a plain object's items in slow dictionary elements and reorder them (3x slower decoding).
 */
export interface AsterixRecord {
  category: number;
  items: Map<string, AsterixValue>;
}

/** A record to encode: items as a Map or as a plain object keyed by spec number (JSON form). */
export interface AsterixRecordInput {
  category: number;
  items: ReadonlyMap<string, AsterixValue> | Readonly<Record<string, AsterixValue>>;
}

/** The JSON form of a record: items as a plain object (what `recordJson` prints, in FSPEC order). */
export function plainRecord(record: AsterixRecord): { category: number; items: Record<string, AsterixValue> } {
  return { category: record.category, items: Object.fromEntries(record.items) };
}

/** Why a data block was dropped. */
export type AsterixErrorKind =
  /** fewer than 3 octets left where a block header should be, or LEN < 3 */
  | 'bad-block-length'
  /** LEN runs past the end of the datagram */
  | 'truncated-block'
  /** a record's FSPEC or an item runs past the end of its block */
  | 'record-overrun'
  /** an FSPEC bit for a spare FRN or a set spare bit of a compound item: the length is unknown */
  | 'undefined-item'
  /** a record with an empty FSPEC or an explicit item with length < 1 */
  | 'malformed-item';

/** A malformed data block, as counted and reported by the decoder (never thrown to callers). */
export interface AsterixBlockError {
  readonly kind: AsterixErrorKind;
  /** Category octet of the block (or -1 when the header itself was cut). */
  readonly category: number;
  /** Offset of the block in the datagram. */
  readonly offset: number;
  readonly detail: string;
}
