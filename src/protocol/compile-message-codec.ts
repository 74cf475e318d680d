import { type FrameError, frameError } from '../framing/index.js';
import type { DecodeResult } from './codec.js';
import { EncodeError } from './encode-error.js';
import { type FieldSpec, MAX_SAFE_U64, type MessageSpec, fieldBytes, payloadBytes } from './field-spec.js';
import type { Message } from './message-types.js';

/**
 * The codec of one message type, specialised once at module load from its catalogue entry.
 *
 * Contract:
 * - `decode` reads `payloadBytes` bytes starting at `bytes[base]` (the caller has checked the
 *   size); `view` is a DataView over the whole of `bytes.buffer` from byte 0 of `bytes`, so
 *   `view` offsets equal `bytes` offsets. It never throws: a field outside its type is a
 *   `field` error (ICD-FRM-008). The returned message holds no reference to `bytes`.
 * - `encodeInto` validates every field of `message` and writes the payload at `bytes[base]`;
 *   it throws EncodeError for a value that cannot be put on the wire (a caller bug), possibly
 *   after writing some bytes (callers write into scratch space).
 */
export interface MessageCodec {
  readonly name: string;
  readonly spec: MessageSpec;
  readonly payloadBytes: number;
  decode(bytes: Uint8Array, view: DataView, base: number, seq: number, flags: number): DecodeResult;
  encodeInto(message: Message, bytes: Uint8Array, view: DataView, base: number): void;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Inclusive ranges of the integer kinds; u64 stops at 2^53-1 (ICD-FRM-008). */
const INTEGER_RANGES = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  u64: [0, MAX_SAFE_U64],
  i8: [-0x80, 0x7f],
  i16: [-0x8000, 0x7fff],
  i32: [-0x80000000, 0x7fffffff],
} as const;

/** Helpers the generated functions call on their (cold) error paths. */
const RUNTIME = {
  fieldError(where: string, detail: string): FrameError {
    return frameError('field', `${where}: ${detail}`);
  },
  notInteger(where: string, value: unknown, min: number, max: number): EncodeError {
    return new EncodeError(`${where}: ${String(value)} is not an integer in [${min}, ${max}]`);
  },
  notFinite(where: string, value: unknown): EncodeError {
    return new EncodeError(`${where}: expected a finite number, got ${String(value)}`);
  },
  notF32(where: string, value: unknown): EncodeError {
    return new EncodeError(`${where}: ${String(value)} is outside the f32 range`);
  },
  notEnum(where: string, value: unknown, values: readonly string[]): EncodeError {
    return new EncodeError(`${where}: ${String(value)} is not one of ${values.join('|')}`);
  },
};

/**
 * Specialise the codec of one message. Why generated code: a decoder that builds the message
 * as one object literal with the fields in catalogue order gives every message of a type the
 * same hidden class and lets V8 inline every read, which a loop over field descriptors with
 * keyed stores does not (about 3x slower on TRACK_REPORT; see bench/codec.ts and
 * docs/decisions/0005-codec-speed-and-wire-details.md). The source is built only from the catalogue (names
 * checked to be identifiers, strings quoted with JSON.stringify), never from input.
 */
export function compileMessageCodec(name: string, spec: MessageSpec): MessageCodec {
  if (!IDENTIFIER.test(name)) throw new Error(`message name ${name} is not an identifier`);
  const enums: (readonly string[])[] = [];
  const decodeLines: string[] = [];
  const encodeLines: string[] = [];
  const literal: string[] = [`type: ${JSON.stringify(name)}`, 'seq: seq', 'flags: flags'];
  let offset = 0;
  spec.fields.forEach((field, i) => {
    if (!IDENTIFIER.test(field.name) || ['type', 'seq', 'flags'].includes(field.name)) {
      throw new Error(`${name}.${field.name} is not a usable field name`);
    }
    const where = JSON.stringify(`${name}.${field.name}`);
    const enumTable = field.kind === 'enum' ? enums.push(field.values) - 1 : -1;
    decodeLines.push(...decodeField(field, i, offset, where, enumTable));
    encodeLines.push(...encodeField(field, i, offset, where, enumTable));
    literal.push(`${field.name}: f${i}`);
    offset += fieldBytes(field);
  });
  const decodeSource = [...decodeLines, `return { ok: true, message: { ${literal.join(', ')} } };`].join('\n');
  const factory = new Function(
    'R',
    'ENUMS',
    `'use strict';
return {
  decode: function decode_${name}(b, v, base, seq, flags) {
${decodeSource}
  },
  encodeInto: function encode_${name}(m, b, v, base) {
${encodeLines.join('\n')}
  },
};`,
  ) as (runtime: typeof RUNTIME, enumValues: (readonly string[])[]) => Pick<MessageCodec, 'decode' | 'encodeInto'>;
  const functions = factory(RUNTIME, enums);
  return { name, spec, payloadBytes: payloadBytes(spec), decode: functions.decode, encodeInto: functions.encodeInto };
}

