/** Bit-level reads and writes on octet arrays, most significant bit first (ASTERIX Part 1 §4.3). */

/**
 * ICAO 6-bit character set (Annex 10 Vol IV, IA-5 subset) indexed by code: 1-26 A-Z, 32 space,
 * 48-57 digits; unassigned codes print as a space, as the reference decoders do.
 */
const ICAO6_TABLE: readonly string[] = Array.from({ length: 64 }, (_, code) => {
  if (code >= 1 && code <= 26) return String.fromCharCode(64 + code);
  if (code >= 48 && code <= 57) return String.fromCharCode(code);
  return ' ';
});

/**
 * The unsigned value of `width` bits starting `bitPos` bits into `bytes`. Exact for every width
 * up to 53 bits (callers never ask for more: wider fields are read as hexadecimal).
 */
export function readBits(bytes: Uint8Array, bitPos: number, width: number): number {
  let byteIndex = bitPos >>> 3;
  const lead = bitPos & 7;
  const end = bitPos + width;
  const lastByte = (end + 7) >>> 3;
  if (lastByte - byteIndex <= 4) {
    let acc = 0;
    for (; byteIndex < lastByte; byteIndex++) acc = acc * 256 + bytes[byteIndex]!;
    const trail = lastByte * 8 - end;
    acc = Math.floor(acc / 2 ** trail);
    return lead === 0 && trail === 0 ? acc : acc % 2 ** width;
  }
  let value = 0;
  for (let bit = bitPos; bit < end; bit++) {
    value = value * 2 + ((bytes[bit >>> 3]! >>> (7 - (bit & 7))) & 1);
  }
  return value;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const HEX_DIGIT = '0123456789abcdef';

/** `width` bits (any width) starting at `bitPos` as `0x…`, zero-padded to whole nibbles. */
export function readHex(bytes: Uint8Array, bitPos: number, width: number): string {
  let text = '0x';
  if ((bitPos & 7) === 0 && (width & 7) === 0) {
    for (let at = bitPos >>> 3, end = at + (width >>> 3); at < end; at++) text += HEX_BYTE[bytes[at]!];
    return text;
  }
  // leading partial nibble, then whole nibbles
  const lead = width % 4;
  let bit = bitPos;
  if (lead !== 0) {
    text += HEX_DIGIT[readBits(bytes, bit, lead)];
    bit += lead;
  }
  for (; bit < bitPos + width; bit += 4) text += HEX_DIGIT[readBits(bytes, bit, 4)];
  return text;
}

/** Characters of `width / 6` ICAO 6-bit codes starting at `bitPos`. */
export function readIcao6(bytes: Uint8Array, bitPos: number, width: number): string {
  let text = '';
  if ((bitPos & 7) === 0 && width % 24 === 0) {
    // four characters per three octets
    for (let at = bitPos >>> 3, end = at + width / 8; at < end; at += 3) {
      const word = (bytes[at]! << 16) | (bytes[at + 1]! << 8) | bytes[at + 2]!;
      text +=
        ICAO6_TABLE[word >>> 18]! +
        ICAO6_TABLE[(word >>> 12) & 63]! +
        ICAO6_TABLE[(word >>> 6) & 63]! +
        ICAO6_TABLE[word & 63]!;
    }
    return text;
  }
  for (let bit = bitPos; bit + 6 <= bitPos + width; bit += 6) text += ICAO6_TABLE[readBits(bytes, bit, 6)];
  return text;
}

/** ICAO 6-bit code of one character (space for characters outside the set). */
export function icao6Code(char: string): number {
  const code = ICAO6_TABLE.indexOf(char);
  return code <= 0 ? 32 : code;
}

/** Write the low `width` bits of `value` (a non-negative integer < 2^width) at `bitPos`. */
export function writeBits(bytes: Uint8Array, bitPos: number, width: number, value: number): void {
  let rest = value;
  for (let bit = bitPos + width - 1; bit >= bitPos; bit--) {
    const one = rest % 2;
    rest = Math.floor(rest / 2);
    const mask = 1 << (7 - (bit & 7));
    if (one) bytes[bit >>> 3]! |= mask;
    else bytes[bit >>> 3]! &= ~mask;
  }
}

/** Write a hexadecimal string's value (`0x…`) into `width` bits at `bitPos`. */
export function writeHex(bytes: Uint8Array, bitPos: number, width: number, value: bigint): void {
  let rest = value;
  for (let bit = bitPos + width - 1; bit >= bitPos; bit--) {
    const mask = 1 << (7 - (bit & 7));
    if (rest & 1n) bytes[bit >>> 3]! |= mask;
    else bytes[bit >>> 3]! &= ~mask;
    rest >>= 1n;
  }
}
