/**
 * Generated decoders: each category's table becomes one record function and one function per
 * item structure at module load (`new Function`; the source is built only from the tables: names
 * quoted with JSON.stringify, numbers printed exactly, never anything from input). Why: a loop
 * over field descriptors with keyed stores decoded ~30 k CAT048 records/s on a loaded machine;
 * object literals with inlined byte reads let V8 give each item one hidden class and inline the
 * reads (docs/decisions/0012-asterix-and-nmea.md). `decode-item.ts` stays as the readable
 * reference; a property test keeps the two equal on any input.
 */
import type { AsterixRecord, AsterixValue } from './asterix-record.js';
import { readBits, readHex, readIcao6 } from './bits.js';
import { AsterixFormatError, type Cursor } from './decode-item.js';
import type { CategorySpec, FieldSpec, ItemStructure } from './item-spec.js';

/** Reads one item at the cursor, advancing it; throws AsterixFormatError. */
export type ItemDecoder = (bytes: Uint8Array, cursor: Cursor) => AsterixValue;
/** Reads one record at the cursor, advancing it; throws AsterixFormatError. */
export type RecordDecoder = (bytes: Uint8Array, cursor: Cursor) => AsterixRecord;

/** Helpers the generated code calls (cold paths and wide fields). */
const RUNTIME = {
  overrun(what: string, need: number, cursor: Cursor): never {
    throw new AsterixFormatError(
      'record-overrun',
      `${what} needs ${need} octets at ${cursor.pos}, block ends at ${cursor.end}`,
    );
  },
  fail(kind: 'undefined-item' | 'malformed-item' | 'record-overrun', message: string): never {
    throw new AsterixFormatError(kind, message);
  },
  bits: readBits,
  hex: readHex,
  icao6: readIcao6,
  ascii(bytes: Uint8Array, bitPos: number, width: number): string {
    let text = '';
    for (let bit = bitPos; bit < bitPos + width; bit += 8) text += String.fromCharCode(readBits(bytes, bit, 8));
    return text;
  },
};

/** Expression of one field's value; `p` holds the item part's first octet index. */
function fieldExpression(field: FieldSpec, bitOffset: number): string {
  const firstByte = bitOffset >>> 3;
  const lastByte = (bitOffset + field.bits - 1) >>> 3;
  const span = lastByte - firstByte + 1;
  const bitPos = `(p + ${firstByte}) * 8 + ${bitOffset & 7}`;
  if (field.kind === 'icao6') return `R.icao6(b, ${bitPos}, ${field.bits})`;
  if (field.kind === 'ascii') return `R.ascii(b, ${bitPos}, ${field.bits})`;
  if (field.kind === 'hex') return `R.hex(b, ${bitPos}, ${field.bits})`;
  let raw: string;
  if (span <= 4 && field.bits <= 31) {
    const parts: string[] = [];
    for (let k = 0; k < span; k++) {
      const shift = (span - 1 - k) * 8;
      parts.push(shift === 0 ? `b[p + ${firstByte + k}]` : `(b[p + ${firstByte + k}] << ${shift})`);
    }
    const word = span === 4 ? `((${parts.join(' | ')}) >>> 0)` : `(${parts.join(' | ')})`;
    const shift = span * 8 - (bitOffset & 7) - field.bits;
    const shifted = shift === 0 ? word : `(${word} >>> ${shift})`;
    raw = field.bits === span * 8 ? shifted : `(${shifted} & ${2 ** field.bits - 1})`;
    if (field.kind === 'i') raw = `((${raw} << ${32 - field.bits}) >> ${32 - field.bits})`;
  } else {
    raw = `R.bits(b, ${bitPos}, ${field.bits})`;
    if (field.kind === 'i') raw = `((x) => (x >= ${2 ** (field.bits - 1)} ? x - ${2 ** field.bits} : x))(${raw})`;
  }
  return field.lsb === undefined ? raw : `${raw} * ${String(field.lsb)}`;
}

