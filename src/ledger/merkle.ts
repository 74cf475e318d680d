import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 §2.1 (Certificate Transparency v2, the same tree as RFC 6962),
 * SHA-256: leaf hash `SHA-256(0x00 ‖ entry)`, interior node `SHA-256(0x01 ‖ left ‖ right)`, the
 * tree head MTH of n leaves splitting at the largest power of two smaller than n, and the
 * inclusion (PATH) and consistency (PROOF) proofs with the RFC's verification algorithms
 * (§2.1.3.2, §2.1.4.2). Pure; hashes are 32-byte Buffers.
 */

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256 of the empty string: the head of an empty tree. */
export const EMPTY_ROOT = createHash('sha256').digest();

/**
 * One-shot SHA-256 as a 32-character string of one latin1 char per byte (node:crypto `hash`,
 * much cheaper than a Hash object per call). Asking for the digest as a string is the cheap way
 * out of `hash`: a `'buffer'` digest allocates an ArrayBuffer of its own per call, which costs
 * about twice the SHA-256 of a 600-byte entry (decision 0040).
 */
const sha256Digest = (data: Uint8Array): string => hash('sha256', data, 'binary');

/** One-shot SHA-256 into a (pooled) Buffer: see {@link sha256Digest}. */
const sha256 = (data: Uint8Array): Buffer => Buffer.from(sha256Digest(data), 'latin1');

export function leafHash(entry: Uint8Array): Buffer {
  const data = Buffer.allocUnsafe(entry.length + 1);
  data[0] = LEAF_PREFIX[0]!;
  data.set(entry, 1);
  return sha256(data);
}

/**
 * The leaf hash of the entry `bytes[from, to)` without copying it: `bytes[from - 1]` (a byte the
 * caller owns and no longer needs, such as the newline before a line) is overwritten with the
 * leaf prefix 0x00 and `SHA-256(bytes[from - 1, to))` returned. Requires `from >= 1`.
 */
export function leafHashInPlace(bytes: Uint8Array, from: number, to: number): Buffer {
  if (from < 1 || to < from || to > bytes.length) throw new RangeError(`no entry [${from}, ${to}) to hash in place`);
  bytes[from - 1] = LEAF_PREFIX[0]!;
  return sha256(new Uint8Array(bytes.buffer, bytes.byteOffset + from - 1, to - from + 1));
}

/**
 * {@link leafHashInPlace} as a digest string (32 latin1 chars, one per byte of the hash), what
 * {@link MerkleFrontier.appendLeafDigest} takes: no Buffer per leaf.
 */
export function leafDigestInPlace(bytes: Uint8Array, from: number, to: number): string {
  if (from < 1 || to < from || to > bytes.length) throw new RangeError(`no entry [${from}, ${to}) to hash in place`);
  bytes[from - 1] = LEAF_PREFIX[0]!;
  return sha256Digest(new Uint8Array(bytes.buffer, bytes.byteOffset + from - 1, to - from + 1));
}

