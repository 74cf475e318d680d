import { createWriteStream, type WriteStream } from 'node:fs';
import { OutputsHasher } from './outputs-hasher.js';
import type { AuditRecord, EndRecord, RunManifest, RunRecord } from './run-file-format.js';

/** Bytes buffered before a write is handed to the file stream. */
const FLUSH_BYTES = 64 * 1024;
/** Idle ticks packed into one `idle` line at most. */
const MAX_IDLE_PER_LINE = 1000;

/**
 * Appends a run file. `recordTick` is cheap on the tick path: it serialises into an in-memory
 * buffer that is written out in 64 KiB blocks by the file stream; nothing waits on the disk.
 * Idle ticks are packed. `close()` writes the end record and resolves when all is on disk.
 *
 * Contract: records are written in call order; the file is valid JSON Lines after every
 * flushed block (a crash loses at most the unflushed tail, never corrupts earlier lines).
 */
export class RunRecorder {
  private readonly stream: WriteStream;
  private readonly hasher = new OutputsHasher();
  private pending: string[] = [];
  private pendingBytes = 0;
  private idle: [number, number][] = [];
  private ticks = 0;
  private closed = false;
  private writeError: Error | undefined;

  private constructor(
    readonly file: string,
    manifest: RunManifest,
  ) {
    this.stream = createWriteStream(file, { flags: 'w' });
    this.stream.on('error', (error) => {
      this.writeError = error;
    });
    this.append(manifest);
  }

  /** Create the file and write the manifest. */
  static create(file: string, manifest: RunManifest): RunRecorder {
    return new RunRecorder(file, manifest);
  }

  /** Record one tick (inputs as the core saw them, sorted; outputs as produced). */
  recordTick(
    tick: number,
    nowUs: number,
    inputs: readonly unknown[],
    commands: readonly unknown[],
    events: readonly unknown[],
  ): void {
    this.ticks++;
    if (inputs.length === 0 && commands.length === 0 && events.length === 0) {
      this.idle.push([tick, nowUs]);
      if (this.idle.length >= MAX_IDLE_PER_LINE) this.flushIdle();
      return;
    }
    this.flushIdle();
    this.hasher.addTick(tick, commands, events);
    this.append({ kind: 'tick', tick, nowUs, inputs, commands, events });
  }

  /** Record an operator command or its outcome. */
  recordAudit(nowUs: number, entry: unknown): void {
    this.flushIdle();
    const record: AuditRecord = { kind: 'audit', nowUs, entry };
    this.append(record);
  }

  /** Write the end record and close; resolves with the outputs hash once on disk. */
  async close(summary: unknown): Promise<string> {
    if (this.closed) throw new Error('recorder already closed');
    this.flushIdle();
    const outputsSha256 = this.hasher.digest();
    const end: EndRecord = { kind: 'end', ticks: this.ticks, outputsSha256, summary };
    this.append(end);
    this.flush();
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
    });
    if (this.writeError) throw this.writeError;
    return outputsSha256;
  }

  private flushIdle(): void {
    if (this.idle.length === 0) return;
    this.append({ kind: 'idle', ticks: this.idle });
    this.idle = [];
  }

  private append(record: RunRecord): void {
    const line = JSON.stringify(record) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
