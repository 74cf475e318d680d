/**
 * Exact checks that a JSON number token is written as canonical JSON writes it (ECMAScript
 * `String(value)`, src/common/canonical-json.ts `finite` numbers), from its bytes, cheapest
 * first: {@link plainCanonicalNumber} (at most 15 significant digits), then
 * {@link sixteenDigitCanonical} (16 significant digits, in double arithmetic that is exact), and
 * only when neither decides, `String(Number(token)) === token`. Pure.
 */

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** 10^0 … 10^22: every one an exact double. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const TWO_53 = 2 ** 53;

/** Is `b[from, to)` (the bytes of a number token) a number as canonical JSON writes it? Exact. */
export function canonicalNumberBytes(b: Uint8Array, from: number, to: number): boolean {
  return (
    plainCanonicalNumber(b, from, to) ||
    sixteenDigitCanonical(b, from, to) ||
    exactCanonicalNumber(asciiText(b, from, to))
  );
}

/**
 * Plain decimal `-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?`, not `-0`, at most 15 significant digits,
 * integer part at most 21 digits, at most 5 zeros between `0.` and the first non-zero digit: then
 * it is what ECMAScript writes for its value. False means "not decided here", never "not canonical".
 */
export function plainCanonicalNumber(b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (b[i]! === MINUS) i++;
  const intStart = i;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 21) return false;
  const zeroInt = b[intStart]! === ZERO;
  if (zeroInt && intDigits > 1) return false;
  let significant = zeroInt ? 0 : intDigits;
  if (i === to) return !(zeroInt && from !== intStart) && significant <= 15; // "-0" is written "0"
  if (b[i]! !== DOT) return false; // an exponent
  i++;
  const fracStart = i;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  if (i !== to || i === fracStart || b[to - 1]! === ZERO) return false;
  if (zeroInt) {
    let k = fracStart;
    while (b[k]! === ZERO) k++;
    if (k - fracStart > 5) return false; // below 1e-6: written with an exponent
    significant = to - k;
  } else significant += to - fracStart;
  return significant <= 15;
}

/**
 * A plain decimal of the form {@link plainCanonicalNumber} accepts but with 16 significant digits
 * `s` (as an integer, below 2^53) and `f` ≤ 22 fraction digits, so its value is `v = s / 10^f`
 * correctly rounded (Clinger's fast path: both operands exact doubles). ECMAScript writes the
 * fewest digits that give `v` back. It writes exactly these 16 when (1) neither 15-digit decimal
 * around the token (`⌊s/10⌋` and `⌊s/10⌋ + 1`, scaled) gives `v` — every shorter decimal that
 * gave `v` would put one of them between itself and the token, in the same rounding interval — and
 * (2) neither neighbour `s − 1`, `s + 1` gives `v`, so the digits are the only 16 that do. True
 * only when both are shown; false means "not decided here", never "not canonical".
 */
export function sixteenDigitCanonical(b: Uint8Array, from: number, to: number): boolean {
  let i = from;
  if (b[i]! === MINUS) i++;
  const intStart = i;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits > 21) return false;
  const zeroInt = b[intStart]! === ZERO;
  if (zeroInt && intDigits > 1) return false;
  let s = zeroInt ? 0 : readDigits(b, intStart, i);
  if (i === to) return !zeroInt && s < TWO_53; // an integer below 2^53 is written as its digits
  if (b[i]! !== DOT) return false;
  i++;
  const fracStart = i;
  while (i < to && b[i]! >= ZERO && b[i]! <= NINE) i++;
  const f = to - fracStart;
  if (i !== to || f === 0 || f > 22 || b[to - 1]! === ZERO) return false;
  let digits = zeroInt ? 0 : intDigits;
  let k = fracStart;
  if (zeroInt) {
    while (b[k]! === ZERO) k++;
    if (k - fracStart > 5) return false; // below 1e-6: written with an exponent
  }
  digits += to - k;
  if (digits !== 16) return false;
  s = s * POW10[f]! + readDigits(b, fracStart, to); // exact: s < 10^16 stays an integer
  if (s > TWO_53 - 2) return false;
  const p = POW10[f]!;
  const v = s / p;
  const last = b[to - 1]! - ZERO; // s's last digit (no floating-point remainder)
  const shorter = (s - last) / 10;
  const q = POW10[f - 1]!;
  if (shorter / q === v || (shorter + 1) / q === v) return false; // fewer digits give v
  return (s - 1) / p !== v && (s + 1) / p !== v; // the only 16 digits that give v
}

/** The ASCII bytes `b[from, to)` as a string. */
export function asciiText(b: Uint8Array, from: number, to: number): string {
  // Buffer's own latin1Slice: toString('latin1', …) adds argument checks costing as much again.
  if (Buffer.isBuffer(b)) return (b as unknown as LatinSlicing).latin1Slice(from, to);
  return String.fromCharCode.apply(null, b.subarray(from, to) as unknown as number[]);
}

/** Node's Buffer method behind `toString('latin1', from, to)` (not in its typings). */
interface LatinSlicing {
  latin1Slice(from: number, to: number): string;
}

/** The integer of the ASCII digits `b[from, to)` (exact while below 2^53). */
function readDigits(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) n = n * 10 + (b[k]! - ZERO);
  return n;
}

/** The canonical-JSON number check of src/common/canonical-json.ts, on the token's value. */
export function exactCanonicalNumber(token: string): boolean {
  const value = Number(token);
  if (!Number.isFinite(value)) return false;
  return (value === 0 ? '0' : String(value)) === token;
}
