import { RealtimeError } from './realtime-error.js';

/**
 * The side of a record queue the tick executor and the output listeners use: what
 * `SpscByteRing` offers, and what {@link LocalRecordQueue} offers without shared memory.
 */
export interface RecordQueue {
  /** Bytes of record data the queue holds at most (length prefixes included). */
  readonly capacityBytes: number;
  /** Records refused because they did not fit. */
  readonly overflows: number;
  /** Records accepted. */
  readonly recordsWritten: number;
  /** Append a copy of `record`; false (and counted as an overflow) when it does not fit. */
  tryWrite(record: Uint8Array): boolean;
  /** Length of the oldest record, or -1 when empty. */
  peekLength(): number;
  /** Copy the oldest record into `target` at `offset` and consume it; its length, or -1. */
  readInto(target: Uint8Array, offset?: number): number;
  /** Consume the oldest record as a fresh array, or undefined when empty. */
  tryRead(): Uint8Array | undefined;
}

/** Length prefix a ring record carries (the accounting {@link LocalRecordQueue} reproduces). */
const PREFIX_BYTES = 4;

/**
 * A record queue for a producer and a consumer on the same thread (the virtual-time tick
 * driver): the records are kept as copies in an array instead of being written into and read
 * back out of shared memory. It accepts and refuses exactly the records an `SpscByteRing` of
 * the same capacity would in the same sequence of writes and reads — a record of `n` bytes
 * fits when `4 + n` bytes are free of `capacityBytes - 1` — and counts the same overflows and
 * records, so a loop's metrics and behaviour do not depend on which of the two it uses.
 */
export class LocalRecordQueue implements RecordQueue {
  private readonly records: Uint8Array[] = [];
  private head = 0;
  private usedBytes = 0;
  private written = 0;
  private refused = 0;

  constructor(readonly capacityBytes: number) {
    if (!Number.isInteger(capacityBytes) || capacityBytes < 8) {
      throw new RealtimeError('ERR_TICK_CONFIG', 'queue capacity must be an integer >= 8');
    }
  }

  get overflows(): number {
    return this.refused;
  }

  get recordsWritten(): number {
    return this.written;
  }

  tryWrite(record: Uint8Array): boolean {
    if (PREFIX_BYTES + record.length > this.capacityBytes - 1 - this.usedBytes) {
      this.refused++;
      return false;
    }
    this.records.push(record.slice());
    this.usedBytes += PREFIX_BYTES + record.length;
    this.written++;
    return true;
  }

  peekLength(): number {
    return this.head < this.records.length ? this.records[this.head]!.length : -1;
  }

  readInto(target: Uint8Array, offset = 0): number {
    const length = this.peekLength();
    if (length < 0) return -1;
    if (offset < 0 || target.length - offset < length) {
      throw new RangeError(`target has ${target.length - offset} bytes from offset ${offset}, record needs ${length}`);
    }
    const record = this.take()!;
    target.set(record, offset);
    return record.length;
  }

  tryRead(): Uint8Array | undefined {
    return this.take();
  }

  private take(): Uint8Array | undefined {
    if (this.head >= this.records.length) return undefined;
    const record = this.records[this.head]!;
    this.records[this.head] = EMPTY;
    this.head++;
    this.usedBytes -= PREFIX_BYTES + record.length;
    if (this.head === this.records.length) {
      this.records.length = 0;
      this.head = 0;
    }
    return record;
  }
}

const EMPTY = new Uint8Array(0);
