import type { BusyTickRecord, CoreSnapshot } from './tick-record-codec.js';

/** First (only) byte of a ring record that stands for a value passed beside the ring. */
const VALUE_MARKER = 0xfe;
const MARKER_RECORD = Uint8Array.of(VALUE_MARKER);

/** A busy tick handed over by reference, with the JSON text of each input in the tick's order. */
export interface SameThreadBusyTick {
  readonly busy: BusyTickRecord;
  /** `inputTexts[i]` is `JSON.stringify(busy.inputs[i])`, exactly (the text the input was parsed from). */
  readonly inputTexts: readonly string[];
}

/** A FIFO with O(1) take that releases what it handed out. */
class Fifo<T> {
  private readonly items: (T | undefined)[] = [];
  private head = 0;

  put(item: T): void {
    this.items.push(item);
  }

  take(what: string): T {
    if (this.head >= this.items.length) throw new Error(`same-thread ${what} marker without a value`);
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items.length = 0;
      this.head = 0;
    }
    return item;
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

/**
 * The session ⇄ control-core exchange when both run on one thread (the virtual driver), without
 * the JSON bytes the real-time worker needs — after the physics, encoding and decoding every
 * input, busy tick and snapshot was the largest cost of a virtual run.
 *
 * Every value still sends a one-byte marker record through its ring, so ordering (with idle
 * ticks and with byte records), record counting and the virtual driver's SYNC_ONLY bookkeeping
 * stay the rings'; the value itself waits here. (The input ring then fills by markers, not by
 * JSON bytes: its overflow point in virtual time is in records, not the real-time one.)
 *
 * - Inputs go as JSON text: the core still sees `JSON.parse(JSON.stringify(input))`, exactly
 *   what replay will feed it from the recording, and the recorder reuses the text.
 * - Busy ticks (with their inputs' texts) and snapshots go by reference.
 *
 * Contract: a side puts a value only after its marker was accepted by the ring and never mutates
 * it afterwards; the other side takes one value per marker, in order. Never used with the
 * real-time worker (values cannot cross threads).
 */
export class SameThreadChannel {
  private readonly inputs = new Fifo<string>();
  private readonly outputs = new Fifo<SameThreadBusyTick | CoreSnapshot>();

  /** The marker record for one value. Shared: rings copy what they take. */
  get marker(): Uint8Array {
    return MARKER_RECORD;
  }

  /** Whether a ring record is a marker (then take the value). */
  static isMarker(record: Uint8Array): boolean {
    return record.length === 1 && record[0] === VALUE_MARKER;
  }

  putInput(text: string): void {
    this.inputs.put(text);
  }

  /** The oldest input text not yet taken. Throws when a marker has none (a contract breach). */
  takeInput(): string {
    return this.inputs.take('input');
  }

  putOutput(value: SameThreadBusyTick | CoreSnapshot): void {
    this.outputs.put(value);
  }

  /** The oldest output not yet taken. Throws when a marker has none (a contract breach). */
  takeOutput(): SameThreadBusyTick | CoreSnapshot {
    return this.outputs.take('output');
  }

  /** Values put and not yet taken, each way. */
  get pending(): { inputs: number; outputs: number } {
    return { inputs: this.inputs.size, outputs: this.outputs.size };
  }
}
