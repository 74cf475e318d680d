import { DelimiterParser } from '@serialport/parser-delimiter';
import type { TransformCallback } from 'node:stream';
import { FRAME_DELIMITER, MAX_ENCODED_FRAME_BYTES } from './frame-layout.js';

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
 * `@serialport/parser-delimiter` with delimiter 0x00, bounded (ICD-FRM-002):
 * - a run longer than `maxFrameBytes` without a delimiter is discarded and counted, and the
 *   parser resynchronises at the next 0x00 (the stock parser buffers without limit);
 * - a partial frame pending at end of stream is discarded, not flushed as a frame;
 * - empty blocks (consecutive delimiters) are not emitted: 0x00 may be sent as idle fill.
 * Memory held is at most `maxFrameBytes` plus one input chunk, whatever the input.
 */
export class BoundedDelimiterParser extends DelimiterParser {
  private readonly maxFrameBytes: number;
  private readonly onOverflow: (discardedBytes: number) => void;
  private readonly onPartialAtEnd: (discardedBytes: number) => void;
  /** Bytes of the current run already handed to the stock parser. */
  private pendingBytes = 0;
  /** True while discarding an over-long run until the next delimiter. */
  private discarding = false;
  private discardedBytes = 0;

  constructor(options: BoundedDelimiterParserOptions = {}) {
    super({ delimiter: [FRAME_DELIMITER] });
    this.maxFrameBytes = options.maxFrameBytes ?? MAX_ENCODED_FRAME_BYTES;
    this.onOverflow = options.onOverflow ?? (() => undefined);
    this.onPartialAtEnd = options.onPartialAtEnd ?? (() => undefined);
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk instanceof Uint8Array && chunk.length === 0) return true;
    return super.push(chunk, encoding);
  }

  override _transform(chunk: Buffer, encoding: BufferEncoding, callback: TransformCallback): void {
    const kept: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const delimiterAt = chunk.indexOf(FRAME_DELIMITER, start);
      const runEnd = delimiterAt === -1 ? chunk.length : delimiterAt;
      const runLength = runEnd - start;
      if (this.discarding) {
        this.discardedBytes += runLength;
      } else if (this.pendingBytes + runLength > this.maxFrameBytes) {
        this.discarding = true;
        this.discardedBytes = this.pendingBytes + runLength;
        // Only the first run of a chunk can continue a run the stock parser holds; drop it.
        if (start === 0) (this as unknown as { buffer: Buffer }).buffer = Buffer.alloc(0);
        this.pendingBytes = 0;
      } else {
        this.pendingBytes += runLength;
        kept.push(chunk.subarray(start, delimiterAt === -1 ? runEnd : runEnd + 1));
      }
      if (delimiterAt === -1) break;
      if (this.discarding) {
        this.discarding = false;
        this.onOverflow(this.discardedBytes);
        this.discardedBytes = 0;
      } else {
        this.pendingBytes = 0;
      }
      start = delimiterAt + 1;
    }
    if (kept.length === 0) {
      callback();
      return;
    }
    super._transform(kept.length === 1 ? kept[0]! : Buffer.concat(kept), encoding, callback);
  }

  override _flush(callback: TransformCallback): void {
    const partial = this.pendingBytes + (this.discarding ? this.discardedBytes : 0);
    (this as unknown as { buffer: Buffer }).buffer = Buffer.alloc(0);
    this.pendingBytes = 0;
    if (partial > 0) this.onPartialAtEnd(partial);
    callback();
  }
}
