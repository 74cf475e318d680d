import { Transform, type TransformCallback } from 'node:stream';
import { FrameSplitter } from './frame-splitter.js';

/** Options of {@link BoundedDelimiterParser}. */
export interface BoundedDelimiterParserOptions {
  /** Largest block accepted between two delimiters; default MAX_ENCODED_FRAME_BYTES. */
  maxFrameBytes?: number;
  /** Called once per discarded over-long run (its length counted up to the cut-off). */
  onOverflow?: (discardedBytes: number) => void;
  /** Called when the stream ends with a partial frame pending, which is discarded. */
  onPartialAtEnd?: (discardedBytes: number) => void;
}

/**
 * The bounded 0x00 splitter as a Node Transform stream, for code that pipes bytes (a serial
 * port's stream). Blocks are split by {@link FrameSplitter}, i.e. by
 * `@serialport/parser-delimiter` with delimiter 0x00, bounded (ICD-FRM-002):
 * - a run longer than `maxFrameBytes` without a delimiter is discarded and counted, and the
 *   parser resynchronises at the next 0x00 (the stock parser buffers without limit);
 * - a partial frame pending at end of stream is discarded, not flushed as a frame;
 * - empty blocks (consecutive delimiters) are not emitted: 0x00 may be sent as idle fill.
 * Memory held is at most `maxFrameBytes` plus one input chunk, whatever the input. Blocks are
 * emitted as `data` (Buffers) synchronously from `write()` while the stream flows. Code that
 * has the bytes in hand (FrameReader) uses FrameSplitter directly and skips the stream.
 */
export class BoundedDelimiterParser extends Transform {
  private readonly splitter: FrameSplitter;

  constructor(options: BoundedDelimiterParserOptions = {}) {
    super();
    this.splitter = new FrameSplitter({ ...options, onBlock: (block) => this.push(block) });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.splitter.push(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.splitter.end();
    callback();
  }
}
