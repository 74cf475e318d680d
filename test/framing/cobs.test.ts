import fc from 'fast-check';
import t from 'tap';
import {
  cobsDecode,
  cobsDecodeInto,
  cobsEncode,
  cobsEncodeInto,
  cobsMaxEncodedLength,
} from '../../src/framing/index.js';

const seq = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The examples of the COBS article on Wikipedia (the form the Python `cobs` package emits). */
const KNOWN: [string, number[], number[]][] = [
  ['one zero', [0x00], [0x01, 0x01]],
  ['two zeros', [0x00, 0x00], [0x01, 0x01, 0x01]],
  ['zero inside', [0x00, 0x11, 0x00], [0x01, 0x02, 0x11, 0x01]],
  ['zero in the middle', [0x11, 0x22, 0x00, 0x33], [0x03, 0x11, 0x22, 0x02, 0x33]],
  ['no zero', [0x11, 0x22, 0x33, 0x44], [0x05, 0x11, 0x22, 0x33, 0x44]],
  ['trailing zeros', [0x11, 0x00, 0x00, 0x00], [0x02, 0x11, 0x01, 0x01, 0x01]],
  ['254 non-zero bytes', seq(0x01, 0xfe), [0xff, ...seq(0x01, 0xfe)]],
  ['a zero then 254 non-zero bytes', seq(0x00, 0xfe), [0x01, 0xff, ...seq(0x01, 0xfe)]],
  ['255 non-zero bytes', seq(0x01, 0xff), [0xff, ...seq(0x01, 0xfe), 0x02, 0xff]],
  ['254 non-zero bytes then a zero', [...seq(0x02, 0xff), 0x00], [0xff, ...seq(0x02, 0xff), 0x01, 0x01]],
  ['253 non-zero bytes, a zero, one byte', [...seq(0x03, 0xff), 0x00, 0x01], [0xfe, ...seq(0x03, 0xff), 0x02, 0x01]],
  ['empty', [], [0x01]],
];

t.test('known vectors, both ways', async (t) => {
  for (const [name, raw, encoded] of KNOWN) {
    t.same([...cobsEncode(Uint8Array.from(raw))], encoded, `encode ${name}`);
    t.same([...(cobsDecode(Uint8Array.from(encoded)) ?? [-1])], raw, `decode ${name}`);
  }
});

t.test('a full group that ends the input may be followed by an empty group on receive (ICD-FRM-001)', async (t) => {
  // Cheshire & Baker's original code emits FF <254 bytes> 01; receivers accept it.
  t.same([...cobsDecode(Uint8Array.from([0xff, ...seq(0x01, 0xfe), 0x01]))!], seq(0x01, 0xfe));
});

t.test('malformed blocks are refused', async (t) => {
  t.equal(cobsDecode(Uint8Array.of(0x00)), undefined, 'zero code byte');
  t.equal(cobsDecode(Uint8Array.of(0x03, 0x11)), undefined, 'code past the end');
  t.equal(cobsDecode(Uint8Array.of(0x03, 0x11, 0x00)), undefined, 'zero data byte');
  t.equal(cobsDecode(Uint8Array.of(0xff, 0x11)), undefined, 'full group cut short');
});

t.test('encodeInto writes at an offset and returns the end', async (t) => {
  const out = new Uint8Array(10).fill(0xaa);
  t.equal(cobsEncodeInto(Uint8Array.of(0x11, 0x00, 0x22), out, 2), 6);
  t.same([...out], [0xaa, 0xaa, 0x02, 0x11, 0x02, 0x22, 0xaa, 0xaa, 0xaa, 0xaa]);
});

t.test('property: round trip, no zero in the output, within the size bound', async (t) => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 600 }),
    // Long runs without zeros exercise the 254-byte groups.
    fc.uint8Array({ minLength: 240, maxLength: 800 }).map((a) => a.map((b) => b || 1)),
    fc.array(fc.constantFrom(0, 1, 0xff), { maxLength: 600 }).map((a) => Uint8Array.from(a)),
  );
  fc.assert(
    fc.property(bytes, (raw) => {
      const encoded = cobsEncode(raw);
      if (encoded.includes(0)) return false;
      if (encoded.length > cobsMaxEncodedLength(raw.length)) return false;
      const decoded = new Uint8Array(encoded.length);
      const length = cobsDecodeInto(encoded, decoded);
      return length === raw.length && Buffer.from(decoded.subarray(0, length)).equals(Buffer.from(raw));
    }),
    { numRuns: 1000 },
  );
  t.pass();
});

t.test('property: the encoded size is exact (one code per 254-byte group or zero)', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 700 }), (raw) => {
      let expected = 1;
      let run = 0;
      for (let i = 0; i < raw.length; i++) {
        if (raw[i] === 0) {
          expected += 1;
          run = 0;
        } else {
          expected += 1;
          run++;
          if (run === 254 && i < raw.length - 1) {
            expected += 1;
            run = 0;
          }
        }
      }
      return cobsEncode(raw).length === expected;
    }),
  );
  t.pass();
});
