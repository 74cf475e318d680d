import fc from 'fast-check';
import type {
  AsterixFields,
  AsterixValue,
  CategorySpec,
  FieldSpec,
  ItemStructure,
} from '../../../src/asterix/index.js';

const ICAO_CHARS = ' ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('');

/** A value of one field drawn on its raw grid (so an encode/decode round trip is exact). */
function fieldValue(field: FieldSpec): fc.Arbitrary<AsterixValue> {
  switch (field.kind) {
    case 'u':
    case 'i': {
      const min = field.kind === 'i' ? -(2 ** (field.bits - 1)) : 0;
      const max = field.kind === 'i' ? 2 ** (field.bits - 1) - 1 : 2 ** field.bits - 1;
      return fc.integer({ min, max }).map((raw) => (field.lsb === undefined ? raw : raw * field.lsb));
    }
    case 'icao6':
      return fc
        .array(fc.constantFrom(...ICAO_CHARS), { minLength: field.bits / 6, maxLength: field.bits / 6 })
        .map((c) => c.join(''));
    case 'ascii':
      return fc
        .array(fc.integer({ min: 32, max: 126 }), { minLength: field.bits / 8, maxLength: field.bits / 8 })
        .map((c) => String.fromCharCode(...c));
    case 'hex':
      return fc
        .bigInt({ min: 0n, max: 2n ** BigInt(field.bits) - 1n })
        .map((v) => '0x' + v.toString(16).padStart(Math.ceil(field.bits / 4), '0'));
    default:
      return fc.constant(0);
  }
}

function fieldsOf(fields: readonly FieldSpec[]): fc.Arbitrary<AsterixFields> {
  const named = fields.filter((field) => field.kind !== 'spare');
  return fc
    .record(
      Object.fromEntries(named.map((field) => [field.name, fieldValue(field)])) as Record<
        string,
        fc.Arbitrary<AsterixValue>
      >,
    )
    .map((fields) => ({ ...fields }));
}

/** A decoded-form value of one item structure, as the decoder would print it. */
export function structureValue(structure: ItemStructure): fc.Arbitrary<AsterixValue> {
  switch (structure.kind) {
    case 'fixed':
      return fieldsOf(structure.fields);
    case 'extended':
      // the first k parts present, fields of absent parts absent
      return fc
        .integer({ min: 1, max: structure.parts.length })
        .chain((k) =>
          fc
            .tuple(...structure.parts.slice(0, k).map(fieldsOf))
            .map((parts) => Object.assign({}, ...parts) as AsterixFields),
        );
    case 'repetitive':
      return fc.array(fieldsOf(structure.element.fields), { maxLength: 4 });
    case 'repetitive-fx':
      return fc.array(fieldsOf(structure.element.fields), { minLength: 1, maxLength: 4 });
    case 'explicit':
      return fc.uint8Array({ maxLength: 20 }).map((b) => ({ VALUE: '0x' + Buffer.from(b).toString('hex') }));
    case 'compound': {
      const subs = structure.subfields.flatMap((sub) => (sub ? [sub] : []));
      return fc
        .subarray(subs, { minLength: 1 })
        .chain((chosen) =>
          fc.tuple(
            ...chosen.map((sub) =>
              structureValue(sub.item).map((value): [string, AsterixValue] => {
                if (sub.item.kind === 'fixed') {
                  const named = sub.item.fields.filter((f) => f.kind !== 'spare');
                  if (named.length === 1) return [sub.name, (value as AsterixFields)[named[0]!.name]!];
                }
                return [sub.name, value];
              }),
            ),
          ),
        )
        .map((entries) => Object.fromEntries(entries));
    }
  }
}

/** A record of `spec` with a random non-empty subset of its items. */
export function recordOf(spec: CategorySpec): fc.Arbitrary<{ category: number; items: Record<string, AsterixValue> }> {
  const items = spec.uap.flatMap((item) => (item ? [item] : []));
  return fc
    .subarray(items, { minLength: 1 })
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((item) => structureValue(item.structure).map((v): [string, AsterixValue] => [item.id, v])),
      ),
    )
    .map((entries) => ({ category: spec.category, items: Object.fromEntries(entries) }));
}
