import { CommandIdConflictError } from './device-errors.js';

interface LedgerEntry {
  readonly fingerprint: string;
  readonly outcome: Promise<unknown>;
}

/**
 * Idempotent command ids (ICD-CMN-008, docs/architecture.md §Safety "one command id never fires twice").
 * Remembers, for the last `capacity` command ids handed to the link, what command each carried
 * (a fingerprint of the caller's arguments) and its outcome. A repeat of the same command returns
 * the first outcome without sending anything; a different command under a used id is refused.
 * Ids refused before anything was written are not recorded, so they stay usable.
 */
export class CommandLedger {
  private readonly entries = new Map<number, LedgerEntry>();

  constructor(private readonly capacity = 4096) {}

  /**
   * The outcome of an earlier identical command, undefined for an unused id.
   * Throws CommandIdConflictError when the id carried a different command.
   */
  lookup<T>(commandId: number, fingerprint: string): Promise<T> | undefined {
    const entry = this.entries.get(commandId);
    if (entry === undefined) return undefined;
    if (entry.fingerprint !== fingerprint) throw new CommandIdConflictError(commandId);
    return entry.outcome as Promise<T>;
  }

  record(commandId: number, fingerprint: string, outcome: Promise<unknown>): void {
    // Callers may ignore repeats' outcomes: never let the stored promise be an unhandled rejection.
    outcome.catch(() => undefined);
    this.entries.set(commandId, { fingerprint, outcome });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
    }
  }
}
