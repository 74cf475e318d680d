/**
 * Consistent Overhead Byte Stuffing (Cheshire & Baker, 1999). The encoded form contains no
 * 0x00, so 0x00 can delimit frames on the wire (ICD-FRM-001).
 */

/** Largest encoded size for `length` input bytes: one overhead byte per 254, plus one. */
export function cobsMaxEncodedLength(length: number): number {
  return length + Math.ceil(length / 254) + 1;
}

/** Encode `src` into a new array (no trailing delimiter). */
export function cobsEncode(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(cobsMaxEncodedLength(src.length));
  const written = cobsEncodeInto(src, out, 0);
  return out.subarray(0, written);
}

/** Encode `src` into `out` at `offset`; returns the offset after the last byte written. */
export function cobsEncodeInto(src: Uint8Array, out: Uint8Array, offset: number): number {
  let codeIndex = offset;
  let write = offset + 1;
  let code = 1;
  for (let i = 0; i < src.length; i++) {
    const byte = src[i]!;
    if (byte === 0) {
      out[codeIndex] = code;
      codeIndex = write++;
      code = 1;
    } else {
      out[write++] = byte;
      code++;
      if (code === 0xff) {
        out[codeIndex] = code;
        // Canonical COBS (as in Wikipedia and the Python `cobs` package): a full group that
        // ends the input needs no following 0x01 group. Decoders accept both forms (ICD-FRM-001).
        if (i === src.length - 1) return write;
        codeIndex = write++;
        code = 1;
      }
    }
  }
  out[codeIndex] = code;
  return write;
}

/**
 * Decode a COBS block (without its delimiter) into `out`; returns the decoded length, or -1
 * when the block is malformed (a zero byte inside, or a code byte pointing past the end).
 * `out` must hold at least `src.length` bytes.
 */
export function cobsDecodeInto(src: Uint8Array, out: Uint8Array): number {
  let read = 0;
  let write = 0;
  const end = src.length;
  while (read < end) {
    const code = src[read]!;
    if (code === 0 || read + code > end) return -1;
    read++;
    for (let i = 1; i < code; i++) {
      const byte = src[read++]!;
      if (byte === 0) return -1;
      out[write++] = byte;
    }
    if (code !== 0xff && read < end) out[write++] = 0;
  }
  return write;
}

/** Decode into a new array, or undefined when malformed. */
export function cobsDecode(src: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(src.length);
  const length = cobsDecodeInto(src, out);
  return length < 0 ? undefined : out.subarray(0, length);
}
