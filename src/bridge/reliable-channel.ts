import type { Clock } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import type { BrokerLink, OutboundMessage } from './broker-link.js';
import type { EventSpool, SpoolEntry, SpoolRecord } from './event-spool.js';
import { Fifo } from './fifo.js';
import { InOrderAcks } from './in-order-acks.js';
import type { ReliableChannelOptions, ReliableChannelStats } from './reliable-channel-options.js';

export type { ReliableChannelOptions, ReliableChannelStats } from './reliable-channel-options.js';

/**
 * The ordered, never-dropping QoS 1 stream: engagement events, command results, audit records.
 *
 * Order is kept by one invariant: undelivered records are, oldest first,
 * `head` (records that were in flight from memory when a connection died) < spool file from the
 * committed offset < `memory`. In `live` mode the spool is empty and `memory` is published
 * directly; on connection loss (or a backlog above the spill threshold) the channel switches to
 * `catching-up`: new records are appended to the spool, and once connected it publishes `head`,
 * then the spool in file order; when every spooled record is acknowledged it truncates the file
 * and goes `live` again. A record counts as delivered only on PUBACK; one in flight when the
 * connection dies is sent again (at least once: consumers drop a repeated sequence number).
 *
 * `enqueue` is synchronous and O(1); all I/O (publishing, file appends and reads) runs later on
 * the clock's timers and promise jobs, one file operation at a time.
 */
export class ReliableChannel {
  private readonly windowSize: number;
  private readonly maxQueued: number;
  private readonly spillThreshold: number;
  private readonly appendBatch: number;

  private mode: 'live' | 'catching-up' = 'catching-up';
  private readonly memory = new Fifo<SpoolRecord>();
  private readonly head = new Fifo<SpoolRecord>();
  private readonly inflightMemory = new InOrderAcks<SpoolRecord>();
  // Spool records commit in file order: the committed offset only moves past acknowledged lines.
  private readonly inflightSpool = new InOrderAcks<SpoolEntry>((entry) => {
    this.committedOffset = entry.endOffset;
    this.spoolRecords--;
  });
  private inflightCount = 0;
  private spoolBuffer: SpoolEntry[] = [];
  private spoolBufferIndex = 0;
  private readOffset = 0;
  private committedOffset = 0;
  private readEpoch = 0;
  private spoolRecords: number;
  private generation = 0;
  private pumpScheduled = false;
  private fileBusy = false;
  private fileWorkDone: Promise<void> = Promise.resolve();
  private fileWorkWanted = false;
  private fileRetryScheduled = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private published = 0;
  private acked = 0;
  private spooledTotal = 0;
  private dropped = 0;
  private refused = 0;
  private corrupt = 0;
  private spoolError: string | null = null;

  constructor(
    private readonly link: BrokerLink,
    private readonly spool: EventSpool,
    initialSpoolRecords: number,
    private readonly clock: Clock,
    options: ReliableChannelOptions = {},
    private readonly onChange: () => void = () => undefined,
  ) {
    this.windowSize = options.windowSize ?? 1_000;
    this.maxQueued = options.maxQueuedRecords ?? 200_000;
    this.spillThreshold = options.spillThreshold ?? 10_000;
    this.appendBatch = options.appendBatch ?? 5_000;
    this.spoolRecords = initialSpoolRecords;
  }

  /** Queue one record (synchronous, O(1)). */
  enqueue(record: SpoolRecord): void {
    if (this.closed) return;
    if (this.memory.length >= this.maxQueued) {
      this.dropped++;
      this.onChange();
      return;
    }
    this.memory.push(record);
    if (this.mode === 'live') {
      if (this.link.connected && this.memory.length <= this.spillThreshold) {
        this.schedulePump();
        return;
      }
      this.setMode('catching-up');
    }
    this.scheduleFileWork();
  }