/** `"NAME": expr` entries of an object literal for the fields of one part. */
function fieldEntries(fields: readonly FieldSpec[]): string[] {
  const entries: string[] = [];
  let bit = 0;
  for (const field of fields) {
    if (field.kind !== 'spare') entries.push(`${JSON.stringify(field.name)}: ${fieldExpression(field, bit)}`);
    bit += field.bits;
  }
  return entries;
}

/** The one named field of a fixed structure, or undefined. */
function singleField(structure: ItemStructure): FieldSpec | undefined {
  if (structure.kind !== 'fixed') return undefined;
  const named = structure.fields.filter((field) => field.kind !== 'spare');
  return named.length === 1 ? named[0] : undefined;
}

class Compiler {
  readonly functions: ItemDecoder[] = [];

  /** Compile a structure; returns its index in `functions`. `flatten` = a compound subfield of one field. */
  compile(structure: ItemStructure, what: string, flatten = false): number {
    const name = JSON.stringify(what);
    let body: string;
    switch (structure.kind) {
      case 'fixed': {
        const single = flatten ? singleField(structure) : undefined;
        const value = single
          ? fieldExpression(
              single,
              structure.fields.slice(0, structure.fields.indexOf(single)).reduce((n, f) => n + f.bits, 0),
            )
          : `{ ${fieldEntries(structure.fields).join(', ')} }`;
        body = `const p = c.pos;
if (p + ${structure.bytes} > c.end) R.overrun(${name}, ${structure.bytes}, c);
c.pos = p + ${structure.bytes};
return ${value};`;
        break;
      }
      case 'extended': {
        const size = (k: number): number => structure.partBytes[Math.min(k, structure.partBytes.length - 1)]!;
        const lines = [
          `let p = c.pos;`,
          `if (p + ${size(0)} > c.end) R.overrun(${name}, ${size(0)}, c);`,
          `const o = { ${fieldEntries(structure.parts[0]!).join(', ')} };`,
          `c.pos = p + ${size(0)};`,
        ];
        let close = '';
        for (let k = 1; k < structure.parts.length; k++) {
          lines.push(
            `if ((b[c.pos - 1] & 1) !== 0) {`,
            `p = c.pos;`,
            `if (p + ${size(k)} > c.end) R.overrun(${name}, ${size(k)}, c);`,
          );
          let bit = 0;
          for (const field of structure.parts[k]!) {
            if (field.kind !== 'spare')
              lines.push(`o[${JSON.stringify(field.name)}] = ${fieldExpression(field, bit)};`);
            bit += field.bits;
          }
          lines.push(`c.pos = p + ${size(k)};`);
          close += '}';
        }
        const last = size(structure.parts.length);
        lines.push(
          `while ((b[c.pos - 1] & 1) !== 0) { if (c.pos + ${last} > c.end) R.overrun(${name}, ${last}, c); c.pos += ${last}; }`,
        );
        lines.push(close, 'return o;');
        body = lines.join('\n');
        break;
      }
      case 'repetitive': {
        const element = this.compile(structure.element, what);
        body = `if (c.pos + 1 > c.end) R.overrun(${name}, 1, c);
const n = b[c.pos++];
const out = [];
const e = F[${element}];
for (let k = 0; k < n; k++) out.push(e(b, c));
return out;`;
        break;
      }
      case 'repetitive-fx': {
        const element = this.compile(structure.element, what);
        body = `const out = [];
const e = F[${element}];
do { out.push(e(b, c)); } while ((b[c.pos - 1] & 1) !== 0);
return out;`;
        break;
      }
      case 'explicit':
        body = `if (c.pos + 1 > c.end) R.overrun(${name}, 1, c);
const n = b[c.pos];
if (n < 1) R.fail('malformed-item', ${JSON.stringify(`${what}: explicit length 0`)});
if (c.pos + n > c.end) R.overrun(${name}, n, c);
const v = n > 1 ? R.hex(b, (c.pos + 1) * 8, (n - 1) * 8) : '0x';
c.pos += n;
return { VALUE: v };`;
        break;
      case 'compound': {
        const lines = [
          `const s = c.pos;`,
          `do { if (c.pos + 1 > c.end) R.overrun(${name}, 1, c); c.pos++; } while ((b[c.pos - 1] & 1) !== 0);`,
          `const n = (c.pos - s) * 7;`,
          `const o = {};`,
        ];
        structure.subfields.forEach((sub, index) => {
          const test = `n > ${index} && (b[s + ${Math.floor(index / 7)}] & ${1 << (7 - (index % 7))}) !== 0`;
          if (!sub) {
            lines.push(
              `if (${test}) R.fail('undefined-item', ${JSON.stringify(`${what}: subfield ${index + 1} is not defined`)});`,
            );
            return;
          }
          const fn = this.compile(sub.item, `${what}/${sub.name}`, true);
          lines.push(`if (${test}) o[${JSON.stringify(sub.name)}] = F[${fn}](b, c);`);
        });
        const defined = structure.subfields.length;
        lines.push(
          `for (let k = ${defined}; k < n; k++) if ((b[s + ((k / 7) | 0)] >>> (7 - (k % 7))) & 1) R.fail('undefined-item', ${JSON.stringify(`${what}: subfield beyond the table`)});`,
          'return o;',
        );
        body = lines.join('\n');
        break;
      }
    }
    const index = this.functions.length;
    this.functions.push(undefined as unknown as ItemDecoder);
    const factory = new Function('R', 'F', `'use strict';\nreturn function (b, c) {\n${body}\n};`) as (
      r: typeof RUNTIME,
      f: ItemDecoder[],
    ) => ItemDecoder;
    this.functions[index] = factory(RUNTIME, this.functions);
    return index;
  }
}

