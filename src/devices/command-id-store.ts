import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Highest command id the store hands out: below the drivers' default range (0xFF000000 up). */
export const MAX_STORED_COMMAND_ID = 0xfeff_ffff;
/** Largest block one reservation may take (a bounded share of the u32 id space). */
export const MAX_COMMAND_ID_BLOCK = 1 << 24;
const FORMAT = 'shieldlink-command-ids/1';

/** A block of command ids reserved on disk before any of them is used. */
export interface CommandIdBlock {
  /** First id of the block (>= 1). */
  readonly firstId: number;
  /** Last id of the block (inclusive, <= MAX_STORED_COMMAND_ID). */
  readonly lastId: number;
  /** Reservations made before this one in the file's life (0 for the first): numbers sessions. */
  readonly reservation: number;
}

/** The state file cannot be used: ids are not handed out (fail closed). */
export class CommandIdStoreError extends Error {
  readonly code = 'command-id-store';
  constructor(message: string) {
    super(message);
    this.name = 'CommandIdStoreError';
  }
}

interface StoredState {
  readonly format: typeof FORMAT;
  /** The next id no reservation has taken. */
  readonly nextId: number;
  /** Reservations made so far. */
  readonly reservations: number;
}

/**
 * Command ids that never repeat across host sessions (ICD-CMN-008: a launcher that stayed powered
 * while the host restarted must never see an old id again). A small JSON file holds the next id
 * nobody has reserved; `reserve(n)` moves it on by `n` and makes that durable — written to a
 * temporary file, fsync'd, renamed over the state file, directory fsync'd — before it returns the
 * block, so a host killed at any instant (even `kill -9` mid-block) restarts beyond every id it
 * may have sent. Ids abandoned in a block are simply never used.
 *
 * Contract:
 * - ids are in [1, MAX_STORED_COMMAND_ID]; when a block no longer fits, numbering wraps to 1. A
 *   launcher remembers at most a few thousand executed FIRE ids (ICD-LNCH-008), so a repeat after
 *   ~4.28e9 ids is never seen as a duplicate.
 * - A missing file starts at id 1 (first session of this node). A file that is unreadable,
 *   malformed or of another format throws CommandIdStoreError: the host then refuses to start
 *   rather than guess which ids are used.
 * - Reservations are synchronous (a few ms for the fsyncs) and rare: one per session plus one per
 *   exhausted sub-block.
 * - One host process per file: two hosts on one file would still never share a block (each
 *   reservation re-reads the file), but running two hosts against one launcher is a bench error.
 */
export class CommandIdStore {
  constructor(readonly file: string) {}

  /** Reserve `count` consecutive ids (1..MAX_COMMAND_ID_BLOCK), durable before return. */
  reserve(count: number): CommandIdBlock {
    if (!Number.isInteger(count) || count < 1 || count > MAX_COMMAND_ID_BLOCK) {
      throw new CommandIdStoreError(`command-id block of ${count}: expected an integer in 1..${MAX_COMMAND_ID_BLOCK}`);
    }
    const state = this.read();
    const firstId = state.nextId + count - 1 > MAX_STORED_COMMAND_ID ? 1 : state.nextId;
    const lastId = firstId + count - 1;
    const next = lastId + 1 > MAX_STORED_COMMAND_ID ? 1 : lastId + 1;
    this.write({ format: FORMAT, nextId: next, reservations: state.reservations + 1 });
    return { firstId, lastId, reservation: state.reservations };
  }

  private read(): StoredState {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, nextId: 1, reservations: 0 };
      throw new CommandIdStoreError(
        `cannot read command-id state ${this.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const state = parsed as Partial<StoredState> | undefined;
    if (
      state === undefined ||
      state === null ||
      state.format !== FORMAT ||
      !Number.isSafeInteger(state.nextId) ||
      state.nextId! < 1 ||
      state.nextId! > MAX_STORED_COMMAND_ID ||
      !Number.isSafeInteger(state.reservations) ||
      state.reservations! < 0
    ) {
      throw new CommandIdStoreError(
        `command-id state ${this.file} is not a ${FORMAT} file: refusing to guess which ids were used ` +
          '(power-cycle the launchers, then delete the file)',
      );
    }
    return state as StoredState;
  }

  private write(state: StoredState): void {
    const temporary = `${this.file}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const fd = openSync(temporary, 'w', 0o644);
      try {
        writeSync(fd, JSON.stringify(state) + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, this.file);
      const dir = openSync(dirname(this.file), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch (error) {
      throw new CommandIdStoreError(
        `cannot write command-id state ${this.file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      );
    }
  }
}

/**
 * Hands out ids from blocks of `blockSize` reserved in a CommandIdStore, reserving the next block
 * when one is used up. Suits the drivers' own ids and operator command ids (not replayed).
 */
export class BlockCommandIdAllocator {
  private next = 0;
  private last = -1;

  constructor(
    private readonly store: CommandIdStore,
    private readonly blockSize = 4096,
  ) {}

  /** A fresh id, never handed out before by any session using the same store. */
  allocate = (): number => {
    if (this.next > this.last) {
      const block = this.store.reserve(this.blockSize);
      this.next = block.firstId;
      this.last = block.lastId;
    }
    return this.next++;
  };
}

/**
 * First frame seq of a host session's links, from its reservation number: consecutive sessions
 * start 0x9E37 (about 0.618 × 65536) apart, so the first frames of a new session are far from
 * the previous session's recent seqs on a device that stayed powered.
 */
export function firstSeqOfSession(reservation: number): number {
  return (reservation * 0x9e37) & 0xffff;
}
