import { DelimiterParser } from '@serialport/parser-delimiter';
import { FRAME_DELIMITER, MAX_ENCODED_FRAME_BYTES } from './frame-layout.js';

/** Options of {@link FrameSplitter}. */
export interface FrameSplitterOptions {
  /** Called once per non-empty block between two delimiters (without them), in stream order. */
  onBlock: (block: Uint8Array) => void;
  /** Largest block accepted between two delimiters; default MAX_ENCODED_FRAME_BYTES. */
  maxFrameBytes?: number;
  /** Called once per discarded over-long run (its length counted up to the next delimiter). */
  onOverflow?: (discardedBytes: number) => void;
  /** Called by end() when a partial frame is pending, which is discarded. */
  onPartialAtEnd?: (discardedBytes: number) => void;
}

/**
 * `@serialport/parser-delimiter` (the splitter the design mandates) with one input hook: the
 * blocks its transform emits go straight to a function instead of through a Readable's buffer
 * and `data` event. Only {@link FrameSplitter} uses it, and never as a stream.
 */
class HookedDelimiterParser extends DelimiterParser {
  constructor(private readonly sink: (block: Uint8Array) => void) {
    super({ delimiter: [FRAME_DELIMITER] });
  }

  /** The stock transform calls this once per block, synchronously. */
  override push(chunk: unknown): boolean {
    this.sink(chunk as Uint8Array);
    return true;
  }

  /** Forget the partial block held between chunks. */
  clear(): void {
    this.buffer = EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);
/** What Writable hands `_transform` as the encoding of a Buffer chunk (outside BufferEncoding's type). */
const BUFFER_ENCODING = 'buffer' as BufferEncoding;

/**
 * Whether the stock transform, given `chunk`, pushes each block and calls back before
 * returning, and keeps the rest in `buffer` — what FrameSplitter relies on.
 */
function splitsInline(chunk: Uint8Array): boolean {
  const blocks: number[][] = [];
  const parser = new HookedDelimiterParser((block) => blocks.push([...block]));
  let calledBack = false;
  try {
    parser._transform(chunk as Buffer, BUFFER_ENCODING, () => (calledBack = true));
  } catch {
    return false;
  }
  return calledBack && JSON.stringify(blocks) === '[[1]]' && JSON.stringify([...parser.buffer]) === '[2]';
}

// Checked at load, so a changed parser fails at start rather than mid-run.
if (!splitsInline(Buffer.from([1, 0, 2]))) {
  throw new Error('@serialport/parser-delimiter does not split synchronously as FrameSplitter requires');
}
/**
 * The stock transform only hands its chunk to Buffer.concat, which takes any Uint8Array, so
 * received chunks go in as they are; should a version need a real Buffer, they get a view.
 */
const TAKES_UINT8ARRAY = splitsInline(Uint8Array.from([1, 0, 2]));

/**
 * Splits a byte stream at 0x00 into frame blocks, synchronously and bounded (ICD-FRM-002).
 *
 * The split itself is `@serialport/parser-delimiter`'s transform, called directly rather than
 * through `Writable.write` → `Transform._write` → `Readable.push` → `emit('data')`: that
 * round trip cost about as much per frame as decoding it, plus a nextTick per write. This
 * relies on the stock transform being synchronous — it splits, pushes every block and calls
 * back before returning, and keeps the unterminated rest in its `buffer` field, as 13.x does.
 * A check when this module loads and test/framing/frame-splitter.test.ts pin that; push() also
 * throws if a transform ever returns without calling back. Blocks are Buffers (the stock
 * parser's slices).
 *
 * Contract:
 * - `onBlock` is called synchronously from push(), once per non-empty block, in stream order;
 *   the block excludes its delimiter and is never reused by the splitter (listeners may keep
 *   it). Empty blocks (consecutive delimiters, idle fill) are skipped.
 * - A run longer than `maxFrameBytes` without a delimiter is discarded, reported once through
 *   `onOverflow` with its whole length when its delimiter arrives, and splitting resumes after
 *   it. Memory held is at most `maxFrameBytes` plus one input chunk, whatever the input.
 * - end() discards a pending partial block (reported through `onPartialAtEnd`, counting an
 *   over-long run in progress too) and leaves the splitter empty, ready for a new stream.
 * - push() or end() called from inside a callback (a listener reacting to a frame) is queued
 *   and handled after the current chunk, in call order, as a Writable stream buffers writes.
 * - A callback that throws propagates out of the outermost push()/end(); the rest of that
 *   chunk, the partial block and any queued input are dropped, and the splitter stays usable.
 */
export class FrameSplitter {
  private readonly maxFrameBytes: number;
  private readonly onOverflow: (discardedBytes: number) => void;
  private readonly onPartialAtEnd: (discardedBytes: number) => void;
  private readonly parser: HookedDelimiterParser;
  /** Bytes of the current run already handed to the stock parser. */
  private pendingBytes = 0;
  /** True while discarding an over-long run until the next delimiter. */
  private discarding = false;
  private discardedBytes = 0;
  /** Set while a chunk is being split: reentrant input waits in `queued`. */
  private busy = false;
  /** Input that arrived while busy; `null` stands for end(). */
  private readonly queued: (Uint8Array | null)[] = [];
  private transformReturned = false;
  private readonly afterTransform = (): void => {
    this.transformReturned = true;
  };

