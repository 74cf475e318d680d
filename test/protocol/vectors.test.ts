/**
 * The golden vectors (test/vectors/frames.json, written by generate-vectors.ts) checked both
 * ways: wire → message and message → wire, plus every single-bit corruption of every valid
 * vector. The file is the contract an independent implementation checks itself against, so
 * these tests read it as committed and never regenerate it.
 */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { FRAME_ERROR_CODES, type FrameErrorCode } from '../../src/framing/index.js';
import {
  FrameReader,
  MESSAGE_NAMES,
  type Message,
  decodeWireFrame,
  encodeMessage,
  messageSpec,
} from '../../src/protocol/index.js';

interface ValidVector {
  name: string;
  wire: string;
  message: Message;
}
interface InvalidVector {
  name: string;
  wire: string;
  error: FrameErrorCode;
}

const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as (
  ValidVector | InvalidVector
)[];
const valid = vectors.filter((v): v is ValidVector => 'message' in v);
const invalid = vectors.filter((v): v is InvalidVector => 'error' in v);
const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

t.test('the file covers the contract', async (t) => {
  t.equal(valid.length + invalid.length, vectors.length, 'every entry is valid or invalid');
  t.equal(new Set(vectors.map((v) => v.name)).size, vectors.length, 'names are unique');
  for (const v of vectors) t.match(v.wire, /^([0-9a-f]{2})+$/, `${v.name}: lowercase hex`);
  for (const v of vectors) t.ok(v.wire.endsWith('00') && !v.wire.slice(0, -2).match(/^(..)*00/), `${v.name}: one 00`);
  for (const name of MESSAGE_NAMES) {
    const count = valid.filter((v) => v.message.type === name).length;
    t.ok(count >= (messageSpec(name).direction === 'both' ? 2 : 1), `${name} has ${count} vectors`);
    for (const field of messageSpec(name).fields) {
      if (field.kind !== 'enum') continue;
      for (const value of field.values) {
        t.ok(
          valid.some(
            (v) => (v.message as unknown as Record<string, unknown>)[field.name] === value && v.message.type === name,
          ),
          `${name}.${field.name}=${value} has a vector`,
        );
      }
    }
  }
  t.ok(invalid.length >= 8, `${invalid.length} invalid vectors`);
  for (const code of FRAME_ERROR_CODES)
    t.ok(
      invalid.some((v) => v.error === code),
      `an invalid vector for ${code}`,
    );
  t.ok(valid.some((v) => v.message.seq === 65535) && valid.some((v) => v.message.seq === 0), 'seq wrap');
  t.ok(
    valid.some((v) => Object.values(v.message).some((x) => typeof x === 'number' && x > 2 ** 32)),
    'a u64 above 2^32',
  );
  t.ok(
    valid.some((v) => Object.values(v.message).some((x) => typeof x === 'number' && x < 0)),
    'negative floats',
  );
});

t.test('every valid vector decodes to its message', async (t) => {
  for (const v of valid) t.strictSame(decodeWireFrame(bytes(v.wire)), { ok: true, message: v.message }, v.name);
});

t.test('every valid vector decodes the same without its trailing 00', async (t) => {
  for (const v of valid)
    t.strictSame(decodeWireFrame(bytes(v.wire.slice(0, -2))), { ok: true, message: v.message }, v.name);
});

t.test('every valid message encodes to its wire bytes', async (t) => {
  for (const v of valid) t.equal(Buffer.from(encodeMessage(v.message)).toString('hex'), v.wire, v.name);
});

t.test('every invalid vector is rejected with its error code', async (t) => {
  for (const v of invalid) t.match(decodeWireFrame(bytes(v.wire)), { ok: false, error: v.error }, v.name);
});

t.test('every single-bit flip of every valid vector is rejected', async (t) => {
  for (const v of valid) {
    const wire = bytes(v.wire);
    const accepted: string[] = [];
    for (let i = 0; i < wire.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = wire.slice();
        flipped[i]! ^= 1 << bit;
        if (decodeWireFrame(flipped).ok) accepted.push(`byte ${i} bit ${bit}`);
      }
    }
    t.same(accepted, [], `${v.name}: ${wire.length * 8} flips rejected`);
  }
});

t.test('all vectors as one stream: the valid ones come out, in order', async (t) => {
  const got: Message[] = [];
  const reader = new FrameReader({ onMessage: (m) => got.push(m) });
  for (const v of vectors) reader.push(bytes(v.wire));
  reader.end();
  t.strictSame(
    got,
    valid.map((v) => v.message),
  );
  const errors = Object.values(reader.counters.errors).reduce((a, b) => a + b, 0);
  t.equal(errors, invalid.length, 'each invalid vector counted once');
  for (const code of FRAME_ERROR_CODES) {
    t.equal(reader.counters.errors[code], invalid.filter((v) => v.error === code).length, `${code} counted`);
  }
});
