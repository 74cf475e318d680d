import type { Catalogue, MessageName } from './catalogue/index.js';

/** The TypeScript value of one field descriptor: enum fields are their names, the rest numbers. */
type FieldValue<F> = F extends { kind: 'enum'; values: readonly (infer V)[] } ? V : number;

/** The fields of a message as an object type, derived from the catalogue data. */
export type FieldsOf<N extends MessageName> = {
  -readonly [F in Catalogue[N]['fields'][number] as F['name']]: FieldValue<F>;
};

/** A message without the frame header: what a sender fills in. */
export type MessageBody<N extends MessageName = MessageName> = {
  [K in N]: { type: K } & FieldsOf<K>;
}[N];

/** Frame header values as seen by the codec. */
export interface FrameMeta {
  /** Sequence number, per direction, wrapping 65535 → 0 (ICD-FRM-009). */
  seq: number;
  /** Flag bits (FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION). */
  flags: number;
}

/** A whole message as encoded on or decoded from the wire. */
export type Message<N extends MessageName = MessageName> = {
  [K in N]: { type: K } & FrameMeta & FieldsOf<K>;
}[N];
