/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): a tiny seeded PRNG, good enough for jitter,
 * fault draws and benchmark loads, never for secrets. Returns a generator of numbers uniform in
 * [0, 1), each a multiple of 2^-32; the seed is taken modulo 2^32 (`seed >>> 0`), and the same
 * seed always gives the same sequence.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
