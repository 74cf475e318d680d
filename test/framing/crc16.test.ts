import fc from 'fast-check';
import t from 'tap';
import { crc16CcittFalse } from '../../src/framing/index.js';

/** Bit-by-bit definition: poly 0x1021, init 0xFFFF, MSB first, no reflection, xorout 0. */
function reference(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

t.test('check value of CRC-16/CCITT-FALSE (ICD-FRM-005)', async (t) => {
  t.equal(crc16CcittFalse(new TextEncoder().encode('123456789')), 0x29b1);
  t.equal(crc16CcittFalse(new Uint8Array(0)), 0xffff, 'init value for no bytes');
  t.equal(crc16CcittFalse(Uint8Array.of(0x00)), 0xe1f0);
});

t.test('start and end select a range', async (t) => {
  const bytes = new TextEncoder().encode('xx123456789yy');
  t.equal(crc16CcittFalse(bytes, 2, 11), 0x29b1);
  t.equal(crc16CcittFalse(bytes, 3, 11), crc16CcittFalse(bytes.subarray(3, 11)), 'odd start');
  t.equal(crc16CcittFalse(bytes, 2, 10), reference(bytes.subarray(2, 10)), 'odd length');
});

t.test('property: table-driven CRC equals the bitwise definition', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(3), (bytes, skip) => {
      const start = Math.min(skip, bytes.length);
      return crc16CcittFalse(bytes, start) === reference(bytes.subarray(start));
    }),
    { numRuns: 2000 },
  );
  t.pass();
});

t.test('property: every single-bit error of a body is detected', async (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), fc.nat(), (bytes, pick) => {
      const crc = crc16CcittFalse(bytes);
      const bit = pick % (bytes.length * 8);
      const flipped = bytes.slice();
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      return crc16CcittFalse(flipped) !== crc;
    }),
    { numRuns: 2000 },
  );
  t.pass();
});
