import { exactCanonicalNumber, keyAfter, plainCanonicalNumber } from '../../../src/ledger/canonical-line.js';

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
  /** The entry's JSON is `line.slice(entryFrom, entryTo)` (the line is ASCII: chars are bytes). */
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

// The scan's state (one scan at a time; the verifier is synchronous).
let buf: Uint8Array = new Uint8Array(0);
let pos = 0;
let end = 0;
let from = 0;
let text = '';
/**
 * Members collected by `object(…, collect)`: key start, key end, value start, value end, in
 * preallocated arrays (an array emptied by `length = 0` loses its store and grows again per line).
 */
class Spans {
  at = new Int32Array(256);
  length = 0;

  push(keyFrom: number, keyTo: number, valueFrom: number, valueTo: number): void {
    if (this.length + 4 > this.at.length) {
      const grown = new Int32Array(this.at.length * 2);
      grown.set(this.at);
      this.at = grown;
    }
    const a = this.at;
    const n = this.length;
    a[n] = keyFrom;
    a[n + 1] = keyTo;
    a[n + 2] = valueFrom;
    a[n + 3] = valueTo;
    this.length = n + 4;
  }
}
const top = new Spans();
const inner = new Spans();

/**
 * The fast path of ledger verification: answers only for a line that is, byte for byte, valid
 * JSON in canonical form (no whitespace, object keys strictly ascending, numbers as canonical
 * JSON writes them, strings of printable ASCII without escapes) and is an object whose `kind` is
 * `"entry"`, whose `i` is a number and whose `e` is an object with a string `type`. For every
 * other line — anything this scan does not decide, including every malformed or non-canonical
 * line — it returns null and the caller takes the full path (JSON.parse and the canonical check),
 * so verdicts never depend on it. `bytes[lineFrom, lineTo)` are the line's UTF-8 bytes, `line`
 * its text. Pure apart from module scratch state.
 */
export function scanEntryLine(
  bytes: Uint8Array,
  lineFrom: number,
  lineTo: number,
  line: string,
): EntryLineFields | null {
  buf = bytes;
  pos = lineFrom;
  end = lineTo;
  from = lineFrom;
  text = line;
  top.length = 0;
  inner.length = 0;
  if (pos >= end || buf[pos] !== 0x7b || !object(1, top) || pos !== end) return null;
  let i: number | undefined;
  let kindIsEntry = false;
  let eFrom = -1;
  let eTo = -1;
  for (let m = 0; m < top.length; m += 4) {
    const kFrom = top.at[m]!;
    const kTo = top.at[m + 1]!;
    const vFrom = top.at[m + 2]!;
    const vTo = top.at[m + 3]!;
    if (bytesAre(kFrom, kTo, 'kind')) kindIsEntry = isString(vFrom, vTo, 'entry');
    else if (bytesAre(kFrom, kTo, 'i')) i = numberValue(vFrom, vTo);
    else if (bytesAre(kFrom, kTo, 'e')) {
      eFrom = vFrom;
      eTo = vTo;
    }
  }
  if (!kindIsEntry || i === undefined || eFrom < 0 || buf[eFrom] !== 0x7b) return null;
  let type: string | undefined;
  let engagementId: number | undefined;
  for (let m = 0; m < inner.length; m += 4) {
    const kFrom = inner.at[m]!;
    const kTo = inner.at[m + 1]!;
    const vFrom = inner.at[m + 2]!;
    const vTo = inner.at[m + 3]!;
    if (bytesAre(kFrom, kTo, 'type') && buf[vFrom] === QUOTE) type = typeText(vFrom + 1, vTo - 1);
    else if (bytesAre(kFrom, kTo, 'engagementId')) engagementId = numberValue(vFrom, vTo);
  }
  if (type === undefined) return null;
  return { i, type, engagementId, entryFrom: eFrom - from, entryTo: eTo - from };
}

/** The entry types a ledger writer writes: kept once, not as a string per entry line. */
const KNOWN_TYPES = [
  'config',
  'operator-command',
  'weapons-control',
  'launcher-readiness',
  'engagement-decision',
  'fire',
  'outcome',
] as const;

/** The type string at `buf[s, e)`: a known type's own string, else a new one. */
function typeText(s: number, e: number): string {
  for (const known of KNOWN_TYPES) if (bytesAre(s, e, known)) return known;
  return keyText(s, e);
}

