import fc from 'fast-check';
import t from 'tap';
import {
  BoundedDelimiterParser,
  FRAME_ERROR_CODES,
  MAX_ENCODED_FRAME_BYTES,
  encodeFrameBytes,
} from '../../src/framing/index.js';
import {
  CATALOGUE,
  EXAMPLE_MESSAGES,
  FrameReader,
  MESSAGE_NAMES,
  decodeFrame,
  decodeWireFrame,
  encodeMessage,
  messageCodec,
} from '../../src/protocol/index.js';
import { DECODER_RUNS, FUZZ_SEED, assertKeepingFailures } from './support/fuzz-settings.js';

/**
 * Fuzzing the receive path: the frame decoder and every message decoder, on
 * arbitrary bytes, mutated valid frames and CRC-valid frames with random payloads. 0 uncaught
 * exceptions; every rejection a typed FrameError; the framer's blocks never above the largest
 * frame whatever the input (memory bounded by the max frame size).
 */

const VALID = EXAMPLE_MESSAGES.map((e) => encodeMessage(e.message));
const toHex = (bytes: Uint8Array): { hex: string } => ({ hex: Buffer.from(bytes).toString('hex') });

/** Arbitrary bytes, a valid frame with byte mutations, or a CRC-valid frame of any type with any payload. */
const frameInput: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc
    .tuple(
      fc.nat(VALID.length - 1),
      fc.array(fc.tuple(fc.nat(), fc.nat(255), fc.constantFrom('set', 'insert', 'delete')), {
        minLength: 1,
        maxLength: 4,
      }),
    )
    .map(([index, edits]) => {
      const bytes = [...VALID[index]!];
      for (const [at, value, op] of edits) {
        const i = at % (bytes.length + 1);
        if (op === 'set' && i < bytes.length) bytes[i] = value;
        else if (op === 'insert') bytes.splice(i, 0, value);
        else bytes.splice(i, 1);
      }
      return Uint8Array.from(bytes);
    }),
  fc
    .tuple(
      fc.constantFrom(...MESSAGE_NAMES.map((n) => CATALOGUE[n].code), 0, 255),
      fc.nat(0xffff),
      fc.nat(255),
      fc.uint8Array({ maxLength: 64 }),
    )
    .map(([code, seq, flags, payload]) => encodeFrameBytes(code, seq, flags, payload)),
);

t.test(`frame decoders: ${DECODER_RUNS} inputs (seed ${FUZZ_SEED}), 0 exceptions, typed rejections`, async (t) => {
  let ok = 0;
  let rejected = 0;
  assertKeepingFailures(
    'frames',
    frameInput,
    (bytes) => {
      for (const result of [
        decodeWireFrame(bytes),
        decodeFrame(bytes),
        decodeWireFrame(bytes, { receiving: 'device-to-host' }),
      ]) {
        if (result.ok) {
          ok++;
          if (!MESSAGE_NAMES.includes(result.message.type)) return false;
        } else {
          rejected++;
          if (!FRAME_ERROR_CODES.includes(result.error)) return false;
        }
      }
      return true;
    },
    toHex,
    DECODER_RUNS,
  );
  t.comment(`frame decoders: ${DECODER_RUNS} inputs x 3 decoders: ${ok} decoded, ${rejected} rejected, 0 exceptions`);
  t.pass();
});

t.test(`every message decoder: ${DECODER_RUNS} CRC-valid frames with random payloads, 0 exceptions`, async (t) => {
  const perType = new Map<string, { ok: number; rejected: number }>();
  const input = fc
    .tuple(
      fc.constantFrom(...MESSAGE_NAMES),
      fc.nat(0xffff),
      fc.nat(3),
      fc.oneof(
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
        { weight: 3, arbitrary: fc.constant(undefined) },
      ),
    )
    .chain(([name, seq, flags, payload]) => {
      // Mostly the exact payload length of the type, so the field decoders (enums, ranges, u64) run.
      const size = messageCodec(name)!.payloadBytes;
      const exact = fc.uint8Array({ minLength: size, maxLength: size });
      return (payload === undefined ? exact : fc.constant(payload)).map((p) => [name, seq, flags, p] as const);
    });
  assertKeepingFailures(
    'frames',
    input.map(([name, seq, flags, payload]) => ({
      name,
      bytes: encodeFrameBytes(CATALOGUE[name].code, seq, flags, payload),
    })),
    ({ name, bytes }) => {
      const result = decodeWireFrame(bytes);
      const tally = perType.get(name) ?? { ok: 0, rejected: 0 };
      perType.set(name, tally);
      if (result.ok) {
        tally.ok++;
        if (result.message.type !== name) return false;
        // Whatever decodes re-encodes to a frame that decodes to the same message.
        const again = decodeWireFrame(encodeMessage(result.message));
        return again.ok && JSON.stringify(again.message) === JSON.stringify(result.message);
      }
      tally.rejected++;
      return FRAME_ERROR_CODES.includes(result.error);
    },
    ({ bytes }) => toHex(bytes),
    DECODER_RUNS,
  );
  t.equal(perType.size, MESSAGE_NAMES.length, `all ${MESSAGE_NAMES.length} message decoders exercised`);
  t.comment('per type (decoded/rejected): ' + [...perType].map(([n, c]) => `${n} ${c.ok}/${c.rejected}`).join(', '));
});

t.test(
  `stream decoder: ${Math.max(1, Math.floor(DECODER_RUNS / 20))} streams of garbage and frames, memory bounded`,
  async (t) => {
    const streams = Math.max(1, Math.floor(DECODER_RUNS / 20));
    let maxBlock = 0;
    let totalBytes = 0;
    let messages = 0;
    let overflows = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    assertKeepingFailures(
      'frames',
      fc.array(
        fc.oneof(frameInput, fc.constant(Uint8Array.of(0)), fc.uint8Array({ minLength: 300, maxLength: 3000 })),
        {
          maxLength: 20,
        },
      ),
      (chunks) => {
        const parser = new BoundedDelimiterParser({
          maxFrameBytes: MAX_ENCODED_FRAME_BYTES,
          onOverflow: () => overflows++,
          onPartialAtEnd: () => undefined,
        });
        parser.on('data', (block: Buffer) => (maxBlock = Math.max(maxBlock, block.length)));
        const reader = new FrameReader({ onMessage: () => messages++ });
        for (const chunk of chunks) {
          totalBytes += chunk.length;
          parser.write(chunk);
          reader.push(chunk);
        }
        parser.end();
        reader.end();
        return maxBlock <= MAX_ENCODED_FRAME_BYTES;
      },
      (chunks) => toHex(Buffer.concat(chunks)),
      streams,
    );
    const heapDeltaMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    t.ok(maxBlock <= MAX_ENCODED_FRAME_BYTES, `largest block ${maxBlock} <= ${MAX_ENCODED_FRAME_BYTES}`);
    t.comment(
      `stream decoder: ${streams} streams, ${(totalBytes / 2 ** 20).toFixed(1)} MiB, ${messages} messages, ` +
        `${overflows} overflows, largest block ${maxBlock} B (bound ${MAX_ENCODED_FRAME_BYTES}), heap delta ${heapDeltaMb.toFixed(1)} MiB`,
    );
  },
);
