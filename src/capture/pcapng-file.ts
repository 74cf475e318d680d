import { type WriteStream, createWriteStream } from 'node:fs';
import { PcapngWriter, type TimedFrame } from './pcapng-writer.js';

/** Default bound of one capture file: past it, frames are counted as dropped, not written. */
export const DEFAULT_MAX_CAPTURE_BYTES = 1024 * 1024 * 1024;

/** What a capture file took in. */
export interface CaptureCounters {
  readonly frames: number;
  /** Frames the decoder rejected, and partial runs (kept in the file, with a comment). */
  readonly badFrames: number;
  /** Frames not written because the file reached its bound. */
  readonly dropped: number;
  readonly bytes: number;
}

/**
 * A pcapng capture file being written: section header at open, then one block per frame handed
 * to `write` (in call order; nothing waits on the disk). Bounded by `maxBytes`.
 */
export class PcapngFile {
  private readonly writer = new PcapngWriter();
  private readonly stream: WriteStream;
  private frames = 0;
  private badFrames = 0;
  private dropped = 0;
  private bytes = 0;
  private writeError: Error | undefined;

  constructor(
    readonly path: string,
    private readonly maxBytes = DEFAULT_MAX_CAPTURE_BYTES,
  ) {
    this.stream = createWriteStream(path, { flags: 'w' });
    this.stream.on('error', (error) => (this.writeError = error));
    this.put(this.writer.header());
  }

  write(frame: TimedFrame): void {
    const block = this.writer.frame(frame);
    if (this.bytes + block.length > this.maxBytes) {
      this.dropped++;
      return;
    }
    this.frames++;
    if (frame.comment !== undefined) this.badFrames++;
    this.put(block);
  }

  counters(): CaptureCounters {
    return { frames: this.frames, badFrames: this.badFrames, dropped: this.dropped, bytes: this.bytes };
  }

  /** Flush and close; rejects with the first write error. */
  async close(): Promise<CaptureCounters> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    if (this.writeError !== undefined) throw this.writeError;
    return this.counters();
  }

  private put(block: Buffer): void {
    this.bytes += block.length;
    this.stream.write(block);
  }
}