  /** The link is up: resume publishing (head first, then the spool, then memory). */
  linkUp(): void {
    // Nothing spooled, nothing waiting: live at once (no file pass needed to find that out).
    if (this.mode === 'catching-up' && !this.fileBusy && this.spool.sizeBytes === 0 && this.canGoLive()) {
      this.setMode('live');
    }
    this.schedulePump();
    this.scheduleFileWork();
  }

  /** The link is down: everything unacknowledged is undelivered and goes back in front. */
  linkDown(): void {
    this.generation++;
    this.head.prepend(this.inflightMemory.unacked());
    this.inflightMemory.clear();
    this.inflightSpool.clear();
    this.inflightCount = 0;
    this.spoolBuffer = [];
    this.spoolBufferIndex = 0;
    this.readOffset = this.committedOffset;
    this.readEpoch++;
    if (this.mode === 'live') this.setMode('catching-up');
    this.scheduleFileWork();
  }

  get stats(): ReliableChannelStats {
    return {
      mode: this.mode,
      queuedRecords: this.memory.length + this.head.length,
      inflightRecords: this.inflightCount,
      spooledRecords: this.spoolRecords,
      spoolBytes: this.spool.sizeBytes,
      publishedRecords: this.published,
      ackedRecords: this.acked,
      spooledTotal: this.spooledTotal,
      droppedRecords: this.dropped,
      refusedByBroker: this.refused,
      corruptSpoolRecords: this.corrupt,
      spoolError: this.spoolError,
    };
  }

  /** Whether everything enqueued so far is acknowledged. */
  get idle(): boolean {
    return (
      this.mode === 'live' &&
      this.memory.length === 0 &&
      this.head.length === 0 &&
      this.inflightCount === 0 &&
      !this.fileBusy
    );
  }

