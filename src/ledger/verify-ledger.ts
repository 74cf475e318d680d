import { isUtf8 } from 'node:buffer';
import { canonicalJson } from '../common/canonical-json.js';
import { CANONICAL, canonicalLineVerdict, UNDECIDED } from './canonical-line.js';
import { asciiText } from './canonical-number.js';
import { scanEntryLine } from './entry-line-scan.js';
import { LedgerFileError } from './ledger-error.js';
import type { LedgerEntry } from './ledger-entry.js';
import { leafDigestInPlace, MerkleFrontier, verifyConsistency } from './merkle.js';
import {
  type HeadVerifier,
  headSigningBytes,
  headSigningBytesOfLine,
  LEDGER_FORMAT,
  type TreeHead,
} from './tree-head.js';

/** Why a ledger fails integrity. */
export type IntegrityRule =
  | 'malformed-line'
  | 'not-canonical'
  | 'unknown-line'
  | 'entry-out-of-order'
  | 'head-missing'
  | 'head-foreign-key'
  | 'bad-signature'
  | 'head-size-mismatch'
  | 'root-mismatch'
  | 'head-gap'
  | 'consistency-failed'
  | 'time-backwards'
  | 'after-final'
  | 'truncated'
  | 'not-closed';

/** One integrity finding, naming the 1-based line. */
export interface IntegrityProblem {
  readonly rule: IntegrityRule;
  readonly line: number;
  readonly message: string;
}

/**
 * An entry read from the file with the line it came from. `entry` may be parsed each time it is
 * read (a new object each time: read it once where it is needed): `type` and `engagementId`,
 * when given, are the entry's own (read without parsing it), so a reader that needs only those
 * should prefer them.
 */
export interface ReadEntry {
  readonly index: number;
  readonly line: number;
  readonly entry: LedgerEntry;
  readonly type?: string;
  readonly engagementId?: number | undefined;
}

/** The type of a read entry (without parsing it when known). */
export function entryType(r: ReadEntry): string {
  return r.type ?? r.entry.type;
}

/**
 * A canonical entry line whose entry is parsed each time it is read (most entries never are). It
 * holds the whole file's bytes and where the entry lies in them (ASCII), not a string of its own.
 */
class LazyEntry implements ReadEntry {
  constructor(
    readonly index: number,
    readonly line: number,
    readonly type: string,
    readonly engagementId: number | undefined,
    private readonly bytes: Buffer,
    private readonly entryFrom: number,
    private readonly entryTo: number,
  ) {}

  get entry(): LedgerEntry {
    // The scan proved these bytes valid JSON of printable ASCII: the parse cannot throw. Not kept:
    // a reader reads an entry about once, and 100,000 kept parses cost more in GC than re-parsing.
    return JSON.parse(asciiText(this.bytes, this.entryFrom, this.entryTo)) as LedgerEntry;
  }
}

/** What {@link verifyLedgerText} found. */
export interface LedgerIntegrity {
  readonly nodeId: string;
  readonly keyId: string;
  readonly entries: readonly ReadEntry[];
  readonly heads: number;
  /** The last head whose signature, root and consistency all checked, or null. */
  readonly lastValidHead: TreeHead | null;
  readonly closed: boolean;
  readonly problems: readonly IntegrityProblem[];
  /** Findings beyond this many are counted, not listed. */
  readonly problemsOmitted: number;
}

/** Findings kept per verification (the rest are counted). */
export const MAX_LISTED_PROBLEMS = 100;

/**
 * Integrity of a ledger file (docs/recording.md §The decision ledger) under the node's public
 * key: every line canonical JSON; entries numbered 0, 1, 2, … in order; heads numbered without
 * gaps, each signed by the key, each covering exactly the entries before it (its root recomputed
 * with RFC 9162 hashing), each consistent with the previous one (its RFC 9162 consistency proof
 * verified), time never going back; a final head last. Any change, removal, reordering,
 * insertion, fork or withheld entry breaks one of these. Throws {@link LedgerFileError} only when
 * line 1 is not a ledger header or names another node or key; everything else is a finding.
 * Linear time; holds the parsed entries and the tree's right edge (at most 64 hashes).
 *
 * This is {@link verifyLedgerBytes} of the text's UTF-8 (what a file of it holds; a lone
 * surrogate becomes U+FFFD, as in any file written from such a string).
 */
export function verifyLedgerText(text: string, key: HeadVerifier): LedgerIntegrity {
  return verifyLedgerBytes(Buffer.from(text, 'utf8'), key);
}

/**
 * {@link verifyLedgerText} of a ledger file's bytes as read (no decoding of the whole file): the
 * leaf hashed is each line's bytes exactly as they are in the file. A line that is not valid
 * UTF-8 is a `malformed-line` finding (canonical JSON is UTF-8). `bytes` is as it was when this
 * returns (each line is hashed in place, the byte before it lent as the leaf prefix for the
 * moment of the hash: do not share it with another thread meanwhile); the entries read keep a
 * reference to it.
 */
