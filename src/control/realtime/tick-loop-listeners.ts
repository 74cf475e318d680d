import type { RecordQueue } from './record-queue.js';
import type { TickLoopFault } from './tick-loop.js';

/**
 * The listener sets of a tick loop, shared by the real-time and virtual loops so that output
 * delivery and fault reporting behave the same in both.
 */
export class TickLoopListeners {
  private readonly outputs = new Set<(record: Uint8Array) => void | boolean>();
  private readonly faults = new Set<(fault: TickLoopFault) => void>();

  onOutput(listener: (record: Uint8Array) => void | boolean): () => void {
    this.outputs.add(listener);
    return () => this.outputs.delete(listener);
  }

  onFault(listener: (fault: TickLoopFault) => void): () => void {
    this.faults.add(listener);
    return () => this.faults.delete(listener);
  }

  /**
   * Take every record waiting in `ring` (consumer side) and hand each, as a fresh array, to every
   * output listener in order. A listener that throws is reported as `output-listener-threw` and
   * does not stop delivery. Without output listeners, records stay in the ring.
   */
  /**
   * Hand every record in the ring to every listener. Returns true when every listener call
   * returned exactly `false` (the listener's promise that it started no asynchronous work).
   */
  deliverFrom(ring: RecordQueue): boolean {
    if (this.outputs.size === 0) return true;
    let syncOnly = true;
    for (let record = ring.tryRead(); record !== undefined; record = ring.tryRead()) {
      for (const listener of this.outputs) {
        try {
          if ((listener(record) as unknown) !== false) syncOnly = false;
        } catch (error) {
          syncOnly = false;
          this.emitFault({ code: 'output-listener-threw', message: String(error) });
        }
      }
    }
    return syncOnly;
  }

  emitFault(fault: TickLoopFault): void {
    for (const listener of this.faults) listener(fault);
  }
}