  constructor(options: FrameSplitterOptions) {
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_ENCODED_FRAME_BYTES;
    this.onOverflow = options.onOverflow ?? (() => undefined);
    this.onPartialAtEnd = options.onPartialAtEnd ?? (() => undefined);
    const onBlock = options.onBlock;
    this.parser = new HookedDelimiterParser((block) => {
      if (block.length > 0) onBlock(block);
    });
  }

  /** Feed received bytes (any chunking). Never throws on input. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.busy) {
      this.queued.push(chunk);
      return;
    }
    this.run(chunk);
  }

  /** End of stream: a pending partial block is discarded and reported. */
  end(): void {
    if (this.busy) {
      this.queued.push(null);
      return;
    }
    this.run(null);
  }

  private run(first: Uint8Array | null): void {
    this.busy = true;
    try {
      let input = first;
      for (;;) {
        if (input === null) this.finish();
        else this.split(input);
        if (this.queued.length === 0) break;
        input = this.queued.shift() as Uint8Array | null;
      }
    } catch (error) {
      this.reset();
      throw error;
    } finally {
      this.busy = false;
      this.queued.length = 0;
    }
  }

  /** Bound the runs of `chunk`, then let the stock parser split what is kept. */
  private split(chunk: Uint8Array): void {
    // Kept spans of `chunk` when some run is discarded; undefined while every run is kept.
    let pieces: Uint8Array[] | undefined;
    let keptFrom = 0;
    let start = 0;
    while (start < chunk.length) {
      const delimiterAt = chunk.indexOf(FRAME_DELIMITER, start);
      const runEnd = delimiterAt === -1 ? chunk.length : delimiterAt;
      const runLength = runEnd - start;
      let keep = false;
      if (this.discarding) {
        this.discardedBytes += runLength;
      } else if (this.pendingBytes + runLength > this.maxFrameBytes) {
        this.discarding = true;
        this.discardedBytes = this.pendingBytes + runLength;
        // Only the first run of a chunk can continue a run the stock parser holds; drop it.
        if (start === 0) this.parser.clear();
        this.pendingBytes = 0;
      } else {
        this.pendingBytes += runLength;
        keep = true;
      }
      const next = delimiterAt === -1 ? chunk.length : delimiterAt + 1;
      if (!keep) {
        // The discarded run (and its delimiter: the stock parser holds nothing now) is cut out.
        pieces ??= [];
        if (start > keptFrom) pieces.push(chunk.subarray(keptFrom, start));
        keptFrom = next;
      }
      if (delimiterAt === -1) break;
      if (this.discarding) {
        this.discarding = false;
        this.onOverflow(this.discardedBytes);
        this.discardedBytes = 0;
      } else {
        this.pendingBytes = 0;
      }
      start = next;
    }
    if (pieces === undefined) {
      this.transform(chunk);
      return;
    }
    if (chunk.length > keptFrom) pieces.push(chunk.subarray(keptFrom));
    if (pieces.length > 0) this.transform(pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
  }

  private transform(kept: Uint8Array): void {
    const buffer =
      TAKES_UINT8ARRAY || Buffer.isBuffer(kept)
        ? (kept as Buffer)
        : Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength);
    this.transformReturned = false;
    this.parser._transform(buffer, BUFFER_ENCODING, this.afterTransform);
    if (!this.transformReturned) {
      throw new Error('@serialport/parser-delimiter no longer transforms synchronously: FrameSplitter needs it to');
    }
  }

  private finish(): void {
    const partial = this.pendingBytes + (this.discarding ? this.discardedBytes : 0);
    this.reset();
    if (partial > 0) this.onPartialAtEnd(partial);
  }

  private reset(): void {
    this.parser.clear();
    this.pendingBytes = 0;
    this.discarding = false;
    this.discardedBytes = 0;
  }
}
