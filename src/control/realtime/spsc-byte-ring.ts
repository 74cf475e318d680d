import { RealtimeError } from './realtime-error.js';

/** Int32 slots of the header, before the data bytes. */
const HEAD = 0; // next byte the producer writes, in [0, capacity)
const TAIL = 1; // next byte the consumer reads, in [0, capacity)
const OVERFLOWS = 2; // records refused because they did not fit
const WRITTEN = 3; // records committed
const READ = 4; // records consumed
const CAPACITY = 5;
const MAGIC = 6;
const HEADER_INTS = 8;
const HEADER_BYTES = HEADER_INTS * 4;
const MAGIC_VALUE = 0x52494e47; // "RING"
const PREFIX_BYTES = 4;
/** Smallest useful ring: a 4-byte length prefix plus a few bytes, plus the one slack byte. */
const MIN_CAPACITY = 8;

/** `Atomics.waitAsync` (ES2024, in Node since 16) is not in this project's ES2023 lib typings. */
type WaitAsync = (
  array: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

/**
 * A single-producer single-consumer ring of variable-length byte records over a
 * `SharedArrayBuffer`, lock-free with `Atomics`: how inputs and commands cross between the I/O
 * thread and the tick worker (docs/architecture.md §Time).
 *
 * Layout: a 32-byte header of Int32 slots (head, tail, counters, capacity, magic), then
 * `capacityBytes` of data. A record is a little-endian u32 length followed by its bytes; both may
 * wrap around the end of the data area. One byte always stays free so that head == tail means
 * empty.
 *
 * Contract:
 * - Exactly one thread writes (`tryWrite`) and one thread reads (`readInto`, `tryRead`) a given
 *   ring; each side may be a different `SpscByteRing` instance over the same buffer.
 * - Records come out whole, in the order they went in, byte for byte.
 * - `tryWrite` never blocks and never overwrites unread data: a record that does not fit (ring
 *   full, or longer than `maxRecordBytes`) is refused, counted in `overflows`, and `false` is
 *   returned. The producer decides whether to drop or retry.
 * - The record bytes are published by the `Atomics.store` of the head (sequentially consistent),
 *   so a consumer that sees the new head also sees the bytes.
 * - Counters are 32-bit and wrap (after 2^32 records).
 */
export class SpscByteRing {
  /** The shared memory: hand it to the other thread and attach with `new SpscByteRing(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  /** Bytes of the data area (a record takes its length + 4). */
  readonly capacityBytes: number;
  /** The longest record that fits in an empty ring. */
  readonly maxRecordBytes: number;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;

  /** Allocate a ring with `capacityBytes` of data space (>= 8, < 2^31 - 32). */
  static create(capacityBytes: number): SpscByteRing {
    if (!Number.isInteger(capacityBytes) || capacityBytes < MIN_CAPACITY || capacityBytes > 0x7fffffff - HEADER_BYTES) {
      throw new RealtimeError('ERR_TICK_CONFIG', `ring capacity must be an integer in [${MIN_CAPACITY}, 2^31-33]`);
    }
    const buffer = new SharedArrayBuffer(HEADER_BYTES + capacityBytes);
    const header = new Int32Array(buffer, 0, HEADER_INTS);
    header[CAPACITY] = capacityBytes;
    header[MAGIC] = MAGIC_VALUE;
    return new SpscByteRing(buffer);
  }

  /** Attach to a ring created (possibly in another thread) by `SpscByteRing.create`. */
  constructor(buffer: SharedArrayBuffer) {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES + MIN_CAPACITY) {
      throw new RealtimeError('ERR_TICK_RING', 'not a ring buffer (too small or not shared)');
    }
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    const capacity = Atomics.load(this.header, CAPACITY);
    if (Atomics.load(this.header, MAGIC) !== MAGIC_VALUE || capacity !== buffer.byteLength - HEADER_BYTES) {
      throw new RealtimeError('ERR_TICK_RING', 'not a ring buffer (bad header)');
    }
    this.buffer = buffer;
    this.capacityBytes = capacity;
    this.maxRecordBytes = capacity - 1 - PREFIX_BYTES;
    this.data = new Uint8Array(buffer, HEADER_BYTES, capacity);
  }

  /** Records refused by `tryWrite` because they did not fit. */
  get overflows(): number {
    return Atomics.load(this.header, OVERFLOWS) >>> 0;
  }

  /** Records committed by the producer. */
  get recordsWritten(): number {
    return Atomics.load(this.header, WRITTEN) >>> 0;
  }

  /** Records taken by the consumer. */
  get recordsRead(): number {
    return Atomics.load(this.header, READ) >>> 0;
  }

  /** Bytes currently held (prefixes included). */
  get usedBytes(): number {
    const head = Atomics.load(this.header, HEAD);
    const tail = Atomics.load(this.header, TAIL);
    return (head - tail + this.capacityBytes) % this.capacityBytes;
  }

  /** Whether no record is waiting (consumer side; a producer may add one at any moment). */
  isEmpty(): boolean {
    return Atomics.load(this.header, HEAD) === Atomics.load(this.header, TAIL);
  }

  /**
   * Producer: append one record, or refuse it (counted) when it does not fit. Never blocks.
   * @returns whether the record was written.
   */
  tryWrite(record: Uint8Array): boolean {
    const capacity = this.capacityBytes;
    const head = Atomics.load(this.header, HEAD);
    const tail = Atomics.load(this.header, TAIL);
    const free = capacity - 1 - ((head - tail + capacity) % capacity);
    const length = record.length;
    if (PREFIX_BYTES + length > free) {
      Atomics.add(this.header, OVERFLOWS, 1);
      return false;
    }
    const data = this.data;
    data[head] = length & 0xff;
    data[(head + 1) % capacity] = (length >>> 8) & 0xff;
    data[(head + 2) % capacity] = (length >>> 16) & 0xff;
    data[(head + 3) % capacity] = (length >>> 24) & 0xff;
    const start = (head + PREFIX_BYTES) % capacity;
    const first = Math.min(length, capacity - start);
    if (first === length) {
      data.set(record, start);
    } else {
      data.set(record.subarray(0, first), start);
      data.set(record.subarray(first), 0);
    }
    Atomics.store(this.header, HEAD, (start + length) % capacity);
    Atomics.add(this.header, WRITTEN, 1);
    return true;
  }

  /**
   * Consumer: length of the next record, or -1 when the ring is empty.
   */
  peekLength(): number {
    const tail = Atomics.load(this.header, TAIL);
    if (Atomics.load(this.header, HEAD) === tail) return -1;
    return this.lengthAt(tail);
  }

  /**
   * Consumer: copy the next record into `target` at `offset` and remove it from the ring.
   * @returns the record's length, or -1 when the ring is empty.
   * @throws RangeError when `target` has less than the record's length from `offset` on (the
   *   record stays in the ring; use `peekLength()` to size the target).
   */
  readInto(target: Uint8Array, offset = 0): number {
    const capacity = this.capacityBytes;
    const tail = Atomics.load(this.header, TAIL);
    const head = Atomics.load(this.header, HEAD);
    if (head === tail) return -1;
    const length = this.lengthAt(tail);
    if (PREFIX_BYTES + length > (head - tail + capacity) % capacity) {
      throw new RealtimeError('ERR_TICK_RING', 'ring corrupted: record longer than the bytes held (two producers?)');
    }
    if (offset < 0 || target.length - offset < length) {
      throw new RangeError(`target has ${target.length - offset} bytes from offset ${offset}, record needs ${length}`);
    }
    const start = (tail + PREFIX_BYTES) % capacity;
    const first = Math.min(length, capacity - start);
    const data = this.data;
    target.set(data.subarray(start, start + first), offset);
    if (first < length) target.set(data.subarray(0, length - first), offset + first);
    Atomics.store(this.header, TAIL, (start + length) % capacity);
    Atomics.add(this.header, READ, 1);
    return length;
  }

  /** Consumer: the next record as a fresh (non-shared) array, or undefined when empty. */
  tryRead(): Uint8Array | undefined {
    const length = this.peekLength();
    if (length < 0) return undefined;
    const record = new Uint8Array(length);
    this.readInto(record, 0);
    return record;
  }

  /** Producer: wake a consumer waiting in `waitForRecords()` (after writing, or to shut down). */
  notifyConsumer(): void {
    Atomics.notify(this.header, HEAD);
  }

  /**
   * Consumer: resolve when the ring is (or may be) non-empty, or when the producer calls
   * `notifyConsumer()`, or after `timeoutMs`. Does not block the thread (`Atomics.waitAsync`).
   * Spurious resolutions are allowed: callers re-check with `peekLength()`.
   */
  waitForRecords(timeoutMs = Infinity): Promise<void> {
    const head = Atomics.load(this.header, HEAD);
    if (head !== Atomics.load(this.header, TAIL)) return Promise.resolve();
    const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
    const result = waitAsync(this.header, HEAD, head, timeoutMs);
    return result.async ? result.value.then(() => undefined) : Promise.resolve();
  }

  private lengthAt(position: number): number {
    const capacity = this.capacityBytes;
    const data = this.data;
    return (
      (data[position]! |
        (data[(position + 1) % capacity]! << 8) |
        (data[(position + 2) % capacity]! << 16) |
        (data[(position + 3) % capacity]! << 24)) >>>
      0
    );
  }
}
