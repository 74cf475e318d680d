import { type EntryLineFields, scanEntryLine } from './entry-line-scan-before.js';
import { LedgerFileError } from '../../../src/ledger/ledger-error.js';
import type { LedgerEntry } from '../../../src/ledger/ledger-entry.js';
import { MerkleLog } from '../../../src/ledger/merkle.js';
import { LEDGER_FORMAT, type HeadVerifier, type TreeHead } from '../../../src/ledger/tree-head.js';
import {
  checkConsistency,
  type IntegrityProblem,
  type IntegrityRule,
  isCanonical,
  type LedgerIntegrity,
  MAX_LISTED_PROBLEMS,
  type ReadEntry,
  safeVerify,
} from '../../../src/ledger/verify-ledger.js';

/**
 * The file verifier as it was before its second round of speed work (decision 0040), kept as the
 * reference the faster one must agree with on every input: every line split out of the text
 * first, each entry keeping its own line, and the tree kept whole with Buffer hashes (MerkleLog,
 * leaf hashes of copied bytes) instead of the right edge of digest strings.
 */

/** A canonical entry line whose entry is parsed when first read (most entries never are). */
class LazyEntryBefore implements ReadEntry {
  private parsed: LedgerEntry | undefined;
  readonly type: string;
  readonly engagementId: number | undefined;

  constructor(
    readonly index: number,
    readonly line: number,
    private readonly text: string,
    private readonly fields: EntryLineFields,
  ) {
    this.type = fields.type;
    this.engagementId = fields.engagementId;
  }

  get entry(): LedgerEntry {
    // The scan proved this slice valid JSON: the parse cannot throw.
    return (this.parsed ??= JSON.parse(this.text.slice(this.fields.entryFrom, this.fields.entryTo)) as LedgerEntry);
  }
}

export function verifyLedgerTextBefore0040(text: string, key: HeadVerifier): LedgerIntegrity {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
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
  const log = new MerkleLog();
  const entries: ReadEntry[] = [];
  let heads = 0;
  let lastValidHead: TreeHead | null = null;
  let prev = { size: 0, root: log.root(), timeMs: -Infinity };
  let closed = false;
  const last = lines.length - 1;
  if (lines[last] !== '') problem('truncated', last + 1, 'the last line is cut short (no newline)');
  // Each line's UTF-8 goes to byte 1 on of one reused buffer, where it is checked and hashed in
  // place (byte 0 becomes the leaf prefix): no Buffer per line.
  let bytes = Buffer.allocUnsafe(64 * 1024);
  for (let i = 1; i < last; i++) {
    const lineNo = i + 1;
    const line = lines[i]!;
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
      log.append(bytes.subarray(start, end));
      entries.push(new LazyEntryBefore(log.size - 1, lineNo, line, fields));
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
      log.append(bytes.subarray(start, end));
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
      const rootHash = log.root();
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
    problem('not-closed', lines.length, 'no final head: the ledger was cut short or entries follow the last head');
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
