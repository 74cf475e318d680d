import type { EngagementIntent } from './intent-schema.js';

/**
 * The outgoing intents waiting for the link, as batches (one message each), oldest first. Bounded:
 * beyond `maxBatches` the oldest batch is dropped and counted, and `lostSinceSnapshot` tells the
 * agent to send a snapshot (which restates every live claim) when the link is back. A batch gets
 * its `seq`, `sentAt` and signature only when it is sent, so nothing goes out stale or out of order.
 */
export class IntentSpool {
  private readonly batches: EngagementIntent[][] = [];
  /** Batches dropped because the spool was full, since start. */
  dropped = 0;
  /** A batch was dropped since the last snapshot was queued. */
  lostSinceSnapshot = false;

  constructor(readonly maxBatches = 256) {}

  push(batch: EngagementIntent[]): void {
    if (batch.length === 0) return;
    this.batches.push(batch);
    while (this.batches.length > this.maxBatches) {
      this.batches.shift();
      this.dropped++;
      this.lostSinceSnapshot = true;
    }
  }

  /** Take every waiting batch, oldest first. */
  drain(): EngagementIntent[][] {
    return this.batches.splice(0, this.batches.length);
  }

  get length(): number {
    return this.batches.length;
  }
}
