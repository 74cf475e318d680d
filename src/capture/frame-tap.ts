import { FRAME_DELIMITER } from '../framing/index.js';
import { decodeWireFrame } from '../protocol/index.js';
import type { CaptureDirection } from './capture-record.js';
import type { TimedFrame } from './pcapng-writer.js';

/** Bytes kept of a run without a delimiter before it goes out as a partial packet. */
export const MAX_TAPPED_BLOCK_BYTES = 1024;

/**
 * Cuts the bytes seen one way on one link into frames, one packet each, as the host's decoder
 * would (ICD-FRM-002), and keeps the bad ones: a frame the decoder rejects still becomes a
 * packet, with the reason as its comment; bytes that run past MAX_TAPPED_BLOCK_BYTES without a
 * delimiter, or are pending when the tap ends, become a packet flagged partial. Idle fill (0x00
 * between frames) is not a frame. Bounded: at most MAX_TAPPED_BLOCK_BYTES are held.
 */
export class FrameTap {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pendingSinceUs = 0;

  constructor(
    private readonly link: string,
    private readonly direction: CaptureDirection,
    private readonly emit: (frame: TimedFrame) => void,
    /** Microseconds since the Unix epoch now (the one clock mapped to wall time). */
    private readonly timestampUs: () => number,
  ) {}

  /** Bytes seen, in order; chunk boundaries carry no meaning. */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] === FRAME_DELIMITER) {
        this.hold(chunk.subarray(start, i + 1));
        this.flush(false);
        start = i + 1;
      } else if (this.pendingBytes + (i + 1 - start) >= MAX_TAPPED_BLOCK_BYTES) {
        this.hold(chunk.subarray(start, i + 1));
        this.flush(true);
        start = i + 1;
      }
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** The capture ends: bytes still pending go out as a partial packet. */
  end(): void {
    this.flush(true);
  }

  private hold(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.pendingBytes === 0) this.pendingSinceUs = this.timestampUs();
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
  }

  private flush(partial: boolean): void {
    if (this.pendingBytes === 0) return;
    const wire = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (!partial && wire.length === 1) return; // idle fill: a lone delimiter
    let comment: string | undefined;
    if (partial) comment = `partial: ${wire.length} bytes without a closing 0x00`;
    else {
      const receiving = this.direction === 'unknown' ? undefined : this.direction;
      const decoded = decodeWireFrame(wire, receiving === undefined ? {} : { receiving });
      if (!decoded.ok) comment = `${decoded.error}: ${decoded.detail}`;
    }
    // A frame is stamped when its last byte arrived; a partial run when its first did.
    const timestampUs = partial ? this.pendingSinceUs : this.timestampUs();
    this.emit({
      link: this.link,
      direction: this.direction,
      wire,
      partial,
      timestampUs,
      ...(comment === undefined ? {} : { comment }),
    });
  }
}
