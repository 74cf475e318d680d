import { type Hash, createHash } from 'node:crypto';

/**
 * Incremental SHA-256 over the outputs of each tick (tick index, commands, events), in order.
 * Recorder and replay both use it, so "identical" means the same bytes were hashed.
 */
export class OutputsHasher {
  private readonly hash: Hash = createHash('sha256');

  /** Add one tick's outputs. Ticks without outputs add nothing. */
  addTick(tick: number, commands: readonly unknown[], events: readonly unknown[]): void {
    if (commands.length === 0 && events.length === 0) return;
    this.hash.update(JSON.stringify([tick, commands, events]));
    this.hash.update('\n');
  }

  /** Hex digest; the hasher cannot be used afterwards. */
  digest(): string {
    return this.hash.digest('hex');
  }
}
