import { keyAfter } from './canonical-line.js';
import { asciiText, canonicalNumberBytes } from './canonical-number.js';

/**
 * What a verifier needs of a ledger entry line without parsing it: its number, and of its entry
 * the type, the engagement id (when a number) and where the entry's JSON lies in the line.
 */
export interface EntryLineFields {
  /** The line's `i`. */
  readonly i: number;
  /** The entry's `type`. */
  readonly type: string;
  /** The entry's `engagementId` when it is a number, else undefined (read it from the parse). */
  readonly engagementId: number | undefined;
  /** The entry's JSON is the line's bytes `[entryFrom, entryTo)`, relative to the line's start (ASCII: chars are bytes). */
  readonly entryFrom: number;
  readonly entryTo: number;
}

/** Nesting deeper than this is not scanned (the caller parses the line). */
const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Per open container: object (1) or array (0), and its previous key's span (objects). */
const isObject = new Uint8Array(MAX_DEPTH + 2);
const prevKeyFrom = new Int32Array(MAX_DEPTH + 2);
const prevKeyTo = new Int32Array(MAX_DEPTH + 2);

// Which member a key names: of the line's object (depth 1) and of its entry `e` (depth 2).
const OTHER = 0;
const KIND = 1;
const I = 2;
const E = 3;
const TYPE = 4;
const ENGAGEMENT_ID = 5;

// States of the scan.
const KEY = 0;
const VALUE = 1;
const AFTER = 2;

/**
 * The fast path of ledger verification: answers only for a line that is, byte for byte, valid
 * JSON in canonical form (no whitespace, object keys strictly ascending, numbers as canonical
 * JSON writes them, strings of printable ASCII without escapes) and is an object whose `kind` is
 * `"entry"`, whose `i` is a number and whose `e` is an object with a string `type`. For every
 * other line — anything this scan does not decide, including every malformed or non-canonical
 * line — it returns null and the caller takes the full path (JSON.parse and the canonical check),
 * so verdicts never depend on it. `bytes[lineFrom, lineTo)` are the line's UTF-8 bytes. One pass
 * over the bytes in one loop (no recursion, no string made but the type's when it is not a known
 * one). Pure apart from module scratch arrays (one scan at a time; the verifier is synchronous).
 */
export function scanEntryLine(bytes: Uint8Array, lineFrom: number, lineTo: number): EntryLineFields | null {
  const b = bytes;
  const to = lineTo;
  let p = lineFrom;
  if (p >= to || b[p] !== LBRACE) return null;
  let depth = 1;
  isObject[1] = 1;
  prevKeyFrom[1] = -1;
  p++;
  let state = KEY;
  if (p < to && b[p] === RBRACE) return null; // {}: no kind
  let topKey = OTHER;
  let entryKey = OTHER;
  let inEntry = false;
  let kindIsEntry = false;
  let i: number | undefined;
  let eFrom = -1;
  let eTo = -1;
  let type: string | undefined;
  let engagementId: number | undefined;
  for (;;) {
    if (state === KEY) {
      if (p >= to || b[p] !== QUOTE) return null;
      const kFrom = ++p;
      for (;;) {
        if (p >= to) return null;
        const c = b[p]!;
        if (c === QUOTE) break;
        if (c === BACKSLASH || c < 0x20 || c >= 0x80) return null;
        p++;
      }
      const kTo = p++;
      const prev = prevKeyFrom[depth]!;
      if (prev >= 0 && !keyAfter(b, prev, prevKeyTo[depth]!, kFrom, kTo)) return null;
      prevKeyFrom[depth] = kFrom;
      prevKeyTo[depth] = kTo;
      if (depth === 1) topKey = topKeyOf(b, kFrom, kTo);
      else if (depth === 2 && inEntry) entryKey = entryKeyOf(b, kFrom, kTo);
      if (p >= to || b[p] !== COLON) return null;
      p++;
      state = VALUE;
    } else if (state === VALUE) {
      if (p >= to) return null;
      const c = b[p]!;
      if (c === LBRACE || c === LBRACKET) {
        if (depth === MAX_DEPTH) return null;
        depth++;
        const object = c === LBRACE;
        isObject[depth] = object ? 1 : 0;
        prevKeyFrom[depth] = -1;
        if (depth === 2 && object && topKey === E) {
          inEntry = true;
          eFrom = p;
        }
        p++;
        if (p < to && b[p] === (object ? RBRACE : RBRACKET)) {
          p++;
          if (depth === 2 && inEntry) {
            inEntry = false;
            eTo = p;
          }
          depth--;
          state = AFTER;
        } else state = object ? KEY : VALUE;
        continue;
      }
      const vFrom = p;
      if (c === QUOTE) {
        p++;
        for (;;) {
          if (p >= to) return null;
          const d = b[p]!;
          if (d === QUOTE) break;
          if (d === BACKSLASH || d < 0x20 || d >= 0x80) return null;
          p++;
        }
        p++;
        if (depth === 1 && topKey === KIND) kindIsEntry = p - vFrom === 7 && isEntryWord(b, vFrom + 1);
        else if (depth === 2 && inEntry && entryKey === TYPE) type = typeText(b, vFrom + 1, p - 1);
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        p++;
        while (p < to) {
          const d = b[p]!;
          if ((d >= ZERO && d <= NINE) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) p++;
          else break;
        }
        if (!canonicalNumberBytes(b, vFrom, p)) return null;
        if (depth === 1 && topKey === I) i = numberOf(b, vFrom, p);
        else if (depth === 2 && inEntry && entryKey === ENGAGEMENT_ID) engagementId = numberOf(b, vFrom, p);
      } else if (c === 0x74) {
        if (p + 4 > to || b[p + 1] !== 0x72 || b[p + 2] !== 0x75 || b[p + 3] !== 0x65) return null; // true
        p += 4;
      } else if (c === 0x6e) {
        if (p + 4 > to || b[p + 1] !== 0x75 || b[p + 2] !== 0x6c || b[p + 3] !== 0x6c) return null; // null
        p += 4;
      } else if (c === 0x66) {
        // false
        if (p + 5 > to || b[p + 1] !== 0x61 || b[p + 2] !== 0x6c || b[p + 3] !== 0x73 || b[p + 4] !== 0x65) return null;
        p += 5;
      } else return null;
      state = AFTER;
    } else {
      // AFTER a value: a comma, or the closing of its container.
      if (p >= to) return null;
      const c = b[p++]!;
      const object = isObject[depth] === 1;
      if (c === COMMA) state = object ? KEY : VALUE;
      else if (c === (object ? RBRACE : RBRACKET)) {
        if (depth === 2 && inEntry) {
          inEntry = false;
          eTo = p;
        }
        depth--;
        if (depth === 0) break;
      } else return null;
    }
  }
  if (p !== to || !kindIsEntry || i === undefined || eTo < 0 || type === undefined) return null;
  return { i, type, engagementId, entryFrom: eFrom - lineFrom, entryTo: eTo - lineFrom };
}

