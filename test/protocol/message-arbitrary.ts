/**
 * fast-check arbitraries built from the catalogue data, so a new message or field is covered
 * by the property tests without touching them.
 */
import fc from 'fast-check';
import {
  type FieldSpec,
  MESSAGE_NAMES,
  MAX_SAFE_U64,
  type Message,
  type MessageName,
  messageSpec,
} from '../../src/protocol/index.js';

/** Any value the wire can carry for one field (f32 values are f32-representable). */
export function fieldArbitrary(field: FieldSpec): fc.Arbitrary<number | string> {
  switch (field.kind) {
    case 'enum':
      return fc.constantFrom(...field.values);
    case 'u8':
      return fc.integer({ min: 0, max: 0xff });
    case 'u16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'u32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'u64':
      return fc.integer({ min: 0, max: MAX_SAFE_U64 });
    case 'i8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'i16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'i32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'f32':
      return fc.float({ noNaN: true, noDefaultInfinity: true }).map(Math.fround);
    case 'f64':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
  }
}

/** Any valid message of one type, header included (flags: defined bits only). */
export function messageArbitrary(name: MessageName): fc.Arbitrary<Message> {
  const fields: Record<string, fc.Arbitrary<number | string>> = {};
  for (const field of messageSpec(name).fields) fields[field.name] = fieldArbitrary(field);
  return fc
    .record({
      seq: fc.integer({ min: 0, max: 0xffff }),
      flags: fc.integer({ min: 0, max: 3 }),
      fields: fc.record(fields),
    })
    .map(({ seq, flags, fields: values }) => ({ type: name, seq, flags, ...values }) as unknown as Message);
}

/** Any valid message of any type. */
export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_NAMES.map((name) => messageArbitrary(name)));