/** Compile one category's record decoder (FSPEC, then each present item in FRN order). */
export function compileRecordDecoder(spec: CategorySpec): RecordDecoder {
  const compiler = new Compiler();
  const cat = String(spec.category).padStart(3, '0');
  const lines = [
    `const s = c.pos;`,
    `do { if (c.pos >= c.end) R.fail('record-overrun', 'FSPEC runs past the block end at ' + c.end); c.pos++; } while ((b[c.pos - 1] & 1) !== 0);`,
    `const n = (c.pos - s) * 7;`,
    `const items = new Map();`,
    `let any = false;`,
  ];
  spec.uap.forEach((item, index) => {
    const test = `n > ${index} && (b[s + ${Math.floor(index / 7)}] & ${1 << (7 - (index % 7))}) !== 0`;
    if (!item) {
      lines.push(
        `if (${test}) R.fail('undefined-item', ${JSON.stringify(`CAT${spec.category} FRN ${index + 1} is not in the UAP`)});`,
      );
      return;
    }
    const fn = compiler.compile(item.structure, `I${cat}/${item.id}`);
    lines.push(`if (${test}) { items.set(${JSON.stringify(item.id)}, F[${fn}](b, c)); any = true; }`);
  });
  lines.push(
    `for (let k = ${spec.uap.length}; k < n; k++) if ((b[s + ((k / 7) | 0)] >>> (7 - (k % 7))) & 1) R.fail('undefined-item', 'CAT${spec.category} FRN ' + (k + 1) + ' is not in the UAP');`,
    `if (!any) R.fail('malformed-item', 'record with an empty FSPEC');`,
    `return { category: ${spec.category}, items };`,
  );
  const factory = new Function(
    'R',
    'F',
    `'use strict';\nreturn function decode_cat${cat}(b, c) {\n${lines.join('\n')}\n};`,
  ) as (r: typeof RUNTIME, f: ItemDecoder[]) => RecordDecoder;
  return factory(RUNTIME, compiler.functions);
}
