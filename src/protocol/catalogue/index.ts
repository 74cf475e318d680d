import { createHash } from 'node:crypto';
import type { MessageSpec } from '../field-spec.js';
import { COMMON_MESSAGES } from './common-messages.js';
import { LAUNCHER_MESSAGES } from './launcher-messages.js';
import { RADAR_MESSAGES } from './radar-messages.js';

export * from './common-messages.js';
export * from './launcher-messages.js';
export * from './radar-messages.js';

/** Every message of protocol version 1, by name. */
export const CATALOGUE = { ...COMMON_MESSAGES, ...RADAR_MESSAGES, ...LAUNCHER_MESSAGES } as const;

export type Catalogue = typeof CATALOGUE;
export type MessageName = keyof Catalogue;

/** Message names in type-code order. */
export const MESSAGE_NAMES = (Object.keys(CATALOGUE) as MessageName[]).sort(
  (a, b) => CATALOGUE[a].code - CATALOGUE[b].code,
);

/** Name of the message with a type code, if any. */
export const MESSAGE_NAME_BY_CODE: ReadonlyMap<number, MessageName> = new Map(
  MESSAGE_NAMES.map((name) => [CATALOGUE[name].code, name]),
);

/** The spec of a message, widened to the descriptor interface. */
export function messageSpec(name: MessageName): MessageSpec {
  return CATALOGUE[name];
}

/**
 * The text the schema hash is computed over (ICD-CMN-002): JSON, without whitespace, of one
 * array per message in type-code order — `[name, code, direction, acknowledged, fields]`, each
 * field `[name, kind]` or, for enums, `[name, "enum", [values in code order]]`. Docs, units and
 * comments are not part of it.
 */
export function canonicalSchemaJson(catalogue: Readonly<Record<string, MessageSpec>>): string {
  const canonical = Object.keys(catalogue)
    .sort((a, b) => catalogue[a]!.code - catalogue[b]!.code)
    .map((name) => {
      const spec = catalogue[name]!;
      return [
        name,
        spec.code,
        spec.direction,
        spec.acknowledged,
        spec.fields.map((f) => (f.kind === 'enum' ? [f.name, f.kind, [...f.values]] : [f.name, f.kind])),
      ];
    });
  return JSON.stringify(canonical);
}

/**
 * Protocol schema hash (ICD-CMN-002): the first 4 bytes (big-endian u32) of SHA-256 over the
 * UTF-8 of canonicalSchemaJson — names, codes, directions, ack rule, field names, kinds and
 * enum values in order. Docs and comments do not change it.
 */
export function computeSchemaHash(catalogue: Readonly<Record<string, MessageSpec>>): number {
  const digest = createHash('sha256').update(canonicalSchemaJson(catalogue), 'utf8').digest();
  return digest.readUInt32BE(0);
}

/** Schema hash of this build's catalogue. */
export const SCHEMA_HASH = computeSchemaHash(CATALOGUE);