function topKeyOf(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 1) return b[s] === 0x65 ? E : b[s] === 0x69 ? I : OTHER;
  return n === 4 && b[s] === 0x6b && b[s + 1] === 0x69 && b[s + 2] === 0x6e && b[s + 3] === 0x64 ? KIND : OTHER;
}

function entryKeyOf(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 4 && bytesAre(b, s, e, 'type')) return TYPE;
  if (n === 12 && bytesAre(b, s, e, 'engagementId')) return ENGAGEMENT_ID;
  return OTHER;
}

/** `b[s, s + 5)` is `entry`. */
function isEntryWord(b: Uint8Array, s: number): boolean {
  return b[s] === 0x65 && b[s + 1] === 0x6e && b[s + 2] === 0x74 && b[s + 3] === 0x72 && b[s + 4] === 0x79;
}

/**
 * The entry types a ledger writer writes, by length (each has its own): kept once, not as a
 * string per entry line.
 */
const KNOWN_TYPES: readonly (string | undefined)[] = (() => {
  const byLength: (string | undefined)[] = [];
  for (const t of [
    'config',
    'operator-command',
    'weapons-control',
    'launcher-readiness',
    'engagement-decision',
    'fire',
    'outcome',
  ])
    byLength[t.length] = t;
  return byLength;
})();

/** The type string at `b[s, e)` (printable ASCII): a known type's own string, else a new one. */
function typeText(b: Uint8Array, s: number, e: number): string {
  const known = KNOWN_TYPES[e - s];
  return known !== undefined && bytesAre(b, s, e, known) ? known : asciiText(b, s, e);
}

/** The value of the canonical number token `b[s, e)`: an integer of at most 15 digits from its digits, else parsed. */
function numberOf(b: Uint8Array, s: number, e: number): number {
  const negative = b[s] === MINUS;
  let n = 0;
  for (let k = negative ? s + 1 : s; k < e; k++) {
    const d = b[k]! - ZERO;
    if (d < 0 || d > 9 || k - s >= 15) return Number(asciiText(b, s, e));
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/** Are `b[s, e)` the ASCII characters of `want`? (No string made.) */
function bytesAre(b: Uint8Array, s: number, e: number, want: string): boolean {
  if (e - s !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (b[s + k] !== want.charCodeAt(k)) return false;
  return true;
}
