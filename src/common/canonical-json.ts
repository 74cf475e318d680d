/**
 * Canonical JSON, shared by every layer that hashes or signs a value: the bridge signs commands
 * over it (docs/mqtt.md §Signing), and the config hash that recordings carry is taken over it.
 * It is RFC 8785 (JCS) restricted to plain JSON data, so any language can reproduce it:
 *
 * - objects: members sorted by key in UTF-16 code-unit order (JavaScript's default sort),
 *   `"key":value` joined by `,` inside `{}`; members whose value is `undefined` are omitted;
 * - arrays: elements in order, joined by `,` inside `[]`;
 * - strings: exactly as ECMAScript `JSON.stringify` writes them (`"`, `\` and U+0000..U+001F
 *   escaped; `\b \f \n \r \t` short forms, others `\u00xx` lower-case; lone surrogates `\udxxx`;
 *   everything else literal);
 * - numbers: see {@link CanonicalNumbers}; `-0` is written `0`;
 * - `true`, `false`, `null`; no whitespace anywhere.
 */

/**
 * Which numbers a canonical form may hold:
 * - `safe-integers`: |n| <= 2^53 - 1 only, in plain decimal (what commands contain: no exponent
 *   ever appears, and every language parses them exactly);
 * - `finite`: any finite number, written as ECMAScript writes it (`0.5`, `1e+21`, `5e-7`), as in
 *   bench configs (metres, rates).
 */
export type CanonicalNumbers = 'safe-integers' | 'finite';

/** A value canonical JSON cannot hold; `code` is always `canonical-json`. */
export class CanonicalJsonError extends Error {
  readonly code = 'canonical-json';

  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

/**
 * The canonical JSON text of `value` (see the module comment for the exact form). `numbers`
 * defaults to `safe-integers`. Throws CanonicalJsonError for a number `numbers` does not allow
 * (always for NaN and ±Infinity), a bigint, function or symbol anywhere, and `undefined` other
 * than as an object member's value. Pure: the same value always gives the same text.
 */
export function canonicalJson(value: unknown, numbers: CanonicalNumbers = 'safe-integers'): string {
  return write(value, numbers);
}

// One string built by appending (no intermediate arrays per object or array): this runs for
// every signature made and checked.
function write(value: unknown, numbers: CanonicalNumbers): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return canonicalNumber(value, numbers);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          if (i in value) out += write(value[i], numbers);
        }
        return out + ']';
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const member = record[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key) + ':' + write(member, numbers);
      }
      return out + '}';
    }
    default:
      throw new CanonicalJsonError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalNumber(value: number, numbers: CanonicalNumbers): string {
  if (numbers === 'safe-integers' ? !Number.isSafeInteger(value) : !Number.isFinite(value)) {
    const allowed = numbers === 'safe-integers' ? 'safe integers' : 'finite numbers';
    throw new CanonicalJsonError(`canonical JSON allows ${allowed} only, got ${String(value)}`);
  }
  return value === 0 ? '0' : String(value);
}
