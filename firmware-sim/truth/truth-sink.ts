import type { TruthRecord } from '../../src/truth/truth-record.js';

/**
 * Where truth records go. `write` is called synchronously, in world order, from inside the
 * simulation; it must not throw and must not block (buffer, then flush off the lockstep path).
 */
export interface TruthSink {
  write(record: TruthRecord): void;
  /** Flush and release; called once by the simulator's stop(). */
  close?(): Promise<void>;
}

/** Keeps every record in memory: for tests and in-process reports. */
export class MemoryTruthSink implements TruthSink {
  readonly records: TruthRecord[] = [];

  write(record: TruthRecord): void {
    this.records.push(record);
  }

  /** Records of one kind, typed. */
  ofKind<K extends TruthRecord['kind']>(kind: K): Extract<TruthRecord, { kind: K }>[] {
    return this.records.filter((r): r is Extract<TruthRecord, { kind: K }> => r.kind === kind);
  }

  /** The log as JSON Lines, exactly as JsonlTruthSink writes it. */
  toJsonl(): string {
    return this.records.map((r) => JSON.stringify(r) + '\n').join('');
  }
}

/** A sink that drops everything. */
export const NULL_TRUTH_SINK: TruthSink = { write: () => undefined };

/** Anything with a Node-style `write(string)` and `end(callback)` (a file stream, stdout). */
export interface TextStreamLike {
  write(chunk: string): boolean;
  end(callback?: () => void): unknown;
}

/**
 * JSON Lines into a stream, one record per line. Lines are buffered and handed to the stream
 * in batches (every `batchLines` records, and on close), so the simulation never waits on I/O.
 */
export class JsonlTruthSink implements TruthSink {
  private buffer: string[] = [];

  constructor(
    private readonly stream: TextStreamLike,
    private readonly batchLines = 256,
    private readonly endStream = true,
  ) {}

  write(record: TruthRecord): void {
    this.buffer.push(JSON.stringify(record) + '\n');
    if (this.buffer.length >= this.batchLines) this.flush();
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    this.stream.write(this.buffer.join(''));
    this.buffer = [];
  }

  async close(): Promise<void> {
    this.flush();
    if (this.endStream) await new Promise<void>((resolve) => this.stream.end(() => resolve()));
  }
}
