import { createWriteStream, type WriteStream } from 'node:fs';
import { OutputsHasher } from './outputs-hasher.js';
import type { AuditRecord, EndRecord, RunManifest, RunRecord, ThreatsRecord } from './run-file-format.js';

/** Bytes buffered before a write is handed to the file stream. */
const FLUSH_BYTES = 64 * 1024;
/** Idle entries (single ticks or runs) in one `idle` line at most. */
const MAX_IDLE_PER_LINE = 1000;
/** A `tick` line starts like this; the rest is the tick's own JSON after its `{`. */
const TICK_LINE_PREFIX = '{"kind":"tick",';

/** A number as JSON writes it (non-finite ones as null). */
function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

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
  /** Idle entries not yet written (JSON text of each), and the run being extended. */
  private idle: string[] = [];
  private readonly run = { tick: 0, nowUs: 0, count: 0, stepUs: 0 };
  private ticks = 0;
  private closed = false;
  private writeError: Error | undefined;
  private readonly failureWaiters: ((error: Error) => void)[] = [];

  private constructor(
    readonly file: string,
    manifest: RunManifest,
  ) {
    this.stream = createWriteStream(file, { flags: 'w' });
    this.stream.on('error', (error) => {
      if (this.writeError !== undefined) return;
      this.writeError = new RunFileWriteError(file, error);
      // Nothing more is buffered: memory stays bounded after a full disk.
      this.pending = [];
      this.pendingBytes = 0;
      for (const waiter of this.failureWaiters.splice(0)) waiter(this.writeError);
    });
    this.append(manifest);
  }

  /**
   * Resolves with the first write error of the file (ENOSPC on a full disk, EIO, …); never
   * resolves when all goes well. After it the recorder drops records (bounded memory); the file
   * keeps the lines written before, readable up to the last complete one.
   */
  get failure(): Promise<Error> {
    if (this.writeError !== undefined) return Promise.resolve(this.writeError);
    return new Promise((resolve) => this.failureWaiters.push(resolve));
  }

  /** Create the file and write the manifest. */
  static create(file: string, manifest: RunManifest): RunRecorder {
    return new RunRecorder(file, manifest);
  }

  /**
   * Record one tick (inputs as the core saw them, sorted; outputs as produced).
   *
   * @param json optional: the tick already serialised as exactly
   *   `JSON.stringify({tick, nowUs, inputs, commands, events})` (keys in this order), e.g. the
   *   bytes the tick loop carried; the line is then spliced from it instead of serialised again.
   *   The file is the same either way.
   */
  recordTick(
    tick: number,
    nowUs: number,
    inputs: readonly unknown[],
    commands: readonly unknown[],
    events: readonly unknown[],
    json?: string,
  ): void {
    if (inputs.length === 0 && commands.length === 0 && events.length === 0) {
      this.recordIdleTick(tick, nowUs);
      return;
    }
    this.ticks++;
    this.flushIdle();
    this.hasher.addTick(tick, commands, events);
    if (json === undefined) this.append({ kind: 'tick', tick, nowUs, inputs, commands, events });
    else this.appendLine(TICK_LINE_PREFIX + json.slice(1));
  }

  /**
   * Record a tick that saw no input and produced nothing. Consecutive idle ticks evenly spaced
   * in time are written as one run (see IdleEntry), when `nowUs + i * stepUs` gives back each
   * tick's time exactly.
   */
  recordIdleTick(tick: number, nowUs: number): void {
    this.ticks++;
    const run = this.run;
    if (run.count > 0 && tick === run.tick + run.count) {
      if (run.count === 1) {
        const stepUs = nowUs - run.nowUs;
        if (run.nowUs + stepUs === nowUs && stepUs > 0) {
          run.stepUs = stepUs;
          run.count = 2;
          return;
        }
      } else if (run.nowUs + run.count * run.stepUs === nowUs) {
        run.count++;
        return;
      }
    }
    this.endRun();
    run.tick = tick;
    run.nowUs = nowUs;
    run.count = 1;
  }

  /** Move the run being extended, if any, to the idle entries. */
  private endRun(): void {
    const run = this.run;
    if (run.count === 0) return;
    this.idle.push(
      run.count === 1
        ? `[${jsonNumber(run.tick)},${jsonNumber(run.nowUs)}]`
        : `[${jsonNumber(run.tick)},${jsonNumber(run.nowUs)},${run.count},${jsonNumber(run.stepUs)}]`,
    );
    run.count = 0;
    if (this.idle.length >= MAX_IDLE_PER_LINE) this.flushIdle();
  }

  /** Record an operator command or its outcome. */
  recordAudit(nowUs: number, entry: unknown): void {
    this.flushIdle();
    const record: AuditRecord = { kind: 'audit', nowUs, entry };
    this.append(record);
  }

  /** Record the core's threat picture after the tick at `nowUs` (entries already in their file form). */
  recordThreats(nowUs: number, threats: readonly unknown[]): void {
    this.flushIdle();
    const record: ThreatsRecord = { kind: 'threats', nowUs, threats };
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
    if (this.writeError === undefined) {
      await new Promise<void>((resolve) => {
        this.stream.end(() => resolve());
        this.stream.once('error', () => resolve());
      });
    } else {
      this.stream.destroy();
    }
    if (this.writeError) throw this.writeError;
    return outputsSha256;
  }

  /** Write the idle ticks so far as one line: the text `JSON.stringify` gives the IdleRecord. */
  private flushIdle(): void {
    this.endRun();
    const idle = this.idle;
    if (idle.length === 0) return;
    this.appendLine(`{"kind":"idle","ticks":[${idle.join(',')}]}`);
    this.idle = [];
  }

  private append(record: RunRecord): void {
    this.appendLine(JSON.stringify(record));
  }

  private appendLine(text: string): void {
    const line = text + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  private flush(): void {
    if (this.writeError !== undefined) {
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }
}

/** The run file could not be written (full disk, I/O error): the run was ended early. */
export class RunFileWriteError extends Error {
  readonly code = 'run-file-write';
  constructor(
    readonly file: string,
    override readonly cause: Error,
  ) {
    const code = (cause as NodeJS.ErrnoException).code ?? cause.message;
    super(
      `cannot write the recording ${file}: ${code}${code === 'ENOSPC' ? ' (disk full)' : ''}; the run was ended, ` +
        'launchers SAFE; the file keeps what was written before (no end record)',
    );
    this.name = 'RunFileWriteError';
  }
}
