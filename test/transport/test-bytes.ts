/**
 * Deterministic pseudo-random bytes and sizes (a 32-bit LCG), so a failing case replays
 * exactly; tests may not use Math.random either.
 */
export class TestBytes {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + (this.next() % (max - min + 1));
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() >>> 24;
    return out;
  }
}
