import { BridgeError } from './bridge-error.js';

/**
 * Canonical JSON (docs/mqtt.md §Signing), the byte form that command signatures cover. It is
 * RFC 8785 (JCS) restricted to what commands contain, so any language can reproduce it:
 *
 * - objects: members sorted by key in UTF-16 code-unit order (JavaScript's default sort),
 *   `"key":value` joined by `,` inside `{}`; members whose value is `undefined` are omitted;
 * - arrays: elements in order, joined by `,` inside `[]`;
 * - strings: exactly as ECMAScript `JSON.stringify` writes them (`"`, `\` and U+0000..U+001F
 *   escaped; `\b \f \n \r \t` short forms, others `\u00xx` lower-case; everything else literal);
 * - numbers: safe integers only (|n| <= 2^53 - 1), in plain decimal, `-0` written `0`;
 * - `true`, `false`, `null`; no whitespace anywhere.
 *
 * Anything else (fractions, NaN, bigint, functions, symbols) throws `canonical-json`.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new BridgeError('canonical-json', `canonical JSON allows safe integers only, got ${String(value)}`);
      }
      return value === 0 ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map((item: unknown) => canonicalJson(item)).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new BridgeError('canonical-json', `canonical JSON cannot hold a ${typeof value}`);
  }
}

/** The bytes a command signature covers: canonical JSON of the command without `signature`, UTF-8. */
export function commandSigningBytes(command: Readonly<Record<string, unknown>>): Buffer {
  const { signature: _signature, ...rest } = command;
  return Buffer.from(canonicalJson(rest), 'utf8');
}
