import type { SpscByteRing } from './spsc-byte-ring.js';
import type { TickLoopFault } from './tick-loop.js';

/**
 * The listener sets of a tick loop, shared by the real-time and virtual loops so that output
 * delivery and fault reporting behave the same in both.
 */
export class TickLoopListeners {
  private readonly outputs = new Set<(record: Uint8Array) => void>();
  private readonly faults = new Set<(fault: TickLoopFault) => void>();

  onOutput(listener: (record: Uint8Array) => void): () => void {
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
  deliverFrom(ring: SpscByteRing): void {
    if (this.outputs.size === 0) return;
    for (let record = ring.tryRead(); record !== undefined; record = ring.tryRead()) {
      for (const listener of this.outputs) {
        try {
          listener(record);
        } catch (error) {
          this.emitFault({ code: 'output-listener-threw', message: String(error) });
        }
      }
    }
  }

  emitFault(fault: TickLoopFault): void {
    for (const listener of this.faults) listener(fault);
  }
}