function keyText(s: number, e: number): string {
  return text.slice(s - from, e - from);
}

/** Are `buf[s, e)` the ASCII characters of `want`? (No string made.) */
function bytesAre(s: number, e: number, want: string): boolean {
  if (e - s !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (buf[s + k] !== want.charCodeAt(k)) return false;
  return true;
}

function isString(s: number, e: number, want: string): boolean {
  return e - s === want.length + 2 && buf[s] === QUOTE && bytesAre(s + 1, e - 1, want);
}

function numberValue(s: number, e: number): number | undefined {
  const c = buf[s]!;
  return c === MINUS || (c >= ZERO && c <= NINE) ? Number(keyText(s, e)) : undefined;
}

/** One value at `pos`; advances past it. False: not decided here. */
function value(depth: number): boolean {
  if (pos >= end) return false;
  const c = buf[pos]!;
  if (c === 0x7b) return object(depth + 1, null);
  if (c === 0x5b) return array(depth + 1);
  if (c === QUOTE) return string() >= 0;
  if (c === MINUS || (c >= ZERO && c <= NINE)) return number();
  if (c === 0x74) return literal(0x74, 0x72, 0x75, 0x65, -1); // true
  if (c === 0x6e) return literal(0x6e, 0x75, 0x6c, 0x6c, -1); // null
  if (c === 0x66) return literal(0x66, 0x61, 0x6c, 0x73, 0x65); // false
  return false;
}

function literal(a: number, b: number, c: number, d: number, e: number): boolean {
  const n = e < 0 ? 4 : 5;
  if (pos + n > end || buf[pos] !== a || buf[pos + 1] !== b || buf[pos + 2] !== c || buf[pos + 3] !== d) return false;
  if (e >= 0 && buf[pos + 4] !== e) return false;
  pos += n;
  return true;
}

/** A string of printable ASCII without escapes at `pos`; returns its closing quote's index, -1 otherwise. */
function string(): number {
  let j = pos + 1;
  while (j < end) {
    const d = buf[j]!;
    if (d === QUOTE) {
      pos = j + 1;
      return j;
    }
    if (d === BACKSLASH || d < 0x20 || d >= 0x80) return -1;
    j++;
  }
  return -1;
}

/** A number written as canonical JSON writes it (so also valid JSON). */
function number(): boolean {
  const s = pos;
  let j = s + 1;
  while (j < end) {
    const d = buf[j]!;
    if ((d >= ZERO && d <= NINE) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === MINUS) j++;
    else break;
  }
  if (!plainCanonicalNumber(buf, s, j) && !exactCanonicalNumber(keyText(s, j))) return false;
  pos = j;
  return true;
}

function array(depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  pos++;
  if (pos < end && buf[pos] === 0x5d) {
    pos++;
    return true;
  }
  for (;;) {
    if (!value(depth)) return false;
    if (pos >= end) return false;
    const c = buf[pos++]!;
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
  }
}

/** An object at `pos` with keys strictly ascending; its members' spans go to `collect` when given. */
function object(depth: number, collect: Spans | null): boolean {
  if (depth > MAX_DEPTH) return false;
  pos++;
  if (pos < end && buf[pos] === 0x7d) {
    pos++;
    return true;
  }
  let prevFrom = -1;
  let prevTo = -1;
  for (;;) {
    if (pos >= end || buf[pos] !== QUOTE) return false;
    const keyFrom = pos + 1;
    const keyTo = string();
    if (keyTo < 0) return false;
    if (prevFrom >= 0 && !keyAfter(buf, prevFrom, prevTo, keyFrom, keyTo)) return false;
    prevFrom = keyFrom;
    prevTo = keyTo;
    if (pos >= end || buf[pos] !== 0x3a) return false;
    pos++;
    const valueFrom = pos;
    // The entry (`e` of the line's object): its members are collected in the same pass.
    const entry = collect === top && keyTo - keyFrom === 1 && buf[keyFrom] === 0x65 && buf[pos] === 0x7b;
    if (!(entry ? object(depth + 1, inner) : value(depth))) return false;
    collect?.push(keyFrom, keyTo, valueFrom, pos);
    if (pos >= end) return false;
    const c = buf[pos++]!;
    if (c === 0x7d) return true;
    if (c !== 0x2c) return false;
  }
}