export function verifyLedgerBytes(bytes: Uint8Array, key: HeadVerifier): LedgerIntegrity {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = buf.length;
  // Lines are found one at a time (no array of every line).
  const firstEnd = buf.indexOf(NEWLINE);
  const first = buf.toString('utf8', 0, firstEnd < 0 ? size : firstEnd);
  let header: unknown;
  try {
    header = JSON.parse(first);
  } catch {
    throw new LedgerFileError('not-a-ledger', 'not a ledger: line 1 is not JSON');
  }
  const h = header as Record<string, unknown> | null;
  if (typeof h !== 'object' || h === null || h['kind'] !== 'ledger' || h['format'] !== LEDGER_FORMAT) {
    throw new LedgerFileError('not-a-ledger', `not a ledger: line 1 is not a ${LEDGER_FORMAT} header`);
  }
  if (h['nodeId'] !== key.nodeId || h['keyId'] !== key.keyId) {
    throw new LedgerFileError(
      'wrong-node',
      `ledger of node '${String(h['nodeId'])}' (key ${String(h['keyId'])}), not of node '${key.nodeId}' (key ${key.keyId})`,
    );
  }
  const problems: IntegrityProblem[] = [];
  let omitted = 0;
  const problem = (rule: IntegrityRule, line: number, message: string): void => {
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push({ rule, line, message });
    else omitted++;
  };
  const log = new MerkleFrontier();
  const entries: ReadEntry[] = [];
  let heads = 0;
  let lastValidHead: TreeHead | null = null;
  let prev = { size: 0, root: log.root(), timeMs: -Infinity };
  let closed = false;
  const lastFrom = buf.lastIndexOf(NEWLINE) + 1; // where the bytes after the last newline start
  const lineCount = (): number => {
    let n = 1;
    for (let at = buf.indexOf(NEWLINE); at >= 0; at = buf.indexOf(NEWLINE, at + 1)) n++;
    return n;
  };
  if (lastFrom !== size) problem('truncated', lineCount(), 'the last line is cut short (no newline)');
  let lineNo = 1;
  // Every line between the first and the bytes after the last newline: [lineFrom, lineTo).
  for (let lineFrom = firstEnd + 1, lineTo = 0; lineFrom < lastFrom; lineFrom = lineTo + 1) {
    lineTo = buf.indexOf(NEWLINE, lineFrom);
    lineNo++;
    if (closed) {
      problem('after-final', lineNo, 'a line after the final head');
      closed = false;
    }
    // Fast path: a canonical entry line is numbered and hashed from the scan, its entry parsed
    // only if someone reads it. Any other line (or one the scan does not decide) goes the full way.
    const fields = scanEntryLine(buf, lineFrom, lineTo);
    if (fields !== null) {
      if (fields.i !== log.size) {
        problem('entry-out-of-order', lineNo, `entry numbered ${String(fields.i)} where ${log.size} was due`);
      }
      log.appendLeafDigest(leafDigestOf(buf, lineFrom, lineTo));
      const entryFrom = lineFrom + fields.entryFrom;
      const entryTo = lineFrom + fields.entryTo;
      entries.push(new LazyEntry(log.size - 1, lineNo, fields.type, fields.engagementId, buf, entryFrom, entryTo));
      continue;
    }
    if (!isUtf8(buf.subarray(lineFrom, lineTo))) {
      problem('malformed-line', lineNo, 'not UTF-8');
      continue;
    }
    const line = buf.toString('utf8', lineFrom, lineTo);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problem('malformed-line', lineNo, 'not JSON');
      continue;
    }
    const record = value as Record<string, unknown> | null;
    const canonical = isCanonical(value, line, buf, lineFrom, lineTo);
    if (!canonical) problem('not-canonical', lineNo, 'not in canonical JSON form');
    if (typeof record !== 'object' || record === null) {
      problem('unknown-line', lineNo, 'not an entry or a head');
      continue;
    }
    if (record['kind'] === 'entry') {
      if (record['i'] !== log.size) {
        problem('entry-out-of-order', lineNo, `entry numbered ${String(record['i'])} where ${log.size} was due`);
      }
      log.appendLeafDigest(leafDigestOf(buf, lineFrom, lineTo));
      const e = record['e'];
      if (typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string') {
        entries.push({ index: log.size - 1, line: lineNo, entry: e as LedgerEntry });
      } else problem('unknown-line', lineNo, 'an entry without a type');
    } else if (record['kind'] === 'head') {
      const head = record as unknown as TreeHead;
      if (head.n !== heads) problem('head-missing', lineNo, `head ${String(head.n)} where head ${heads} was due`);
      heads = (typeof head.n === 'number' ? head.n : heads) + 1;
      let ok = true;
      const fail = (rule: IntegrityRule, message: string): void => {
        ok = false;
        problem(rule, lineNo, message);
      };
      if (head.nodeId !== key.nodeId || head.keyId !== key.keyId)
        fail('head-foreign-key', 'head of another node or key');
      else if (typeof head.sig !== 'string' || !safeVerify(key, head, canonical ? line : undefined))
        fail('bad-signature', 'head signature does not verify');
      if (head.size !== log.size)
        fail('head-size-mismatch', `head covers ${String(head.size)} entries, ${log.size} precede it`);
      const rootHash = Buffer.from(log.rootDigest(), 'latin1');
      const root = rootHash.toString('hex');
      if (head.root !== root)
        fail('root-mismatch', `head root ${String(head.root).slice(0, 16)}… ≠ recomputed ${root.slice(0, 16)}…`);
      if (head.prevSize !== prev.size)
        fail('head-gap', `head follows size ${String(head.prevSize)}, previous head had ${prev.size}`);
      if (!checkConsistency(prev.size, prev.root, head))
        fail('consistency-failed', 'consistency proof from the previous head does not verify');
      if (typeof head.timeMs !== 'number' || head.timeMs < prev.timeMs)
        fail('time-backwards', 'head time before the previous head');
      if (ok) lastValidHead = head;
      prev = { size: log.size, root: rootHash, timeMs: typeof head.timeMs === 'number' ? head.timeMs : prev.timeMs };
      closed = head.final === true;
    } else {
      problem('unknown-line', lineNo, `unknown line kind ${JSON.stringify(record['kind'])}`);
    }
  }
  if (!closed)
    problem(
      'not-closed',
      firstEnd < 0 ? 1 : lineNo + 1,
      'no final head: the ledger was cut short or entries follow the last head',
    );
  return {
    nodeId: key.nodeId,
    keyId: key.keyId,
    entries,
    heads,
    lastValidHead,
    closed,
    problems,
    problemsOmitted: omitted,
  };
}

