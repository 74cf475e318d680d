/**
 * A one-pass check that a line already known to be valid JSON (`JSON.parse` accepted it) is in
 * canonical form (src/common/canonical-json.ts, `finite` numbers), without serializing its parse
 * again. Answers `CANONICAL` or `NOT_CANONICAL` only where the line alone decides it, and
 * `UNDECIDED` otherwise (a string with a backslash escape or a UTF-16 surrogate), where the caller
 * must compare against the canonical serialization. What it checks:
 *
 * - no whitespace outside strings;
 * - each object's keys strictly ascending in UTF-16 code-unit order (so no duplicate key);
 * - each number written as canonical JSON writes it: decided from its text alone when it is plain
 *   decimal with at most 15 significant digits (such a decimal is the shortest round trip of its
 *   double, so ECMAScript writes exactly it when it has no superfluous zeros, no `-0`, is below
 *   1e21 and not below 1e-6), or with 16 by an exact test in double arithmetic, otherwise by
 *   `String(Number(token))` (src/ledger/canonical-number.ts).
 */

import { canonicalNumberBytes } from './canonical-number.js';

export { exactCanonicalNumber, plainCanonicalNumber } from './canonical-number.js';

export const CANONICAL = 0;
export const NOT_CANONICAL = 1;
export const UNDECIDED = 2;
export type CanonicalLineVerdict = typeof CANONICAL | typeof NOT_CANONICAL | typeof UNDECIDED;

/** Nesting deeper than this is left UNDECIDED (the caller's full comparison handles it). */
const MAX_DEPTH = 64;
const keyStart = new Int32Array(MAX_DEPTH + 1);
const keyEnd = new Int32Array(MAX_DEPTH + 1);
const isObject = new Uint8Array(MAX_DEPTH + 1);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Is the line (valid JSON) canonical? See the module comment. `bytes[from, to)` is the line's
 * UTF-8. Any non-ASCII byte inside a string
 * is UNDECIDED (a lone surrogate reads as U+FFFD in UTF-8; supplementary characters sort
 * differently in UTF-16). Pure.
 */
export function canonicalLineVerdict(bytes: Uint8Array, from: number, to: number): CanonicalLineVerdict {
  let depth = 0;
  let expectKey = false;
  let i = from;
  while (i < to) {
    const c = bytes[i]!;
    if (c === QUOTE) {
      const start = i + 1;
      let j = start;
      for (;;) {
        const d = bytes[j]!;
        if (d === QUOTE) break;
        if (d === BACKSLASH || d >= 0x80) return UNDECIDED;
        j++;
      }
      if (expectKey) {
        if (keyStart[depth]! >= 0 && !keyAfter(bytes, keyStart[depth]!, keyEnd[depth]!, start, j)) return NOT_CANONICAL;
        keyStart[depth] = start;
        keyEnd[depth] = j;
        expectKey = false;
      }
      i = j + 1;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth === MAX_DEPTH) return UNDECIDED;
      depth++;
      isObject[depth] = c === 0x7b ? 1 : 0;
      keyStart[depth] = -1;
      expectKey = c === 0x7b;
      i++;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
      expectKey = false;
      i++;
    } else if (c === 0x2c /* , */) {
      expectKey = isObject[depth] === 1;
      i++;
    } else if (c === 0x3a /* : */) {
      i++;
    } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const end = numberEnd(bytes, i, to);
      if (!canonicalNumberBytes(bytes, i, end)) return NOT_CANONICAL;
      i = end;
    } else if (c === 0x74 /* t */ || c === 0x6e /* n */) {
      i += 4;
    } else if (c === 0x66 /* f */) {
      i += 5;
    } else {
      return NOT_CANONICAL; // whitespace: canonical JSON has none outside strings
    }
  }
  return CANONICAL;
}

/** Is the key bytes[s2, e2) strictly after bytes[s1, e1)? (ASCII: byte order is UTF-16 order.) */
export function keyAfter(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  const l1 = e1 - s1;
  const l2 = e2 - s2;
  const l = l1 < l2 ? l1 : l2;
  for (let k = 0; k < l; k++) {
    const a = bytes[s1 + k]!;
    const b = bytes[s2 + k]!;
    if (a !== b) return b > a;
  }
  return l2 > l1;
}

function numberEnd(bytes: Uint8Array, i: number, to: number): number {
  let j = i + 1;
  while (j < to) {
    const d = bytes[j]!;
    if ((d >= ZERO && d <= NINE) || d === DOT || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) j++;
    else break;
  }
  return j;
}