const nodeInput = Buffer.alloc(65);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput[0] = NODE_PREFIX[0]!;
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha256(nodeInput);
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over leaf hashes `leaves[from, to)`. */
export function rootOf(leaves: readonly Uint8Array[], from = 0, to = leaves.length): Buffer {
  const n = to - from;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return Buffer.from(leaves[from]!);
  const k = splitPoint(n);
  return nodeHash(rootOf(leaves, from, from + k), rootOf(leaves, from + k, to));
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1 over leaf hashes `leaves[0, size)`. */
export function inclusionProof(leaves: readonly Uint8Array[], index: number, size = leaves.length): Buffer[] {
  if (size > leaves.length) throw new RangeError(`no tree of ${size} in ${leaves.length} leaves`);
  return pathWith((from, to) => rootOf(leaves, from, to), index, size);
}

/** PATH over any subtree-hash function `root(from, to)`. */
function pathWith(root: (from: number, to: number) => Buffer, index: number, size: number): Buffer[] {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  }
  const path: Buffer[] = [];
  const walk = (m: number, from: number, to: number): void => {
    const n = to - from;
    if (n <= 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, from, from + k);
      path.push(root(from + k, to));
    } else {
      walk(m - k, from + k, to);
      path.push(root(from, from + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: consistency of the first `first` leaves with the first `second`. */
export function consistencyProof(leaves: readonly Uint8Array[], first: number, second = leaves.length): Buffer[] {
  if (second > leaves.length) throw new RangeError(`no tree of ${second} in ${leaves.length} leaves`);
  return proofWith((from, to) => rootOf(leaves, from, to), first, second);
}

/** PROOF over any subtree-hash function `root(from, to)`. */
function proofWith(root: (from: number, to: number) => Buffer, first: number, second: number): Buffer[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError(`no consistency proof from ${first} to ${second}`);
  }
  const proof: Buffer[] = [];
  if (first === 0 || first === second) return proof;
  const sub = (m: number, from: number, to: number, complete: boolean): void => {
    const n = to - from;
    if (m === n) {
      if (!complete) proof.push(root(from, to));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, from, from + k, complete);
      proof.push(root(from + k, to));
    } else {
      sub(m - k, from + k, to, false);
      proof.push(root(from, from + k));
    }
  };
  sub(first, 0, second, true);
  return proof;
}

/** RFC 9162 §2.1.3.2: does `path` prove leaf `index` (hash `leaf`) in the tree of `size` with head `root`? */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.compare(Buffer.from(r), Buffer.from(root)) === 0;
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `first` (head `firstRoot`) is a prefix of the tree of `second`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && same(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return same(fr, firstRoot) && same(sr, secondRoot) && sn === 0;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * An append-only tree that keeps the hash of every complete aligned subtree (level h holds the
 * subtrees of 2^h leaves: about 2 × 32 bytes per entry), so `root()` and each proof cost
 * O(log n) hashes, never O(n).
 */
export class MerkleLog {
  /** levels[h][i]: hash of leaves [i·2^h, (i+1)·2^h). levels[0] are the leaf hashes. */
  private readonly levels: Buffer[][] = [[]];

  get size(): number {
    return this.levels[0]!.length;
  }

  /** Append an entry's bytes; returns its leaf hash. */
  append(entry: Uint8Array): Buffer {
    const hash = leafHash(entry);
    this.appendLeafHash(hash);
    return hash;
  }

  appendLeafHash(hash: Buffer): void {
    let h = 0;
    let node = hash;
    for (;;) {
      const level = (this.levels[h] ??= []);
      level.push(node);
      if (level.length % 2 === 1) return;
      node = nodeHash(level[level.length - 2]!, node);
      h++;
    }
  }

  /** MTH of the first `size` leaves (default all). */
  root(size = this.size): Buffer {
    if (size > this.size) throw new RangeError(`no tree of ${size} in ${this.size} leaves`);
    return this.subtree(0, size);
  }

  leafHashes(): readonly Buffer[] {
    return this.levels[0]!;
  }

  inclusionProof(index: number, size = this.size): Buffer[] {
    if (size > this.size) throw new RangeError(`no tree of ${size} in ${this.size} leaves`);
    return pathWith((from, to) => this.subtree(from, to), index, size);
  }

  consistencyProof(first: number, second = this.size): Buffer[] {
    if (second > this.size) throw new RangeError(`no tree of ${second} in ${this.size} leaves`);
    return proofWith((from, to) => this.subtree(from, to), first, second);
  }

  /** MTH of leaves [from, to), where `from` is a multiple of the split sizes (as RFC recursion gives). */
  private subtree(from: number, to: number): Buffer {
    const n = to - from;
    if (n === 0) return EMPTY_ROOT;
    if (isPowerOfTwo(n) && from % n === 0) {
      const h = Math.log2(n);
      const cached = this.levels[h]?.[from / n];
      if (cached !== undefined) return cached;
    }
    if (n === 1) return this.levels[0]![from]!;
    const k = splitPoint(n);
    return nodeHash(this.subtree(from, from + k), this.subtree(from + k, to));
  }
}

/**
 * The right edge of an append-only RFC 9162 tree: the hashes of its complete subtrees, largest
 * first (at most 64 of them), enough to fold the tree head of every leaf so far but not to build
 * proofs. Bounded memory whatever the size; `appendLeafHash` costs O(1) amortised node hashes,
 * `root()` O(log n).
 */
export class MerkleFrontier {
  /** The complete subtrees' hashes as digest strings (32 latin1 chars each), largest first. */
  private readonly digests: string[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  /** Leaves appended so far. */
  get size(): number {
    return this.count;
  }

  /** Append a leaf hash (32 bytes). */
  appendLeafHash(hash: Uint8Array): void {
    this.appendLeafDigest(digestOf(hash));
  }

  /**
   * Append a leaf hash given as a digest string (32 latin1 chars, one per byte: what
   * {@link leafDigestInPlace} returns). Throws RangeError for any other length.
   */
  appendLeafDigest(digest: string): void {
    if (digest.length !== 32) throw new RangeError(`a leaf digest has 32 bytes, not ${digest.length}`);
    let node = digest;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      this.sizes.pop();
      node = nodeDigest(this.digests.pop()!, node);
      size *= 2;
    }
    this.digests.push(node);
    this.sizes.push(size);
    this.count++;
  }

  /** MTH of every leaf so far (RFC 9162 §2.1.1), folded right to left. */
  root(): Buffer {
    return Buffer.from(this.rootDigest(), 'latin1');
  }

  /** {@link root} as a digest string (32 latin1 chars, one per byte). */
  rootDigest(): string {
    const n = this.digests.length;
    if (n === 0) return EMPTY_ROOT_DIGEST;
    let r = this.digests[n - 1]!;
    for (let i = n - 2; i >= 0; i--) r = nodeDigest(this.digests[i]!, r);
    return r;
  }
}

const EMPTY_ROOT_DIGEST = EMPTY_ROOT.toString('latin1');

function digestOf(hash: Uint8Array): string {
  if (hash.length !== 32) throw new RangeError(`a leaf hash has 32 bytes, not ${hash.length}`);
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
}

/** Node's Buffer method behind `write(text, offset, length, 'latin1')` (not in its typings). */
interface LatinWriting {
  latin1Write(text: string, offset: number, length: number): number;
}
const nodeWriter = nodeInput as unknown as LatinWriting;

/** {@link nodeHash} of two digest strings (32 latin1 chars each), as a digest string. */
function nodeDigest(left: string, right: string): string {
  nodeInput[0] = NODE_PREFIX[0]!;
  // Buffer's own latin1Write: write(…, 'latin1') adds argument checks costing as much again.
  nodeWriter.latin1Write(left, 1, 32);
  nodeWriter.latin1Write(right, 33, 32);
  return sha256Digest(nodeInput);
}
