import type { BusyTickRecord, CoreSnapshot } from './tick-record-codec.js';

/** First (only) byte of the ring record standing for a value passed by reference. */
const VALUE_MARKER = 0xfe;
const MARKER_RECORD = Uint8Array.of(VALUE_MARKER);

/**
 * Busy-tick records and snapshots handed from the control tick handler to the session by
 * reference, when both run on one thread (the virtual driver): the JSON encode and decode of
 * every busy tick and snapshot is the biggest cost of a virtual run after the physics.
 *
 * Each value still sends a one-byte marker record through the output ring, so ordering with
 * idle ticks, output counting and the virtual driver's SYNC_ONLY bookkeeping stay the ring's;
 * the value itself waits in this FIFO. Inputs do not use this: they keep their JSON round trip,
 * so the core sees exactly what replay, reading the recording, will feed it.
 *
 * Contract: the handler `put`s a value only when the marker was accepted by the ring, and never
 * mutates it afterwards (it hands fresh arrays); the session `take`s one value per marker, in
 * order. Never used with the real-time worker (values cannot cross threads).
 */
export class SameThreadOutputs {
  private readonly queue: (BusyTickRecord | CoreSnapshot)[] = [];
  private head = 0;

  /** The marker record to write to the ring for one value. Shared: rings copy what they take. */
  get marker(): Uint8Array {
    return MARKER_RECORD;
  }

  /** Whether `record` is a marker (then `take()` the value). */
  static isMarker(record: Uint8Array): boolean {
    return record.length === 1 && record[0] === VALUE_MARKER;
  }

  put(value: BusyTickRecord | CoreSnapshot): void {
    this.queue.push(value);
  }

  /** The oldest value not yet taken. Throws when a marker has no value (a contract breach). */
  take(): BusyTickRecord | CoreSnapshot {
    if (this.head >= this.queue.length) throw new Error('same-thread output marker without a value');
    const value = this.queue[this.head]!;
    this.queue[this.head++] = undefined as unknown as BusyTickRecord;
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    return value;
  }

  /** Values put and not yet taken. */
  get size(): number {
    return this.queue.length - this.head;
  }
}
