import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import {
  AsterixDecoder,
  AsterixEncodeError,
  CAT034,
  CAT048,
  CAT062,
  CATEGORIES,
  type CategorySpec,
  encodeBlock,
  plainRecord,
  readCapture,
} from '../../src/asterix/index.js';
import type { ItemStructure } from '../../src/asterix/item-spec.js';
import { fieldBits } from '../../src/asterix/item-spec.js';
import { recordOf } from './support/record-arbitrary.js';
import { INTEROP_DIR, INTEROP_SKIP } from './support/tshark.js';

const SEED = Number(process.env['SHIELDLINK_FUZZ_SEED'] ?? 8_008);

t.test('every table entry adds up: fixed items fill their octets, extended parts leave the FX bit', async (t) => {
  const problems: string[] = [];
  const check = (where: string, structure: ItemStructure): void => {
    if (structure.kind === 'fixed' && fieldBits(structure.fields) !== structure.bytes * 8)
      problems.push(`${where}: ${fieldBits(structure.fields)} bits in ${structure.bytes} octets`);
    if (structure.kind === 'extended') {
      structure.parts.forEach((fields, k) => {
        const size = structure.partBytes[Math.min(k, structure.partBytes.length - 1)]!;
        if (fieldBits(fields) !== size * 8 - 1)
          problems.push(`${where} part ${k}: ${fieldBits(fields)} bits, expected ${size * 8 - 1}`);
      });
    }
    if (structure.kind === 'repetitive') check(where, structure.element);
    if (structure.kind === 'repetitive-fx' && fieldBits(structure.element.fields) !== structure.element.bytes * 8 - 1)
      problems.push(`${where}: element FX`);
    if (structure.kind === 'compound')
      structure.subfields.forEach((sub) => sub && check(`${where}/${sub.name}`, sub.item));
  };
  for (const spec of [CAT034, CAT048, CAT062])
    for (const item of spec.uap) if (item) check(`CAT${spec.category}/${item.id}`, item.structure);
  t.same(problems, []);
});

for (const spec of [CAT048, CAT034, CAT062] as CategorySpec[]) {
  t.test(`CAT${spec.category}: decode(encode(records)) returns the records (values on the LSB grid)`, async (t) => {
    fc.assert(
      fc.property(fc.array(recordOf(spec), { minLength: 1, maxLength: 5 }), (records) => {
        const block = encodeBlock(spec.category, records);
        const { records: decoded, errors } = new AsterixDecoder().decodeAll(block);
        return errors.length === 0 && isDeepStrictEqual(decoded.map(plainRecord), records);
      }),
      { seed: SEED, numRuns: 300 },
    );
    t.pass();
  });
}

t.test('the example of the command-line documentation encodes and decodes', async (t) => {
  const record = {
    category: 48,
    items: {
      '010': { SAC: 25, SIC: 201 },
      '140': { ToD: 27354.6015625 },
      '040': { RHO: 197.68359375, THETA: 340.13671875 },
      '090': { V: 0, G: 0, FL: 330 },
      '161': { TRN: 3563 },
      '200': { GSP: 0.12066650390625, HDG: 124.002685546875 },
    },
  };
  const decoded = new AsterixDecoder().decodeAll(encodeBlock(48, [record])).records;
  t.same(decoded.map(plainRecord), [record]);
});

t.test('encoding refuses what cannot be put on the wire, with the item and field named', async (t) => {
  t.throws(
    () => encodeBlock(48, [{ category: 48, items: { '040': { RHO: 300, THETA: 0 } } }]),
    new AsterixEncodeError('I048/040/RHO: 300 is outside [0, 255.99609375]'),
  );
  t.throws(() => encodeBlock(48, [{ category: 48, items: { '999': {} } }]), AsterixEncodeError);
  t.throws(
    () => encodeBlock(48, [{ category: 48, items: { '010': { SAC: 1, SIC: 2, XYZ: 3 } } }]),
    /unknown field XYZ/,
  );
  t.throws(() => encodeBlock(48, [{ category: 48, items: { '010': { SAC: Number.NaN, SIC: 2 } } }]), /finite number/);
  t.throws(() => encodeBlock(48, [{ category: 48, items: {} }]), /at least one item/);
  t.throws(() => encodeBlock(21, []), /no table for CAT21/);
  t.throws(
    () => encodeBlock(48, [{ category: 34, items: { '000': { MessageType: 1 } } }]),
    /CAT34 record in a CAT48 block/,
  );
});

t.test(
  'real blocks re-encode to the same records (and bytes, but for unassigned ICAO characters)',
  { skip: INTEROP_SKIP },
  async (t) => {
    let blocks = 0;
    let sameBytes = 0;
    for (const file of ['cat_034_048.pcap', 'cat_062_065.pcap']) {
      for (const datagram of readCapture(readFileSync(path.join(INTEROP_DIR, file))).datagrams) {
        const payload = datagram.payload;
        for (let offset = 0; offset + 3 <= payload.length;) {
          const block = payload.subarray(offset, offset + ((payload[offset + 1]! << 8) | payload[offset + 2]!));
          offset += block.length;
          if (!CATEGORIES.has(block[0]!)) continue;
          const records = new AsterixDecoder().decodeAll(block).records;
          const again = encodeBlock(block[0]!, records);
          t.same(new AsterixDecoder().decodeAll(again).records, records);
          blocks++;
          if (Buffer.compare(Buffer.from(again), Buffer.from(block)) === 0) sameBytes++;
        }
      }
    }
    t.ok(blocks >= 100, `${blocks} blocks`);
    t.ok(
      sameBytes >= blocks - 2,
      `${sameBytes} of ${blocks} byte-identical (two carry aircraft ids of unassigned 6-bit codes, decoded as spaces)`,
    );
  },
);
