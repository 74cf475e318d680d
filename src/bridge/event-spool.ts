import { type FileHandle, open, rename } from 'node:fs/promises';
import { BridgeError } from './bridge-error.js';

/** One record waiting for the broker: where it goes and what it says. */
export interface SpoolRecord {
  readonly topic: string;
  readonly payload: string;
  /** MQTT 5 correlation data, base64 (results sent to a response topic). */
  readonly correlation?: string;
}

export interface SpoolEntry {
  /** null for an unparsable line (kept so offsets still commit in order; never published). */
  readonly record: SpoolRecord | null;
  /** File offset just past this record: the spool is committed up to here once it is acked. */
  readonly endOffset: number;
}

/**
 * When appended records reach the disk. `batch` (default): `fdatasync` after every append, and
 * an append carries every record queued since the previous one finished (group commit), so a
 * power cut loses at most the batch being written. `none`: leave it to the OS page cache (a
 * process crash loses nothing, a power cut may lose seconds).
 */
export type SpoolFsyncPolicy = 'batch' | 'none';

const NEWLINE = 0x0a;
const READ_CHUNK = 256 * 1024;

/**
 * The on-disk spool: an append-only file of newline-terminated JSON records
 * (`{"t":topic,"p":payload,"c":correlation?}`), read back in order from an offset. A torn last
 * line (crash mid-append) is cut off at open; an unparsable line is skipped and counted.
 * Callers serialise operations (one at a time): the spool does no locking.
 */
export class EventSpool {
  private size: number;

  private constructor(
    private handle: FileHandle,
    readonly path: string,
    size: number,
    private readonly fsync: SpoolFsyncPolicy,
  ) {
    this.size = size;
  }

  /** Open or create; returns the spool and how many records it already holds (from a previous run). */
  static async open(
    path: string,
    fsync: SpoolFsyncPolicy = 'batch',
  ): Promise<{ spool: EventSpool; records: number; tornBytes: number }> {
    try {
      const handle = await open(path, 'a+', 0o600);
      const size = (await handle.stat()).size;
      const complete = await lastNewlineEnd(handle, size);
      if (complete < size) await handle.truncate(complete);
      const records = await countNewlines(handle, complete);
      return { spool: new EventSpool(handle, path, complete, fsync), records, tornBytes: size - complete };
    } catch (error) {
      throw spoolError('open', path, error);
    }
  }

  get sizeBytes(): number {
    return this.size;
  }

  /** Append records in order; resolves when written (and synced, per policy). Returns bytes. */
  async append(records: readonly SpoolRecord[]): Promise<number> {
    const text = records.map((r) => serialise(r)).join('');
    const bytes = Buffer.from(text, 'utf8');
    try {
      await this.handle.write(bytes, 0, bytes.length, null);
      if (this.fsync === 'batch') await this.handle.datasync();
    } catch (error) {
      throw spoolError('append to', this.path, error);
    }
    this.size += bytes.length;
    return bytes.length;
  }

  /**
   * Complete records from `offset` (a record boundary) onwards, about `maxBytes` worth (at least
   * one record when any is there). Unparsable lines come back with `record: null`.
   */
  async readFrom(offset: number, maxBytes = READ_CHUNK): Promise<{ entries: SpoolEntry[]; nextOffset: number }> {
    const entries: SpoolEntry[] = [];
    let want = Math.max(1024, maxBytes);
    for (;;) {
      const length = Math.min(want, this.size - offset);
      if (length <= 0) return { entries, nextOffset: offset };
      const buffer = Buffer.alloc(length);
      try {
        await this.handle.read(buffer, 0, length, offset);
      } catch (error) {
        throw spoolError('read', this.path, error);
      }
      let start = 0;
      for (let i = 0; i < length; i++) {
        if (buffer[i] !== NEWLINE) continue;
        entries.push({ record: parse(buffer.toString('utf8', start, i)) ?? null, endOffset: offset + i + 1 });
        start = i + 1;
      }
      if (start > 0 || length === this.size - offset) return { entries, nextOffset: offset + start };
      want *= 2; // one record longer than the chunk: read more
    }
  }

  /** Empty the file (everything in it was delivered). */
  async truncate(): Promise<void> {
    try {
      await this.handle.truncate(0);
      if (this.fsync === 'batch') await this.handle.datasync();
    } catch (error) {
      throw spoolError('truncate', this.path, error);
    }
    this.size = 0;
  }

  /**
   * Replace the file with `prefix`, then the current content from `keepFrom`, then `suffix`
   * (written to a temporary file, synced, renamed over). Used at shutdown to put records that
   * were in flight back in front of the rest and drop the delivered prefix.
   */
  async rewrite(prefix: readonly SpoolRecord[], keepFrom: number, suffix: readonly SpoolRecord[]): Promise<void> {
    const tmpPath = `${this.path}.tmp`;
    try {
      const tmp = await open(tmpPath, 'w', 0o600);
      try {
        let size = 0;
        const head = Buffer.from(prefix.map((r) => serialise(r)).join(''), 'utf8');
        await tmp.write(head, 0, head.length, null);
        size += head.length;
        for (let at = keepFrom; at < this.size; at += READ_CHUNK) {
          const length = Math.min(READ_CHUNK, this.size - at);
          const chunk = Buffer.alloc(length);
          await this.handle.read(chunk, 0, length, at);
          await tmp.write(chunk, 0, length, null);
          size += length;
        }
        const tail = Buffer.from(suffix.map((r) => serialise(r)).join(''), 'utf8');
        await tmp.write(tail, 0, tail.length, null);
        size += tail.length;
        await tmp.datasync();
        await tmp.close();
        await this.handle.close();
        await rename(tmpPath, this.path);
        this.handle = await open(this.path, 'a+', 0o600);
        this.size = size;
      } catch (error) {
        await tmp.close().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw spoolError('rewrite', this.path, error);
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

function serialise(record: SpoolRecord): string {
  const line: { t: string; p: string; c?: string } = { t: record.topic, p: record.payload };
  if (record.correlation !== undefined) line.c = record.correlation;
  return JSON.stringify(line) + '\n';
}

function parse(line: string): SpoolRecord | undefined {
  try {
    const value = JSON.parse(line) as { t?: unknown; p?: unknown; c?: unknown };
    if (typeof value.t !== 'string' || typeof value.p !== 'string') return undefined;
    if (value.c !== undefined && typeof value.c !== 'string') return undefined;
    return value.c === undefined
      ? { topic: value.t, payload: value.p }
      : { topic: value.t, payload: value.p, correlation: value.c };
  } catch {
    return undefined;
  }
}

async function lastNewlineEnd(handle: FileHandle, size: number): Promise<number> {
  let end = size;
  while (end > 0) {
    const length = Math.min(64 * 1024, end);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, end - length);
    const index = buffer.lastIndexOf(NEWLINE);
    if (index >= 0) return end - length + index + 1;
    end -= length;
  }
  return 0;
}

async function countNewlines(handle: FileHandle, size: number): Promise<number> {
  let count = 0;
  const buffer = Buffer.alloc(1024 * 1024);
  for (let at = 0; at < size; at += buffer.length) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, size - at), at);
    for (let i = 0; i < bytesRead; i++) if (buffer[i] === NEWLINE) count++;
  }
  return count;
}

function spoolError(action: string, path: string, error: unknown): BridgeError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new BridgeError('spool-io', `cannot ${action} spool ${path}: ${code}`, { cause: error });
}