const NEWLINE = 0x0a;

/**
 * The RFC 9162 leaf hash of the line `buf[from, to)` as a digest string, hashed where it lies: the
 * byte before it (the previous line's newline) is the 0x00 leaf prefix while it is hashed, then
 * put back. No copy and no Buffer per line; `buf` is as it was when this returns.
 */
function leafDigestOf(buf: Buffer, from: number, to: number): string {
  const before = buf[from - 1]!;
  const digest = leafDigestInPlace(buf, from, to);
  buf[from - 1] = before;
  return digest;
}

/**
 * Does the head's signature verify under the key? Never throws. `canonicalLine`, when given, is
 * the head's line, already found canonical: its signed bytes are then cut from it (cheaper than
 * serializing the head again, and the same bytes; see headSigningBytesOfLine).
 */
export function safeVerify(key: HeadVerifier, head: TreeHead, canonicalLine?: string): boolean {
  try {
    const signed =
      (canonicalLine === undefined ? null : headSigningBytesOfLine(canonicalLine, head)) ?? headSigningBytes(head);
    return key.verifyBytes(signed, head.sig);
  } catch {
    return false;
  }
}

export function checkConsistency(prevSize: number, prevRoot: Buffer, head: TreeHead): boolean {
  if (!Array.isArray(head.consistency) || typeof head.root !== 'string' || typeof head.size !== 'number') return false;
  if (!head.consistency.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) return false;
  if (!/^[0-9a-f]{64}$/.test(head.root)) return false;
  return verifyConsistency(
    prevSize,
    head.size,
    prevRoot,
    Buffer.from(head.root, 'hex'),
    head.consistency.map((h) => Buffer.from(h, 'hex')),
  );
}

/**
 * Is `line` the canonical JSON of `value` (its parse)? `utf8[from, to)` are the line's UTF-8 bytes. Decided from the line alone in one pass
 * where it can be (src/ledger/canonical-line.ts: no whitespace, keys ascending, numbers as
 * canonical JSON writes them); for a line with string escapes or surrogates: `JSON.stringify`
 * gives the line back (so members are in the line's order and every number and string is written
 * as canonical JSON writes it) and every object's members are sorted; otherwise the full
 * canonical form.
 */
export function isCanonical(
  value: unknown,
  line: string,
  utf8: Uint8Array = Buffer.from(line, 'utf8'),
  from = 0,
  to = utf8.length,
): boolean {
  const verdict = canonicalLineVerdict(utf8, from, to);
  if (verdict !== UNDECIDED) return verdict === CANONICAL;
  if (JSON.stringify(value) === line && keysSorted(value)) return true;
  try {
    return canonicalJson(value, 'finite') === line;
  } catch {
    return false;
  }
}

/** Every object's members (of a JSON.parse result: own, plain data) in strictly ascending key order. */
function keysSorted(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) if (!keysSorted(item)) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  let prev: string | null = null;
  // for…in, not Object.keys: no array per object (a parsed object has no inherited enumerable members)
  for (const key in record) {
    if (prev !== null && prev >= key) return false;
    prev = key;
    const member = record[key];
    if (typeof member === 'object' && member !== null && !keysSorted(member)) return false;
  }
  return true;
}
