import { DelimiterParser } from '@serialport/parser-delimiter';
import fc from 'fast-check';
import t from 'tap';
import { FrameSplitter, type FrameSplitterOptions } from '../../src/framing/index.js';
import { chunkStream } from './chunk-stream.js';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const hex = (block: Uint8Array): string => Buffer.from(block).toString('hex');

/** A splitter that records what it reports. */
function recording(options: Partial<FrameSplitterOptions> = {}) {
  const out = { blocks: [] as string[], overflows: [] as number[], partials: [] as number[] };
  const splitter = new FrameSplitter({
    onBlock: (block) => out.blocks.push(hex(block)),
    onOverflow: (n) => out.overflows.push(n),
    onPartialAtEnd: (n) => out.partials.push(n),
    ...options,
  });
  return { splitter, out };
}

/** The stock parser as a plain stream: the reference the splitter must agree with. */
function stockBlocks(chunks: readonly Uint8Array[]): string[] {
  const blocks: string[] = [];
  const parser = new DelimiterParser({ delimiter: [0] });
  parser.on('data', (block: Buffer) => {
    if (block.length > 0) blocks.push(hex(block));
  });
  for (const chunk of chunks) parser.write(chunk);
  return blocks;
}

t.test('the split is @serialport/parser-delimiter’s own transform, driven without the stream', async (t) => {
  const calls: { held: number }[] = [];
  const original = DelimiterParser.prototype._transform;
  DelimiterParser.prototype._transform = function (this: DelimiterParser, ...args) {
    original.apply(this, args);
    calls.push({ held: this.buffer.length });
  };
  t.teardown(() => {
    DelimiterParser.prototype._transform = original;
  });
  const { splitter, out } = recording();
  splitter.push(bytes(1, 2, 0, 3));
  splitter.push(bytes(4, 0));
  t.same(out.blocks, ['0102', '0304']);
  t.same(calls, [{ held: 1 }, { held: 0 }], 'one stock transform per chunk, the stock buffer holding the rest');
});

t.test('blocks are delivered synchronously from push(), from the very first chunk', async (t) => {
  const { splitter, out } = recording();
  splitter.push(bytes(1, 0));
  t.same(out.blocks, ['01']);
  splitter.push(bytes(2, 0, 0, 3, 0));
  t.same(out.blocks, ['01', '02', '03'], 'empty blocks skipped');
});

t.test('property: same blocks as the stock parser stream, for any chunking (runs within the bound)', async (t) => {
  const stream = fc
    .array(fc.oneof(fc.uint8Array({ maxLength: 60 }), fc.constant(bytes(0)), fc.constant(bytes(0, 0))), {
      maxLength: 30,
    })
    .map((parts) => Uint8Array.from(parts.flatMap((p) => [...p])));
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (whole, cuts) => {
      const chunks = chunkStream(whole, cuts);
      const { splitter, out } = recording({ maxFrameBytes: 10_000 });
      for (const chunk of chunks) splitter.push(chunk);
      return JSON.stringify(out.blocks) === JSON.stringify(stockBlocks(chunks));
    }),
    { numRuns: 1000, seed: 7070 },
  );
  t.pass();
});

t.test('bytes pushed from inside onBlock are split after the current chunk, in order', async (t) => {
  const seen: string[] = [];
  let reentered = false;
  const splitter: FrameSplitter = new FrameSplitter({
    onBlock: (block) => {
      seen.push(hex(block));
      if (!reentered) {
        reentered = true;
        // A listener reacting to the first frame (DeviceLink.detach() pushes a 0x00 this way).
        splitter.push(bytes(9, 0, 8));
        splitter.end();
      }
    },
    onPartialAtEnd: (n) => seen.push(`partial ${n}`),
  });
  splitter.push(bytes(1, 0, 2, 0, 3));
  t.same(seen, ['01', '02', '0309', 'partial 1'], 'the rest of the chunk first, then the reentrant input');
  splitter.push(bytes(4, 0));
  t.same(seen.slice(4), ['04'], 'after end() the splitter starts a new stream');
});

t.test('end() discards the partial block (an over-long run in progress too) and resets', async (t) => {
  const { splitter, out } = recording({ maxFrameBytes: 4 });
  splitter.push(bytes(1, 2));
  splitter.end();
  splitter.push(bytes(5, 5, 5, 5, 5, 5));
  splitter.end();
  splitter.end();
  splitter.push(bytes(7, 0));
  t.same(out, { blocks: ['07'], overflows: [], partials: [2, 6] });
});

t.test('a callback that throws propagates; the splitter stays usable', async (t) => {
  let throwOn = '02';
  const seen: string[] = [];
  const splitter = new FrameSplitter({
    onBlock: (block) => {
      if (hex(block) === throwOn) throw new Error('listener bug');
      seen.push(hex(block));
    },
  });
  t.throws(() => splitter.push(bytes(1, 0, 2, 0, 3, 0, 4)), /listener bug/);
  throwOn = '';
  splitter.push(bytes(5, 0, 6, 0));
  t.same(seen, ['01', '05', '06'], 'the rest of the failing chunk and its partial block are dropped');
});

t.test('1 MB without a delimiter: the stock parser never holds more than the bound', async (t) => {
  const held: number[] = [];
  const original = DelimiterParser.prototype._transform;
  DelimiterParser.prototype._transform = function (this: DelimiterParser, ...args) {
    original.apply(this, args);
    held.push(this.buffer.length);
  };
  t.teardown(() => {
    DelimiterParser.prototype._transform = original;
  });
  const { splitter, out } = recording({ maxFrameBytes: 64 });
  for (let sent = 0; sent < 1 << 20; sent += 4096) splitter.push(new Uint8Array(4096).fill(0x5a));
  splitter.push(bytes(0, 1, 2, 0));
  t.same(out, { blocks: ['0102'], overflows: [1 << 20], partials: [] });
  t.ok(Math.max(...held) <= 64, `largest held ${Math.max(...held)}`);
});
