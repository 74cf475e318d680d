import fc from 'fast-check';
import t from 'tap';
import {
  CRC_BYTES,
  FLAG_ACK_REQUESTED,
  FLAG_RETRANSMISSION,
  HEADER_BYTES,
  MAX_BODY_BYTES,
  MAX_ENCODED_FRAME_BYTES,
  MAX_PAYLOAD_BYTES,
  PROTOCOL_VERSION,
  cobsDecode,
  cobsEncode,
  crc16CcittFalse,
  encodeFrameBytes,
  parseFrameBytes,
} from '../../src/framing/index.js';

const scratch = new Uint8Array(MAX_ENCODED_FRAME_BYTES);

t.test('constants of the frame (ICD-FRM-003, ICD-FRM-004, ICD-FRM-007)', async (t) => {
  t.equal(PROTOCOL_VERSION, 1);
  t.equal(HEADER_BYTES, 5);
  t.equal(CRC_BYTES, 2);
  t.equal(MAX_BODY_BYTES, 256);
  t.equal(MAX_PAYLOAD_BYTES, 249);
  t.equal(FLAG_ACK_REQUESTED, 0x01);
  t.equal(FLAG_RETRANSMISSION, 0x02);
  t.ok(MAX_ENCODED_FRAME_BYTES >= cobsEncode(new Uint8Array(MAX_BODY_BYTES).fill(7)).length, 'bound holds a full body');
});

t.test('encodeFrameBytes: COBS(version | type | seq le | flags | payload | crc le) 0x00', async (t) => {
  const wire = encodeFrameBytes(0x44, 0xbeef, FLAG_ACK_REQUESTED, Uint8Array.of(0x10, 0x00, 0x20));
  t.equal(wire[wire.length - 1], 0);
  const body = cobsDecode(wire.subarray(0, wire.length - 1))!;
  const crc = crc16CcittFalse(body, 0, 8);
  t.same([...body], [1, 0x44, 0xef, 0xbe, 1, 0x10, 0x00, 0x20, crc & 0xff, crc >> 8]);
});

t.test('property: parseFrameBytes reads back what encodeFrameBytes wrote', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 3 }),
      fc.uint8Array({ maxLength: MAX_PAYLOAD_BYTES }),
      (type, seq, flags, payload) => {
        const wire = encodeFrameBytes(type, seq, flags, payload);
        const frame = parseFrameBytes(wire.subarray(0, wire.length - 1), scratch);
        return (
          frame.ok &&
          frame.version === 1 &&
          frame.typeCode === type &&
          frame.seq === seq &&
          frame.flags === flags &&
          Buffer.from(frame.payload).equals(Buffer.from(payload))
        );
      },
    ),
    { numRuns: 1000 },
  );
  t.pass();
});

t.test('parseFrameBytes rejections', async (t) => {
  const wireOf = (body: number[], fixCrc = true): Uint8Array => {
    const b = Uint8Array.from(body);
    if (fixCrc) {
      const crc = crc16CcittFalse(b, 0, b.length - 2);
      b[b.length - 2] = crc & 0xff;
      b[b.length - 1] = crc >> 8;
    }
    return cobsEncode(b);
  };
  t.match(parseFrameBytes(Uint8Array.of(0x05, 1, 2), scratch), { ok: false, error: 'cobs' });
  t.match(parseFrameBytes(wireOf([1, 2, 0, 0, 0, 0]), scratch), { ok: false, error: 'length' });
  t.match(parseFrameBytes(wireOf([1, 2, 0, 0, 0, 0, 0]), scratch), { ok: true, payload: new Uint8Array(0) });
  t.match(parseFrameBytes(wireOf(new Array<number>(257).fill(1)), scratch), { ok: false, error: 'length' });
  t.match(parseFrameBytes(wireOf([1, 2, 0, 0, 0, 9, 0, 0], false), scratch), { ok: false, error: 'crc' });
  t.match(parseFrameBytes(wireOf([0, 2, 0, 0, 0, 0, 0]), scratch), { ok: false, error: 'version' });
  t.match(parseFrameBytes(wireOf([1, 2, 0, 0, 0x80, 0, 0]), scratch), { ok: false, error: 'field' });
  t.match(parseFrameBytes(new Uint8Array(MAX_ENCODED_FRAME_BYTES + 1).fill(1), scratch), {
    ok: false,
    error: 'length',
  });
});
