import fc from 'fast-check';
import t from 'tap';
import { BoundedDelimiterParser, MAX_ENCODED_FRAME_BYTES } from '../../src/framing/index.js';
import { chunkStream } from './chunk-stream.js';

interface Run {
  blocks: string[];
  overflows: number[];
  partials: number[];
}

/** Feed `chunks` through a parser and record what it emits and reports (all synchronous). */
function run(chunks: Uint8Array[], maxFrameBytes?: number): Run {
  const result: Run = { blocks: [], overflows: [], partials: [] };
  const parser = new BoundedDelimiterParser({
    ...(maxFrameBytes === undefined ? {} : { maxFrameBytes }),
    onOverflow: (n) => result.overflows.push(n),
    onPartialAtEnd: (n) => result.partials.push(n),
  });
  parser.on('data', (block: Buffer) => result.blocks.push(block.toString('hex')));
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return result;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const filled = (length: number, value = 0x41): Uint8Array => new Uint8Array(length).fill(value);

t.test('splits at 0x00 and drops the delimiter', async (t) => {
  t.same(run([bytes(1, 2, 0, 3, 0)]).blocks, ['0102', '03']);
});

t.test('empty blocks (idle fill) are not emitted and not counted (ICD-FRM-002)', async (t) => {
  const r = run([bytes(0, 0, 1, 0, 0, 0, 2, 0, 0)]);
  t.same(r, { blocks: ['01', '02'], overflows: [], partials: [] });
});

t.test('a partial block at end of stream is discarded and reported, not flushed', async (t) => {
  t.same(run([bytes(1, 0, 2, 3)]), { blocks: ['01'], overflows: [], partials: [2] });
  t.same(run([bytes(1, 0), bytes(2), bytes(3)]), { blocks: ['01'], overflows: [], partials: [2] });
});

t.test('the bound is exact: maxFrameBytes passes, one more is discarded', async (t) => {
  const max = MAX_ENCODED_FRAME_BYTES;
  t.same(run([filled(max), bytes(0)]).blocks, [Buffer.from(filled(max)).toString('hex')]);
  t.same(run([filled(max + 1), bytes(0, 7, 0)]), { blocks: ['07'], overflows: [max + 1], partials: [] });
  t.same(
    run([filled(100), filled(max - 100), bytes(0)]).blocks.map((b) => b.length / 2),
    [max],
    'across chunks',
  );
  t.same(run([filled(100), filled(max - 99), bytes(0, 7, 0)]), { blocks: ['07'], overflows: [max + 1], partials: [] });
});

t.test('1 MB without a delimiter: counted once, memory bounded, next frames intact', async (t) => {
  const megabyte = 1 << 20;
  for (const chunkSize of [megabyte, 4096, 1000, 7]) {
    const chunks: Uint8Array[] = [];
    for (let sent = 0; sent < megabyte; sent += chunkSize)
      chunks.push(filled(Math.min(chunkSize, megabyte - sent), 0x5a));
    chunks.push(bytes(0, 1, 2, 0), bytes(3, 0));
    const r = run(chunks, 64);
    // Nothing of the run reaches a block: the parser never held more than the bound of it.
    t.same(r, { blocks: ['0102', '03'], overflows: [megabyte], partials: [] }, `chunks of ${chunkSize}`);
  }
  const noEnd = run([filled(1 << 20)], 64);
  t.same(noEnd, { blocks: [], overflows: [], partials: [1 << 20] }, 'unterminated: reported at end as partial');
});

t.test('property: any chunking emits the same blocks and reports', async (t) => {
  const stream = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ minLength: 60, maxLength: 120 }).map((a) => a.map((b) => b || 9)),
        fc.constant(new Uint8Array(1)),
      ),
      { maxLength: 20 },
    )
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (whole, cuts) => {
      const once = run([whole], 64);
      const pieces = run(chunkStream(whole, cuts), 64);
      return (
        JSON.stringify(once) === JSON.stringify(pieces) && once.blocks.every((b) => b.length > 0 && b.length / 2 <= 64)
      );
    }),
    { numRuns: 1000 },
  );
  t.pass();
});