  /** Resolves once `idle` (immediately if it is). */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stop for good and persist what is undelivered, in order, for the next start: records that
   * were in flight or re-queued in front, the spool from its committed offset, then memory.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    await this.fileWorkDone;
    const prefix = [...this.inflightMemory.unacked(), ...this.head.toArray()];
    const suffix = this.memory.toArray();
    this.head.clear();
    this.memory.clear();
    try {
      if (prefix.length === 0 && this.committedOffset === 0) {
        if (suffix.length > 0) await this.spool.append(suffix);
      } else {
        await this.spool.rewrite(prefix, this.committedOffset, suffix);
      }
    } finally {
      await this.spool.close();
    }
  }

  private setMode(mode: 'live' | 'catching-up'): void {
    if (this.mode === mode) return;
    this.mode = mode;
    this.onChange();
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    this.clock.setTimer(0, () => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.link.connected || this.closed) return;
    this.link.batch(() => {
      while (this.inflightCount < this.windowSize && this.head.length > 0) this.publishMemory(this.head.shift()!);
      if (this.head.length > 0) return;
      if (this.mode === 'live') {
        while (this.inflightCount < this.windowSize && this.memory.length > 0) this.publishMemory(this.memory.shift()!);
      } else {
        while (this.inflightCount < this.windowSize && this.spoolBufferIndex < this.spoolBuffer.length) {
          this.publishSpool(this.spoolBuffer[this.spoolBufferIndex++]!);
        }
      }
    });
    if (this.mode === 'catching-up') this.scheduleFileWork();
    this.checkIdle();
  }

  private publishMemory(record: SpoolRecord): void {
    this.send(record, this.inflightMemory.add(record));
  }

  private publishSpool(entry: SpoolEntry): void {
    const commit = this.inflightSpool.add(entry);
    if (entry.record === null) {
      this.corrupt++; // an unparsable line: nothing to send, but its offset commits in order
      commit();
      return;
    }
    this.send(entry.record, commit);
  }

  private send(record: SpoolRecord, onAcked: () => void): void {
    const generation = this.generation;
    this.inflightCount++;
    this.published++;
    this.link.publish(toMessage(record), (error) => {
      // A callback from a connection that is gone: that record was re-queued by linkDown.
      if (generation !== this.generation || !this.link.connected) return;
      // Connected and refused (MQTT 5 PUBACK reason >= 0x80, e.g. not authorised): resending
      // would block the stream forever, so it counts as done, and as refused.
      if (error !== undefined) this.refused++;
      this.inflightCount--;
      this.acked++;
      onAcked();
      this.schedulePump();
    });
  }

  private scheduleFileWork(): void {
    if (this.closed) return;
    if (this.fileBusy) {
      this.fileWorkWanted = true; // picked up when the running pass ends
      return;
    }
    this.fileBusy = true;
    this.fileWorkWanted = false;
    this.fileWorkDone = this.fileWork().finally(() => {
      this.fileBusy = false;
      if (this.fileWorkWanted) this.scheduleFileWork();
      this.checkIdle();
    });
  }

  /** One file operation at a time: append memory, read ahead, or truncate when all is delivered. */
  private async fileWork(): Promise<void> {
    try {
      while (!this.closed) {
        if (this.mode === 'catching-up' && this.memory.length > 0) {
          const batch = this.memory.take(this.appendBatch);
          try {
            await this.spool.append(batch);
          } catch (error) {
            this.memory.prepend(batch);
            throw error;
          }
          this.spoolRecords += batch.length;
          this.spooledTotal += batch.length;
          this.onChange();
          continue;
        }
        const buffered = this.spoolBuffer.length - this.spoolBufferIndex;
        if (this.link.connected && this.mode === 'catching-up' && buffered < this.windowSize) {
          if (this.readOffset < this.spool.sizeBytes) {
            const epoch = this.readEpoch;
            const read = await this.spool.readFrom(this.readOffset);
            if (epoch !== this.readEpoch) continue; // the link dropped meanwhile: re-read from committed
            this.spoolBuffer = [...this.spoolBuffer.slice(this.spoolBufferIndex), ...read.entries];
            this.spoolBufferIndex = 0;
            this.readOffset = read.nextOffset;
            this.schedulePump();
            continue;
          }
          if (this.canGoLive()) {
            if (this.spool.sizeBytes > 0) {
              await this.spool.truncate();
              this.readOffset = 0;
              this.committedOffset = 0;
              this.spoolRecords = 0;
              this.spoolBuffer = [];
              this.spoolBufferIndex = 0;
              this.readEpoch++;
            }
            if (!this.canGoLive()) continue; // records arrived meanwhile: spool them first
            this.setMode('live');
            this.schedulePump();
          }
        }
        return;
      }
    } catch (error) {
      this.spoolError = (error as Error).message;
      this.onChange();
      this.retryFileWorkLater();
    }
  }

  private canGoLive(): boolean {
    return (
      this.link.connected &&
      this.head.length === 0 &&
      this.memory.length === 0 &&
      this.inflightSpool.length === 0 &&
      this.spoolBufferIndex >= this.spoolBuffer.length &&
      this.readOffset >= this.spool.sizeBytes &&
      this.committedOffset >= this.spool.sizeBytes
    );
  }

  private retryFileWorkLater(): void {
    if (this.fileRetryScheduled) return;
    this.fileRetryScheduled = true;
    this.clock.setTimer(1_000 * US_PER_MS, () => {
      this.fileRetryScheduled = false;
      this.scheduleFileWork();
    });
  }

  private checkIdle(): void {
    if (this.mode === 'catching-up' && !this.fileBusy && this.canGoLive()) this.scheduleFileWork();
    if (!this.idle || this.idleWaiters.length === 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

function toMessage(record: SpoolRecord): OutboundMessage {
  return record.correlation === undefined
    ? { topic: record.topic, payload: record.payload, qos: 1, retain: false }
    : {
        topic: record.topic,
        payload: record.payload,
        qos: 1,
        retain: false,
        correlationData: Buffer.from(record.correlation, 'base64'),
      };
}
