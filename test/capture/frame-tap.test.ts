import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { type CaptureDirection, decodeCaptureRecord, encodeCaptureRecord } from '../../src/capture/capture-record.js';
import { FrameTap, MAX_TAPPED_BLOCK_BYTES } from '../../src/capture/frame-tap.js';
import { readPcapng } from '../../src/capture/pcapng-reader.js';
import { type TimedFrame, pcapngOf } from '../../src/capture/pcapng-writer.js';

interface Vector {
  readonly name: string;
  readonly wire: string;
  readonly error?: string;
}
const vectors = JSON.parse(readFileSync(new URL('../vectors/frames.json', import.meta.url), 'utf8')) as Vector[];

function tapAll(chunks: readonly Uint8Array[], direction: CaptureDirection = 'unknown'): TimedFrame[] {
  const out: TimedFrame[] = [];
  let now = 0;
  const tap = new FrameTap(
    'radar-1',
    direction,
    (f) => out.push(f),
    () => now++,
  );
  for (const chunk of chunks) tap.push(chunk);
  tap.end();
  return out;
}

t.test('every golden vector becomes one packet; rejected ones keep their bytes and say why', async (t) => {
  const stream = Buffer.concat([Buffer.from([0, 0]), ...vectors.map((v) => Buffer.from(v.wire, 'hex'))]);
  const frames = tapAll([stream]);
  t.equal(frames.length, vectors.length, 'one packet per frame, idle fill skipped');
  for (const [i, vector] of vectors.entries()) {
    const frame = frames[i]!;
    t.equal(Buffer.from(frame.wire).toString('hex'), vector.wire, `${vector.name}: bytes kept`);
    if (vector.error === undefined) t.equal(frame.comment, undefined, `${vector.name}: no comment`);
    else t.match(frame.comment, new RegExp(`^${vector.error}: `), `${vector.name}: marked ${vector.error}`);
  }
});

t.test('a message seen going the wrong way is marked as the receiver would reject it', async (t) => {
  const arm = vectors.find((v) => v.name.startsWith('ARM'))!;
  const [frame] = tapAll([Buffer.from(arm.wire, 'hex')], 'device-to-host');
  t.match(frame!.comment, /^unknown-type: ARM is never sent device-to-host/);
});

t.test('chunk boundaries change nothing (property)', async () => {
  const stream = Buffer.concat(vectors.map((v) => Buffer.from(v.wire, 'hex')));
  const whole = tapAll([stream]).map((f) => [Buffer.from(f.wire).toString('hex'), f.partial, f.comment]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 40 }), (cuts) => {
      const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
      const chunks = points.slice(1).map((end, i) => stream.subarray(points[i]!, end));
      const split = tapAll(chunks).map((f) => [Buffer.from(f.wire).toString('hex'), f.partial, f.comment]);
      return JSON.stringify(split) === JSON.stringify(whole);
    }),
  );
});

t.test('noise without a delimiter is kept as bounded partial packets, and a cut tail too', async (t) => {
  const noise = Buffer.alloc(MAX_TAPPED_BLOCK_BYTES * 2 + 10, 0x55);
  const frames = tapAll([noise]);
  t.same(
    frames.map((f) => [f.wire.length, f.partial]),
    [
      [MAX_TAPPED_BLOCK_BYTES, true],
      [MAX_TAPPED_BLOCK_BYTES, true],
      [10, true],
    ],
  );
  t.match(frames[0]!.comment, /^partial: /);
});

t.test('capture records and pcapng files read back as written (property)', async () => {
  const frame = fc.record({
    link: fc.string({ maxLength: 300 }),
    direction: fc.constantFrom('host-to-device' as const, 'device-to-host' as const, 'unknown' as const),
    wire: fc.uint8Array({ maxLength: 300 }),
    partial: fc.boolean(),
    timestampUs: fc.integer({ min: 0, max: 2 ** 52 }),
    comment: fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
  });
  fc.assert(
    fc.property(fc.array(frame, { maxLength: 20 }), (frames) => {
      const back = readPcapng(pcapngOf(frames));
      return (
        back.length === frames.length &&
        back.every((b, i) => {
          const f = frames[i]!;
          const link = decodeCaptureRecord(encodeCaptureRecord(f)).link;
          return (
            b.link === link &&
            Buffer.byteLength(link) <= 255 &&
            b.direction === f.direction &&
            b.partial === f.partial &&
            Buffer.from(b.wire).equals(Buffer.from(f.wire)) &&
            b.timestampUs === f.timestampUs &&
            b.comment === (f.comment === '' ? '' : f.comment)
          );
        })
      );
    }),
  );
});
