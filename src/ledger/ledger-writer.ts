import { canonicalJson } from '../common/canonical-json.js';
import type { LedgerEntry } from './ledger-entry.js';
import { MerkleLog } from './merkle.js';
import { type HeadSigner, LEDGER_FORMAT, type LedgerHeader, signHead, type TreeHead } from './tree-head.js';

/** Most entries one ledger holds; appends beyond it throw (every file is bounded). */
export const MAX_LEDGER_ENTRIES = 10_000_000;

/**
 * The node side of the ledger: appends entries to an RFC 9162 Merkle log and signs tree heads.
 * Each call returns the lines (canonical JSON, no newline) the file gets, in order; the caller
 * writes them. Pure apart from signing (Ed25519 is deterministic: the same key and entries give
 * the same bytes). Not thread-safe; one writer per ledger.
 */
export class LedgerWriter {
  private readonly log = new MerkleLog();
  private heads = 0;
  private lastHeadSize = 0;
  private closed = false;

  constructor(private readonly signer: HeadSigner) {}

  /** The first line of the file. */
  header(): string {
    const header: LedgerHeader = {
      kind: 'ledger',
      format: LEDGER_FORMAT,
      nodeId: this.signer.nodeId,
      keyId: this.signer.keyId,
      tree: 'rfc9162-sha256',
    };
    return canonicalJson(header);
  }

  get size(): number {
    return this.log.size;
  }

  /** Entries appended since the last head. */
  get unsignedEntries(): number {
    return this.log.size - this.lastHeadSize;
  }

  /** Append one entry; returns its line. Throws after close or past {@link MAX_LEDGER_ENTRIES}. */
  append(entry: LedgerEntry): string {
    if (this.closed) throw new Error('ledger closed');
    if (this.log.size >= MAX_LEDGER_ENTRIES) throw new Error(`ledger full (${MAX_LEDGER_ENTRIES} entries)`);
    const line = canonicalJson({ kind: 'entry', i: this.log.size, e: entry }, 'finite');
    this.log.append(Buffer.from(line, 'utf8'));
    return line;
  }

  /** Sign a head over everything appended so far; `final` closes the ledger. */
  head(timeMs: number, final = false): string {
    if (this.closed) throw new Error('ledger closed');
    const size = this.log.size;
    const unsigned: Omit<TreeHead, 'sig'> = {
      kind: 'head',
      n: this.heads,
      nodeId: this.signer.nodeId,
      keyId: this.signer.keyId,
      size,
      root: this.log.root().toString('hex'),
      timeMs: Math.round(timeMs),
      prevSize: this.lastHeadSize,
      consistency: this.log.consistencyProof(this.lastHeadSize, size).map((h) => h.toString('hex')),
      final,
    };
    this.heads++;
    this.lastHeadSize = size;
    if (final) this.closed = true;
    return canonicalJson(signHead(unsigned, this.signer));
  }

  /** RFC 9162 inclusion proof of entry `index` in the tree of `size` (hex), for publication. */
  inclusionProof(index: number, size = this.log.size): string[] {
    return this.log.inclusionProof(index, size).map((h) => h.toString('hex'));
  }
}
