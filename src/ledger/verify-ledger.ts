import { canonicalJson } from '../common/canonical-json.js';
import { CANONICAL, canonicalLineVerdict, UNDECIDED } from './canonical-line.js';
import { scanEntryLine } from './entry-line-scan.js';
import { LedgerFileError } from './ledger-error.js';
import type { LedgerEntry } from './ledger-entry.js';
import { leafDigestInPlace, MerkleFrontier, verifyConsistency } from './merkle.js';
import { type HeadVerifier, headSigningBytes, LEDGER_FORMAT, type TreeHead } from './tree-head.js';

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
 * An entry read from the file with the line it came from. `entry` may be parsed only when first
 * read: `type` and `engagementId`, when given, are the entry's own (read without parsing it), so
 * a reader that needs only those should prefer them.
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
 * A canonical entry line whose entry is parsed when first read (most entries never are). It
 * holds the whole file's text and where the entry lies in it, not a string of its own.
 */
class LazyEntry implements ReadEntry {
  private parsed: LedgerEntry | undefined;

  constructor(
    readonly index: number,
    readonly line: number,
    readonly type: string,
    readonly engagementId: number | undefined,
    private readonly text: string,
    private readonly entryFrom: number,
    private readonly entryTo: number,
  ) {}

  get entry(): LedgerEntry {
    // The scan proved this slice valid JSON: the parse cannot throw.
    return (this.parsed ??= JSON.parse(this.text.slice(this.entryFrom, this.entryTo)) as LedgerEntry);
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
 */
export function verifyLedgerText(text: string, key: HeadVerifier): LedgerIntegrity {
  // Lines are found one at a time (no array of every line's string kept alive to the end).
  const firstEnd = text.indexOf('\n');
  const first = firstEnd < 0 ? text : text.slice(0, firstEnd);
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
  const lastFrom = text.lastIndexOf('\n') + 1; // where the text after the last newline starts
  const lineCount = (): number => {
    let n = 1;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++;
    return n;
  };
  if (lastFrom !== text.length) problem('truncated', lineCount(), 'the last line is cut short (no newline)');
  // Each line's UTF-8 goes to byte 1 on of one reused buffer, where it is checked and hashed in
  // place (byte 0 becomes the leaf prefix): no Buffer per line.
  let bytes = Buffer.allocUnsafe(64 * 1024);
  let lineNo = 1;
  // Every line between the first and the text after the last newline: [lineFrom, lineTo) of the text.
  for (let lineFrom = firstEnd + 1, lineTo = 0; lineFrom < lastFrom; lineFrom = lineTo + 1) {
    lineTo = text.indexOf('\n', lineFrom);
    lineNo++;
    const line = text.slice(lineFrom, lineTo);
    if (3 * line.length + 1 > bytes.length) bytes = Buffer.allocUnsafe(3 * line.length + 1);
    const start = 1;
    const end = start + bytes.write(line, start, 'utf8');
    if (closed) {
      problem('after-final', lineNo, 'a line after the final head');
      closed = false;
    }
    // Fast path: a canonical entry line is numbered and hashed from the scan, its entry parsed
    // only if someone reads it. Any other line (or one the scan does not decide) goes the full way.
    const fields = scanEntryLine(bytes, start, end, line);
    if (fields !== null) {
      if (fields.i !== log.size) {
        problem('entry-out-of-order', lineNo, `entry numbered ${String(fields.i)} where ${log.size} was due`);
      }
      log.appendLeafDigest(leafDigestInPlace(bytes, start, end));
      // The scanned line is ASCII: its byte offsets are char offsets.
      const entryFrom = lineFrom + fields.entryFrom;
      const entryTo = lineFrom + fields.entryTo;
      entries.push(new LazyEntry(log.size - 1, lineNo, fields.type, fields.engagementId, text, entryFrom, entryTo));
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problem('malformed-line', lineNo, 'not JSON');
      continue;
    }
    const record = value as Record<string, unknown> | null;
    if (!isCanonical(value, line, bytes, start, end)) problem('not-canonical', lineNo, 'not in canonical JSON form');
    if (typeof record !== 'object' || record === null) {
      problem('unknown-line', lineNo, 'not an entry or a head');
      continue;
    }
    if (record['kind'] === 'entry') {
      if (record['i'] !== log.size) {
        problem('entry-out-of-order', lineNo, `entry numbered ${String(record['i'])} where ${log.size} was due`);
      }
      log.appendLeafDigest(leafDigestInPlace(bytes, start, end));
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
      else if (typeof head.sig !== 'string' || !safeVerify(key, head))
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

export function safeVerify(key: HeadVerifier, head: TreeHead): boolean {
  try {
    return key.verifyBytes(headSigningBytes(head), head.sig);
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
  const verdict = canonicalLineVerdict(utf8, from, to, line);
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
