import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunOutcome, RunSpec } from './run-spec.js';

/** A run's process died before answering (killed, out of memory, crashed). */
export class RunCrashedError extends Error {
  readonly code = 'run-crashed';
  constructor(message: string) {
    super(message);
    this.name = 'RunCrashedError';
  }
}

/** Options of {@link RunProcessPool}. */
export interface RunProcessPoolOptions {
  /** Processes (>= 1); each runs one run at a time. */
  readonly size: number;
  /** Recorded in each outcome's `worker`. Default `local`. */
  readonly workerName?: string;
  /** A process is replaced after this many runs (bounds what a leak can grow to). Default 20. */
  readonly runsPerProcess?: number;
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  busy: { key: string; resolve: (o: RunOutcome) => void; reject: (e: Error) => void } | null;
  runs: number;
  stderrTail: string;
}

/**
 * A pool of worker processes, each running campaign runs one at a time
 * (`run-process-entry`). Every run is in a process of its own, away from the caller's event
 * loop and from the other runs' memory; a process that dies rejects its run with
 * RunCrashedError and is replaced. `run()` queues when every process is busy (the queue holds
 * what the caller gives it: callers keep at most `size` runs in flight).
 */
export class RunProcessPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: { spec: RunSpec; resolve: (o: RunOutcome) => void; reject: (e: Error) => void }[] = [];
  private readonly workDir = mkdtempSync(join(tmpdir(), 'shieldlink-campaign-'));
  private closed = false;

  constructor(private readonly options: RunProcessPoolOptions) {
    if (!(options.size >= 1)) throw new RangeError('pool size must be >= 1');
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** Run one spec in a free process. Rejects with RunCrashedError when its process dies. */
  run(spec: RunSpec): Promise<RunOutcome> {
    if (this.closed) return Promise.reject(new Error('pool closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ spec, resolve, reject });
      this.dispatch();
    });
  }

  /** Stop every process (runs in flight are rejected) and remove the scratch directory. */
  async close(): Promise<void> {
    this.closed = true;
    const exits = this.slots.map(
      (slot) =>
        new Promise<void>((resolve) => {
          if (slot.child.exitCode !== null || slot.child.signalCode !== null) resolve();
          else {
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGTERM');
          }
        }),
    );
    for (const w of this.waiting.splice(0)) w.reject(new Error('pool closed'));
    await Promise.all(exits);
    rmSync(this.workDir, { recursive: true, force: true });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.waiting.length === 0) return;
      if (slot.busy !== null) continue;
      const next = this.waiting.shift()!;
      slot.busy = { key: next.spec.key, resolve: next.resolve, reject: next.reject };
      void slot.ready.then(() => slot.child.send({ spec: next.spec }));
    }
  }

  private spawn(): Slot {
    const here = fileURLToPath(import.meta.url);
    const fromSource = here.endsWith('.ts');
    const entry = join(here, '..', fromSource ? 'run-process-entry.ts' : 'run-process-entry.js');
    const child = fork(entry, [this.workDir, this.options.workerName ?? 'local'], {
      execArgv: fromSource ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let markReady: () => void = () => undefined;
    const slot: Slot = {
      child,
      ready: new Promise<void>((resolve) => (markReady = resolve)),
      busy: null,
      runs: 0,
      stderrTail: '',
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      slot.stderrTail = (slot.stderrTail + chunk.toString('utf8')).slice(-2000);
    });
    child.on('message', (message: { ready?: boolean; key?: string; outcome?: RunOutcome }) => {
      if (message.ready === true) return markReady();
      const busy = slot.busy;
      if (busy === null || message.key !== busy.key || message.outcome === undefined) return;
      slot.busy = null;
      slot.runs++;
      busy.resolve(message.outcome);
      if (slot.runs >= (this.options.runsPerProcess ?? 20) && !this.closed) this.replace(slot, true);
      this.dispatch();
    });
    child.on('exit', (code, signal) => {
      const busy = slot.busy;
      slot.busy = null;
      if (busy !== null) {
        const tail = slot.stderrTail.trim().split('\n').slice(-3).join(' | ');
        busy.reject(
          new RunCrashedError(
            `worker process ${child.pid} died (${signal ?? `exit ${code}`}) during run ${busy.key}${tail ? `: ${tail}` : ''}`,
          ),
        );
      }
      if (!this.closed && this.slots.includes(slot)) this.replace(slot, false);
    });
    child.on('error', () => undefined);
    return slot;
  }

  private replace(slot: Slot, stopOld: boolean): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots[index] = this.spawn();
    if (stopOld) slot.child.kill('SIGTERM');
    this.dispatch();
  }
}
