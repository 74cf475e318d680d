import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import {
  AsterixDecoder,
  CAT034,
  CAT048,
  CAT062,
  CATEGORIES,
  decodeRecord,
  encodeBlock,
  plainRecord,
  readCapture,
} from '../../src/asterix/index.js';
import { recordOf } from '../asterix/support/record-arbitrary.js';
import { INTEROP_DIR } from '../asterix/support/tshark.js';
import { DECODER_RUNS, FUZZ_SEED } from './support/fuzz-settings.js';

/**
 * The ASTERIX decoder on hostile bytes: random datagrams, real and generated blocks with bytes
 * replaced, inserted, deleted or cut. It must never throw; every block is either decoded, skipped
 * (unknown category) or counted malformed, and a malformed block never hides a well-formed block
 * after it in the same datagram.
 */

const sourceBlocks: Uint8Array[] = [];
try {
  for (const datagram of readCapture(readFileSync(path.join(INTEROP_DIR, 'cat_034_048.pcap'))).datagrams)
    sourceBlocks.push(datagram.payload);
} catch {
  // without the shared captures the generated blocks below still run
}

function check(bytes: Uint8Array): boolean {
  const decoder = new AsterixDecoder();
  let records = 0;
  let errors = 0;
  decoder.decode(bytes, { record: () => records++, error: () => errors++ });
  const c = decoder.counters;
  return c.records === records && c.malformedBlocks === errors && c.blocks >= c.unknownCategoryBlocks;
}

t.test('random datagrams never throw', async (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), check), { seed: FUZZ_SEED, numRuns: DECODER_RUNS });
  t.pass();
});

t.test('edited real and generated blocks never throw', async (t) => {
  const generated = fc
    .array(recordOf(CAT048), { minLength: 1, maxLength: 3 })
    .map((records) => encodeBlock(48, records));
  const source = sourceBlocks.length > 0 ? fc.oneof(fc.constantFrom(...sourceBlocks), generated) : generated;
  const edited = fc
    .tuple(
      source,
      fc.array(
        fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'insert', 'delete', 'cut')),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([block, edits]) => {
      let bytes = Array.from(block);
      for (const [at, value, op] of edits) {
        const p = at % (bytes.length + 1);
        if (op === 'set' && p < bytes.length) bytes[p] = value;
        else if (op === 'insert') bytes.splice(p, 0, value);
        else if (op === 'delete') bytes.splice(p, 1);
        else bytes = bytes.slice(0, p);
      }
      return Uint8Array.from(bytes);
    });
  fc.assert(fc.property(edited, check), { seed: FUZZ_SEED, numRuns: Math.max(1000, DECODER_RUNS / 4) });
  t.pass();
});

t.test('a malformed block is counted and dropped; the next block of the datagram still decodes', async (t) => {
  const good = encodeBlock(48, [{ category: 48, items: { '010': { SAC: 1, SIC: 2 }, '161': { TRN: 7 } } }]);
  // FSPEC announces I048/010 and I048/140 but the block ends after 010
  const bad = Uint8Array.from([48, 0, 6, 0xc0, 1, 2]);
  const unknown = Uint8Array.from([21, 0, 5, 0xaa, 0xbb]);
  const decoder = new AsterixDecoder();
  const { records, errors } = decoder.decodeAll(Uint8Array.from([...bad, ...unknown, ...good]));
  t.equal(records.length, 1);
  t.same(records[0]!.items.get('161'), { TRN: 7 });
  t.equal(errors.length, 1);
  t.equal(errors[0]!.kind, 'record-overrun');
  t.same(decoder.counters, { blocks: 3, records: 1, unknownCategoryBlocks: 1, malformedBlocks: 1 });
  // an FRN outside the UAP, an empty FSPEC, LEN < 3, LEN past the end
  t.equal(new AsterixDecoder().decodeAll(Uint8Array.from([62, 0, 5, 0x40, 0])).errors[0]!.kind, 'undefined-item');
  t.equal(new AsterixDecoder().decodeAll(Uint8Array.from([48, 0, 4, 0x00])).errors[0]!.kind, 'malformed-item');
  t.equal(new AsterixDecoder().decodeAll(Uint8Array.from([48, 0, 2])).errors[0]!.kind, 'bad-block-length');
  t.equal(new AsterixDecoder().decodeAll(Uint8Array.from([48, 0, 9, 0x80])).errors[0]!.kind, 'truncated-block');
});

/** The readable interpreter (decode-item.ts) over one datagram: records or the first error kind per block. */
function reference(bytes: Uint8Array): unknown[] {
  const out: unknown[] = [];
  for (let offset = 0; offset + 3 <= bytes.length;) {
    const length = (bytes[offset + 1]! << 8) | bytes[offset + 2]!;
    if (length < 3 || offset + length > bytes.length) break;
    const spec = CATEGORIES.get(bytes[offset]!);
    if (spec) {
      const cursor = { pos: offset + 3, end: offset + length };
      const records: unknown[] = [];
      try {
        while (cursor.pos < cursor.end) records.push(plainRecord(decodeRecord(spec, bytes, cursor)));
        out.push(...records);
      } catch (error) {
        out.push({ error: (error as { kind: string }).kind });
      }
    }
    offset += length;
  }
  return out;
}

function compiled(bytes: Uint8Array): unknown[] {
  const out: unknown[] = [];
  new AsterixDecoder().decode(bytes, {
    record: (record) => out.push(plainRecord(record)),
    error: (error) => out.push({ error: error.kind }),
  });
  return out.filter(
    (entry) => !['bad-block-length', 'truncated-block'].includes((entry as { error?: string }).error ?? ''),
  );
}

t.test('the generated decoders equal the reference interpreter on edited and generated blocks', async (t) => {
  const generated = fc.oneof(
    ...[CAT048, CAT034, CAT062].map((spec) =>
      fc.array(recordOf(spec), { minLength: 1, maxLength: 3 }).map((records) => encodeBlock(spec.category, records)),
    ),
  );
  const edited = fc.tuple(generated, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([block, at, value]) => {
    const copy = Uint8Array.from(block);
    if (at % 3 !== 0) copy[3 + (at % (copy.length - 3))] = value; // keep the header, edit the body a third of the time
    return copy;
  });
  fc.assert(
    fc.property(edited, (bytes) => isDeepStrictEqual(compiled(bytes), reference(bytes))),
    { seed: FUZZ_SEED, numRuns: 2000 },
  );
  t.pass();
});
