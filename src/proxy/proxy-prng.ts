import { mulberry32 } from '../common/mulberry32.js';

/**
 * The fault proxy's only source of randomness: mulberry32 seeded from `(seed, stream)` through
 * FNV-1a, so each direction draws its own repeatable stream (never Math.random). The same seed
 * and the same bytes in give the same faults out.
 */
export class ProxyPrng {
  private readonly random: () => number;

  /** A stream for `(seed, stream)`; the same pair always gives the same sequence. */
  constructor(seed: number, stream: string) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < stream.length; i++) hash = Math.imul(hash ^ stream.charCodeAt(i), 0x01000193) >>> 0;
    this.random = mulberry32(hash ^ Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.floor(seed / 0x1_0000_0000));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.random();
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }
}
