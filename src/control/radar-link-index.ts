const EMPTY = -1;
const TWO_POW_32 = 4_294_967_296;

/** The key of a radar track: radar index (config order) and the radar's u32 track number. */
export function radarLinkKey(radarIndex: number, radarTrackId: number): number {
  return radarIndex * TWO_POW_32 + radarTrackId;
}

/** Radar index of a key. */
export function radarIndexOfKey(key: number): number {
  return Math.floor(key / TWO_POW_32);
}

/** Radar track number of a key. */
export function radarTrackIdOfKey(key: number): number {
  return key % TWO_POW_32;
}

/**
 * Radar track → host track slot, as an open-addressing hash table (linear probing, backward-shift
 * deletion, no tombstones) on typed arrays: no allocation per lookup or insert, unlike a `Map`
 * with 53-bit number keys, which boxes them.
 */
export class RadarLinkIndex {
  private readonly keys: Float64Array;
  private readonly slots: Int32Array;
  private readonly mask: number;
  private count = 0;

  /** `maxEntries` links at most; the table is sized to stay at most half full. */
  constructor(readonly maxEntries: number) {
    let size = 16;
    while (size < maxEntries * 2) size *= 2;
    this.keys = new Float64Array(size);
    this.slots = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  private home(key: number): number {
    const low = (key % TWO_POW_32) | 0;
    const high = Math.floor(key / TWO_POW_32) | 0;
    let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.mask;
  }

  /** Host track slot of a radar track, or -1. */
  get(key: number): number {
    let i = this.home(key);
    for (;;) {
      const slot = this.slots[i]!;
      if (slot === EMPTY) return EMPTY;
      if (this.keys[i] === key) return slot;
      i = (i + 1) & this.mask;
    }
  }

  /** Adds or replaces a link. Returns false when `maxEntries` links are already held. */
  set(key: number, slot: number): boolean {
    let i = this.home(key);
    for (;;) {
      if (this.slots[i] === EMPTY) {
        if (this.count >= this.maxEntries) return false;
        this.keys[i] = key;
        this.slots[i] = slot;
        this.count++;
        return true;
      }
      if (this.keys[i] === key) {
        this.slots[i] = slot;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Removes a link if present. */
  delete(key: number): void {
    let i = this.home(key);
    for (;;) {
      if (this.slots[i] === EMPTY) return;
      if (this.keys[i] === key) break;
      i = (i + 1) & this.mask;
    }
    this.count--;
    // Backward-shift: move later entries of the probe run into the hole when their home allows.
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.slots[j] === EMPTY) break;
      const home = this.home(this.keys[j]!);
      const distHole = (j - hole) & this.mask;
      const distHome = (j - home) & this.mask;
      if (distHome >= distHole) {
        this.keys[hole] = this.keys[j]!;
        this.slots[hole] = this.slots[j]!;
        hole = j;
      }
    }
    this.slots[hole] = EMPTY;
  }
}
