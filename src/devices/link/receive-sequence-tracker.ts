/** What the tracker concluded about one received frame (ICD-FRM-009). */
export type SequenceVerdict =
  /** Next in order, or after a gap (counted): deliver. */
  | 'new'
  /** Behind the newest but never seen (a retransmission filling a gap): deliver. */
  | 'late'
  /** Already seen: suppress (but re-ACK when the frame asks for it). */
  | 'duplicate'
  /** Far outside the window (device restarted its numbering): deliver and restart tracking. */
  | 'resync';

/** Sequence numbers are u16 and wrap 65535 → 0 (ICD-FRM-009). */
const SEQ_MODULO = 0x1_0000;

/**
 * Receive-side sequence tracking of one direction: counts gaps, suppresses duplicates.
 *
 * It remembers which of the last `windowSize` sequence numbers below the newest were seen, so a
 * retransmission (same seq, ICD-FRM-009) of a frame that was received is a duplicate, while one
 * of a frame that was lost is delivered late. A jump of more than half the sequence space, or
 * further back than the window, is a resync (the device restarted). Call `reset()` when the
 * device may have restarted (transport reopened, link lost).
 */
export class ReceiveSequenceTracker {
  /** Frames skipped by forward jumps: transmissions lost on the wire (a late fill does not undo it). */
  gaps = 0;
  duplicates = 0;
  resyncs = 0;
  private newest = -1;
  /** seen[i] ⇔ seq (newest - i) was received, for i < windowSize. */
  private readonly seen: Uint8Array;

  constructor(private readonly windowSize = 256) {
    this.seen = new Uint8Array(windowSize);
  }

  reset(): void {
    this.newest = -1;
    this.seen.fill(0);
  }

  observe(seq: number): SequenceVerdict {
    if (this.newest < 0) {
      this.restartAt(seq);
      return 'new';
    }
    const ahead = (seq - this.newest + SEQ_MODULO) % SEQ_MODULO;
    if (ahead === 0) {
      this.duplicates++;
      return 'duplicate';
    }
    if (ahead < SEQ_MODULO / 2) {
      this.gaps += ahead - 1;
      this.shift(ahead);
      this.newest = seq;
      this.seen[0] = 1;
      return 'new';
    }
    const behind = SEQ_MODULO - ahead;
    if (behind < this.windowSize) {
      if (this.seen[behind] === 1) {
        this.duplicates++;
        return 'duplicate';
      }
      this.seen[behind] = 1;
      return 'late';
    }
    this.resyncs++;
    this.restartAt(seq);
    return 'resync';
  }

  private restartAt(seq: number): void {
    this.seen.fill(0);
    this.newest = seq;
    this.seen[0] = 1;
  }

  private shift(by: number): void {
    if (by >= this.windowSize) {
      this.seen.fill(0);
      return;
    }
    this.seen.copyWithin(by, 0, this.windowSize - by);
    this.seen.fill(0, 0, by);
  }
}