function u32At(at: string): string {
  return `((b[${at}] | (b[${at} + 1] << 8) | (b[${at} + 2] << 16) | (b[${at} + 3] << 24)) >>> 0)`;
}

function decodeField(field: FieldSpec, i: number, offset: number, where: string, enumTable: number): string[] {
  const at = `base + ${offset}`;
  switch (field.kind) {
    case 'enum': {
      return [
        `const c${i} = b[${at}];`,
        `if (c${i} >= ${field.values.length}) return R.fieldError(${where}, 'code ' + c${i} + ' is not defined');`,
        `const f${i} = ENUMS[${enumTable}][c${i}];`,
      ];
    }
    case 'u8':
      return [`const f${i} = b[${at}];`];
    case 'i8':
      return [`const f${i} = (b[${at}] << 24) >> 24;`];
    case 'u16':
      return [`const f${i} = b[${at}] | (b[${at} + 1] << 8);`];
    case 'i16':
      return [`const f${i} = ((b[${at}] | (b[${at} + 1] << 8)) << 16) >> 16;`];
    case 'u32':
      return [`const f${i} = ${u32At(at)};`];
    case 'i32':
      return [`const f${i} = b[${at}] | (b[${at} + 1] << 8) | (b[${at} + 2] << 16) | (b[${at} + 3] << 24);`];
    case 'u64':
      // ICD-FRM-008: above 2^53-1 a JS number loses integers; the high word holds 21 bits.
      return [
        `const h${i} = ${u32At(`${at} + 4`)};`,
        `if (h${i} > 0x1fffff) return R.fieldError(${where}, 'u64 above 2^53-1');`,
        `const f${i} = h${i} * 4294967296 + ${u32At(at)};`,
      ];
    case 'f32':
    case 'f64': {
      const getter = field.kind === 'f32' ? 'getFloat32' : 'getFloat64';
      // ICD-FRM-008: NaN and infinities are no physical quantity, and JSON cannot carry them.
      return [
        `const f${i} = v.${getter}(${at}, true);`,
        `if (!Number.isFinite(f${i})) return R.fieldError(${where}, f${i} !== f${i} ? 'NaN' : 'not finite');`,
      ];
    }
  }
}

function encodeField(field: FieldSpec, i: number, offset: number, where: string, enumTable: number): string[] {
  const at = `base + ${offset}`;
  const read = `const f${i} = m.${field.name};`;
  if (field.kind === 'enum') {
    const cases = field.values.map((value, code) => `case ${JSON.stringify(value)}: b[${at}] = ${code}; break;`);
    return [read, `switch (f${i}) {`, ...cases, `default: throw R.notEnum(${where}, f${i}, ENUMS[${enumTable}]);`, '}'];
  }
  if (field.kind === 'f32' || field.kind === 'f64') {
    const lines = [
      read,
      `if (typeof f${i} !== 'number' || !Number.isFinite(f${i})) throw R.notFinite(${where}, f${i});`,
    ];
    if (field.kind === 'f32') {
      // A finite double beyond the f32 range would arrive as an infinity, refused by ICD-FRM-008.
      lines.push(`if (!Number.isFinite(Math.fround(f${i}))) throw R.notF32(${where}, f${i});`);
      lines.push(`v.setFloat32(${at}, f${i}, true);`);
    } else {
      lines.push(`v.setFloat64(${at}, f${i}, true);`);
    }
    return lines;
  }
  const [min, max] = INTEGER_RANGES[field.kind];
  const lines = [
    read,
    `if (typeof f${i} !== 'number' || !Number.isInteger(f${i}) || f${i} < ${min} || f${i} > ${max}) throw R.notInteger(${where}, f${i}, ${min}, ${max});`,
  ];
  // Uint8Array stores keep the low 8 bits of the (two's-complement) integer.
  switch (field.kind) {
    case 'u8':
    case 'i8':
      lines.push(`b[${at}] = f${i};`);
      break;
    case 'u16':
    case 'i16':
      lines.push(`b[${at}] = f${i};`, `b[${at} + 1] = f${i} >> 8;`);
      break;
    case 'u32':
    case 'i32':
      lines.push(...[0, 1, 2, 3].map((k) => `b[${at} + ${k}] = f${i} >>> ${8 * k};`));
      break;
    case 'u64':
      lines.push(
        `const l${i} = f${i} % 4294967296;`,
        `const h${i} = (f${i} - l${i}) / 4294967296;`,
        ...[0, 1, 2, 3].map((k) => `b[${at} + ${k}] = l${i} >>> ${8 * k};`),
        ...[0, 1, 2, 3].map((k) => `b[${at} + ${4 + k}] = h${i} >>> ${8 * k};`),
      );
      break;
  }
  return lines;
}
