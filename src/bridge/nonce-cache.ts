/**
 * Nonces seen recently, per key id, to reject replays. An entry only needs to live as long as a
 * command carrying it could still pass the freshness check: a command is accepted while
 * |now - timestamp| <= window, so any replay arriving later than 2 x window after the original
 * is stale anyway. Entries therefore expire 2 x window after they were first seen (on the
 * monotonic clock) and the cache is bounded by what arrives in that time, plus a hard cap: when
 * full, `add` refuses (the caller rejects the command: fail closed, never forget a live nonce).
 */
export class NonceCache {
  // Insertion order = expiry order (constant lifetime, monotonic time), so expiry pops the front.
  private readonly expiryUs = new Map<string, number>();

  constructor(
    private readonly lifetimeUs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.expiryUs.size;
  }

  /**
   * Record `nonce` for `keyId` at `nowUs`. Returns `replayed` when it is still remembered, `full`
   * when the cap is reached, else `ok`.
   */
  add(keyId: string, nonce: string, nowUs: number): 'ok' | 'replayed' | 'full' {
    this.expire(nowUs);
    const key = `${keyId}\u0000${nonce}`;
    if (this.expiryUs.has(key)) return 'replayed';
    if (this.expiryUs.size >= this.maxEntries) return 'full';
    this.expiryUs.set(key, nowUs + this.lifetimeUs);
    return 'ok';
  }

  /**
   * Put back an entry remembered across a restart (`key` as `<keyId>\u0000<nonce>`), expiring at
   * `expiryUs`. Call in expiry order, before any `add`; beyond the cap it is ignored.
   */
  restore(key: string, expiryUs: number): void {
    if (this.expiryUs.size < this.maxEntries) this.expiryUs.set(key, expiryUs);
  }

  private expire(nowUs: number): void {
    for (const [key, expiry] of this.expiryUs) {
      if (expiry > nowUs) return;
      this.expiryUs.delete(key);
    }
  }
}
