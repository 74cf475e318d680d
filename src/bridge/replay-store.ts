import { closeSync, fdatasyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { BridgeError } from './bridge-error.js';

/** One remembered entry: a nonce of a key, or a command id that ran. */
export interface ReplayEntry {
  readonly kind: 'nonce' | 'id';
  /** `<keyId>\u0000<nonce>` for nonces, the command id for ids. */
  readonly key: string;
  /** Node wall clock when first seen, ms since the Unix epoch. */
  readonly seenAtMs: number;
}

/** What {@link ReplayStore.open} found. */
export interface ReplayStoreOpened {
  readonly store: ReplayStore;
  /** Entries still inside the window, oldest first. */
  readonly entries: readonly ReplayEntry[];
  /**
   * True when the file existed and every line but a torn last one was readable, and it was not
   * over its cap: then a nonce it does not hold is provably unseen within the window. False on
   * the first start, after the file was lost, or when it was damaged.
   */
  readonly intact: boolean;
  /** Why it is not intact (for the log), else null. */
  readonly problem: string | null;
}

/**
 * The replay cache on disk, so that a restart forgets neither the nonces nor the command ids it
 * has executed within the freshness window. Append-only JSON lines `{"k":"n"|"i","v":key,"t":ms}`,
 * each written and `fdatasync`ed **before** the command it admits is executed (only authenticated,
 * fresh commands get here, so the rate is the operators'). At open, entries older than
 * `lifetimeMs` are dropped and the file is rewritten (atomic rename) with the rest; while running
 * it is compacted when it holds more than twice the live entries, so its size is bounded by the
 * command rate over the window (hard cap `maxEntries`, as the in-memory cache).
 */
export class ReplayStore {
  private fd: number;
  private live: ReplayEntry[];
  private lines: number;

  private constructor(
    private readonly file: string,
    entries: ReplayEntry[],
    private readonly lifetimeMs: number,
    private readonly maxEntries: number,
  ) {
    this.live = entries;
    this.lines = entries.length;
    this.fd = openSync(file, 'a', 0o600);
  }

  /** Read the file (created if missing), keep what is inside the window at `nowMs`, rewrite it. */
  static open(file: string, nowMs: number, lifetimeMs: number, maxEntries: number): ReplayStoreOpened {
    let text: string | null = null;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new BridgeError('spool-io', `replay cache ${file}: ${(error as Error).message}`, { cause: error });
      }
    }
    let problem: string | null = text === null ? 'no replay cache from a previous run' : null;
    const entries: ReplayEntry[] = [];
    if (text !== null) {
      const lines = text.split('\n');
      const last = lines.length - 1;
      lines.forEach((line, i) => {
        if (line === '') return;
        const entry = parseLine(line);
        if (entry === null) {
          // A torn last line is a write that never completed: its command was never executed.
          if (i !== last) problem ??= `replay cache line ${i + 1} unreadable`;
          return;
        }
        if (nowMs - entry.seenAtMs <= lifetimeMs) entries.push(entry);
      });
      if (entries.length > maxEntries) problem ??= 'replay cache over its cap';
    }
    const kept = entries.slice(-maxEntries);
    writeAtomically(file, kept);
    const store = new ReplayStore(file, kept, lifetimeMs, maxEntries);
    return { store, entries: kept, intact: problem === null, problem };
  }

  /** Remember `entry` durably (written and synced before this returns). Throws `spool-io` on failure. */
  add(entry: ReplayEntry): void {
    try {
      writeSync(this.fd, lineOf(entry));
      fdatasyncSync(this.fd);
    } catch (error) {
      throw new BridgeError('spool-io', `replay cache ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    this.live.push(entry);
    this.lines++;
    if (this.lines > 2 * Math.min(this.live.length, this.maxEntries) + 1000) this.compact(entry.seenAtMs);
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  private compact(nowMs: number): void {
    this.live = this.live.filter((e) => nowMs - e.seenAtMs <= this.lifetimeMs).slice(-this.maxEntries);
    closeSync(this.fd);
    writeAtomically(this.file, this.live);
    this.fd = openSync(this.file, 'a', 0o600);
    this.lines = this.live.length;
  }
}

function lineOf(entry: ReplayEntry): string {
  return JSON.stringify({ k: entry.kind === 'nonce' ? 'n' : 'i', v: entry.key, t: entry.seenAtMs }) + '\n';
}

function parseLine(line: string): ReplayEntry | null {
  try {
    const raw = JSON.parse(line) as { k?: unknown; v?: unknown; t?: unknown };
    if ((raw.k !== 'n' && raw.k !== 'i') || typeof raw.v !== 'string' || typeof raw.t !== 'number') return null;
    if (raw.v.length > 200 || !Number.isFinite(raw.t)) return null;
    return { kind: raw.k === 'n' ? 'nonce' : 'id', key: raw.v, seenAtMs: raw.t };
  } catch {
    return null;
  }
}

function writeAtomically(file: string, entries: readonly ReplayEntry[]): void {
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, entries.map(lineOf).join(''));
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
