/** Formatting helpers of the ICD document: byte counts, line times, hex, anchors. */
import { CRC_BYTES, HEADER_BYTES, cobsEncode } from '../framing/index.js';
import { type MESSAGE_NAMES, messageSpec } from '../protocol/catalogue/index.js';
import { type FieldSpec, type MessageSpec, payloadBytes } from '../protocol/field-spec.js';

export function wireBytes(name: (typeof MESSAGE_NAMES)[number]): number {
  const body = payloadBytes(messageSpec(name)) + HEADER_BYTES + CRC_BYTES;
  // Every body below 254 bytes gains exactly one COBS byte; the delimiter adds one more.
  if (body >= 254) return cobsEncode(new Uint8Array(body).fill(1)).length + 1;
  return body + 2;
}

export function usOnLine(bytes: number): number {
  return Math.round((bytes * 10 * 1_000_000) / 921_600);
}

export function cobsGroups(body: Uint8Array): { code: number; data: Uint8Array; endsWithZero: boolean }[] {
  const groups: { code: number; data: Uint8Array; endsWithZero: boolean }[] = [];
  let start = 0;
  for (;;) {
    let end = start;
    while (end < body.length && body[end] !== 0 && end - start < 254) end++;
    const endsWithZero = end < body.length && body[end] === 0;
    groups.push({ code: end - start + 1, data: body.subarray(start, end), endsWithZero });
    if (endsWithZero) start = end + 1;
    else if (end - start === 254 && end < body.length) start = end;
    else return groups;
  }
}

export function directionText(spec: MessageSpec): string {
  return spec.direction === 'both'
    ? 'both ways'
    : spec.direction === 'host-to-device'
      ? 'host → device'
      : 'device → host';
}

export function unitOf(field: FieldSpec): string {
  return field.kind === 'enum' || field.unit === undefined ? '' : field.unit;
}

export function anchorHeading(code: number, name: string): string {
  return `${hex8(code)} ${name}`;
}

/** GitHub's heading anchor for `anchorHeading`. */
export function anchor(code: number, name: string): string {
  return anchorHeading(code, name)
    .toLowerCase()
    .replace(/[^a-z0-9_ -]/g, '')
    .replace(/ /g, '-');
}

export function spaced(bytes: Uint8Array): string {
  return Array.from(bytes, hex2).join(' ');
}

export function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

export function hex2(value: number): string {
  return hex(value, 2);
}

export function hex8(code: number): string {
  return `0x${hex(code, 2).toUpperCase()}`;
}

export function u32Bytes(value: number, littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, littleEndian);
  return bytes;
}

export function hex32(value: number): string {
  return `0x${hex(value, 8)}`;
}

export function ms(us: number): string {
  return (us / 1_000).toLocaleString('en-US');
}
