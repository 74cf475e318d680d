import {
  type FrameError,
  type FrameErrorCounters,
  FrameSplitter,
  MAX_ENCODED_FRAME_BYTES,
  emptyFrameErrorCounters,
  frameError,
} from '../framing/index.js';
import { type DecodeOptions, decodeFrame } from './codec.js';
import type { Message } from './message-types.js';

/** Counters of one receive direction (ICD-FRM-010). */
export interface FrameReaderCounters {
  /** Frames decoded into messages. */
  framesOk: number;
  /** Frames rejected, by reason. */
  errors: FrameErrorCounters;
  /** Bytes thrown away: over-long runs, partial frames at end, rejected frames. */
  discardedBytes: number;
}

/** Options of {@link FrameReader}. */
export interface FrameReaderOptions extends DecodeOptions {
  /** Called once per decoded message, synchronously from `push()`, in wire order. */
  onMessage: (message: Message) => void;
  /** Called once per rejected frame (already counted). Default: ignore. */
  onError?: (error: FrameError) => void;
}

/**
 * Bytes in, messages out: the bounded 0x00 splitter (FrameSplitter, i.e.
 * `@serialport/parser-delimiter`) followed by the codec. It never throws on input; every
 * rejection is typed and counted, and the stream resynchronises at the next delimiter.
 * Messages are delivered synchronously from `push()`, which keeps virtual-time runs
 * deterministic; bytes pushed from inside `onMessage` are read after the current chunk.
 */
export class FrameReader {
  readonly counters: FrameReaderCounters = { framesOk: 0, errors: emptyFrameErrorCounters(), discardedBytes: 0 };
  private readonly splitter: FrameSplitter;
  private readonly options: FrameReaderOptions;

  constructor(options: FrameReaderOptions) {
    this.options = options;
    this.splitter = new FrameSplitter({
      maxFrameBytes: MAX_ENCODED_FRAME_BYTES,
      onBlock: (block) => this.onBlock(block),
      onOverflow: (bytes) => this.reject(frameError('length', `${bytes} bytes without a delimiter`), bytes),
      onPartialAtEnd: (bytes) => this.reject(frameError('length', `partial frame of ${bytes} bytes at end`), bytes),
    });
  }

  /** Feed received bytes (any chunking). */
  push(chunk: Uint8Array): void {
    this.splitter.push(chunk);
  }

  /** End of stream: a pending partial frame is discarded and counted; later bytes start afresh. */
  end(): void {
    this.splitter.end();
  }

  private onBlock(block: Uint8Array): void {
    const result = decodeFrame(block, this.options);
    if (result.ok) {
      this.counters.framesOk++;
      this.options.onMessage(result.message);
    } else {
      this.reject(result, block.length + 1);
    }
  }

  private reject(error: FrameError, bytes: number): void {
    this.counters.errors[error.error]++;
    this.counters.discardedBytes += bytes;
    this.options.onError?.(error);
  }
}
