/** Bounds of a `ReliableChannel`; every member has a default. */
export interface ReliableChannelOptions {
  /** Messages published and not yet acknowledged, at most (default 1000). */
  readonly windowSize?: number;
  /**
   * Records held in memory at most (default 200,000). Past it a record is dropped and counted:
   * that only happens when the disk cannot take the spool writes either (see docs/mqtt.md).
   */
  readonly maxQueuedRecords?: number;
  /** While connected, a memory backlog above this many records goes to the spool (default 10,000). */
  readonly spillThreshold?: number;
  /** Records per spool append at most (default 5,000). */
  readonly appendBatch?: number;
}

/** What a `ReliableChannel` reports: its mode, queues and counters since it was made. */
export interface ReliableChannelStats {
  readonly mode: 'live' | 'catching-up';
  readonly queuedRecords: number;
  readonly inflightRecords: number;
  readonly spooledRecords: number;
  readonly spoolBytes: number;
  readonly publishedRecords: number;
  readonly ackedRecords: number;
  readonly spooledTotal: number;
  readonly droppedRecords: number;
  readonly refusedByBroker: number;
  readonly corruptSpoolRecords: number;
  readonly spoolError: string | null;
}
