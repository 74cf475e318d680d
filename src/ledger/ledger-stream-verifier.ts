import { checkCompliance, type ComplianceViolation } from './check-compliance.js';
import type { EngagementDecisionEntry, LedgerEntry } from './ledger-entry.js';
import type { LedgerPolicy } from './ledger-policy.js';
import { EMPTY_ROOT, leafHash, MerkleFrontier } from './merkle.js';
import { type HeadVerifier, LEDGER_FORMAT, type TreeHead } from './tree-head.js';
import {
  checkConsistency,
  type IntegrityProblem,
  type IntegrityRule,
  isCanonical,
  type ReadEntry,
  safeVerify,
} from './verify-ledger.js';

/** Engagements whose latest decision the live verifier remembers (oldest forgotten first). */
export const MAX_LIVE_ENGAGEMENTS = 10_000;

/** What the live verifier reports, as it happens. */
export type LiveFinding =
  | { readonly kind: 'integrity'; readonly problem: IntegrityProblem }
  | { readonly kind: 'compliance'; readonly violation: ComplianceViolation }
  | { readonly kind: 'head'; readonly head: TreeHead; readonly verified: boolean }
  | { readonly kind: 'joined-late'; readonly firstEntry: number; readonly message: string };

/**
 * The ledger checked line by line as a node publishes it (`shieldlink verify --live`), in bounded
 * memory: the Merkle tree is held as its right edge (a {@link MerkleFrontier}: at most 64 subtree
 * hashes, RFC 9162 roots are folded from it), the compliance state as the config and the latest
 * decision of at most {@link MAX_LIVE_ENGAGEMENTS} engagements. The rules are those of {@link verifyLedgerText}:
 * canonical lines, entries numbered without gaps, heads numbered, signed by the key, covering
 * exactly the entries before them, consistent with the previous head (its proof verified), time
 * never going back, nothing after a final head. A verifier that joins after entry 0 cannot
 * recompute roots: it says so once (`joined-late`) and from then on checks the heads' signatures,
 * numbering and consistency proofs between the heads it saw. Never throws on any input line.
 */
export class LedgerStreamVerifier {
  /** The tree's right edge (not fed once joined late: its roots cannot be recomputed). */
  private readonly frontier = new MerkleFrontier();
  private size = 0;
  private sawAny = false;
  private joinedLate = false;
  private nextHead: number | null = null;
  private prev: { size: number; root: Buffer; timeMs: number } | null = {
    size: 0,
    root: EMPTY_ROOT,
    timeMs: -Infinity,
  };
  private closedFlag = false;
  private lineNo = 0;
  private config: ReadEntry | null = null;
  private readonly decisions = new Map<number, ReadEntry>();
  private problemCount = 0;
  private violationCount = 0;
  private lastValid: TreeHead | null = null;
  private fires = 0;

  constructor(
    private readonly key: HeadVerifier,
    private readonly policy: LedgerPolicy,
    private readonly report: (finding: LiveFinding) => void,
  ) {}

  get entries(): number {
    return this.size;
  }
  get closed(): boolean {
    return this.closedFlag;
  }
  get problems(): number {
    return this.problemCount;
  }
  get violations(): number {
    return this.violationCount;
  }
  get firesSeen(): number {
    return this.fires;
  }
  get lastValidHead(): TreeHead | null {
    return this.lastValid;
  }

  /** One published line (a header, an entry or a head), in the order received. */
  line(text: string): void {
    this.lineNo++;
    const lineNo = this.lineNo;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.problem('malformed-line', lineNo, 'not JSON');
      return;
    }
    const record = value as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.problem('unknown-line', lineNo, 'not an entry or a head');
      return;
    }
    if (record['kind'] === 'ledger') {
      if (
        record['format'] !== LEDGER_FORMAT ||
        record['nodeId'] !== this.key.nodeId ||
        record['keyId'] !== this.key.keyId
      )
        this.problem('head-foreign-key', lineNo, 'a ledger header of another format, node or key');
      return;
    }
    const utf8 = Buffer.from(text, 'utf8');
    if (!isCanonical(value, text, utf8)) this.problem('not-canonical', lineNo, 'not in canonical JSON form');
    if (this.closedFlag) {
      this.problem('after-final', lineNo, 'a line after the final head');
      this.closedFlag = false;
    }
    if (record['kind'] === 'entry') this.entry(record, utf8, lineNo);
    else if (record['kind'] === 'head') this.head(record as unknown as TreeHead, lineNo);
    else this.problem('unknown-line', lineNo, `unknown line kind ${JSON.stringify(record['kind'])}`);
  }

  /** The stream ended (the broker connection closed, or the caller stopped): no final head is a problem. */
  end(): void {
    if (!this.closedFlag)
      this.problem('not-closed', this.lineNo + 1, 'no final head: the feed stopped before the ledger closed');
  }

  /** The first entry or head seen says whether the feed was joined after its start. */
  private maybeJoinedLate(firstEntry: unknown): void {
    if (this.sawAny) return;
    this.sawAny = true;
    if (typeof firstEntry !== 'number' || !Number.isSafeInteger(firstEntry) || firstEntry <= 0) return;
    this.joinedLate = true;
    this.size = firstEntry;
    this.prev = null;
    this.report({
      kind: 'joined-late',
      firstEntry,
      message: `joined at entry ${firstEntry}: roots cannot be recomputed; heads, signatures and consistency proofs are checked`,
    });
  }

  private entry(record: Record<string, unknown>, utf8: Buffer, lineNo: number): void {
    const i = record['i'];
    this.maybeJoinedLate(i);
    if (i !== this.size)
      this.problem('entry-out-of-order', lineNo, `entry numbered ${String(i)} where ${this.size} was due`);
    if (!this.joinedLate) this.frontier.appendLeafHash(leafHash(utf8));
    this.size++;
    const e = record['e'] as LedgerEntry | null;
    if (typeof e !== 'object' || e === null || typeof (e as { type?: unknown }).type !== 'string') {
      this.problem('unknown-line', lineNo, 'an entry without a type');
      return;
    }
    const read: ReadEntry = { index: this.size - 1, line: lineNo, entry: e };
    if (e.type === 'config' && this.config === null) this.config = read;
    else if (e.type === 'engagement-decision') {
      const id = (e as EngagementDecisionEntry).engagementId;
      this.decisions.delete(id);
      this.decisions.set(id, read);
      if (this.decisions.size > MAX_LIVE_ENGAGEMENTS) this.decisions.delete(this.decisions.keys().next().value!);
    } else if (e.type === 'fire') {
      this.fires++;
      const decision = this.decisions.get((e as { engagementId: number }).engagementId);
      const window = [this.config ?? read, ...(decision === undefined ? [] : [decision]), read];
      if (this.config === null) return; // joined after the config: compliance cannot be judged
      for (const violation of checkCompliance(window, this.policy).violations) {
        if (violation.entry !== read.index) continue; // config-level findings were reported at the config
        this.violationCount++;
        this.report({ kind: 'compliance', violation });
      }
    }
    if (e.type === 'config' && read === this.config) {
      for (const violation of checkCompliance([read], this.policy).violations) {
        this.violationCount++;
        this.report({ kind: 'compliance', violation });
      }
    }
  }

  private head(head: TreeHead, lineNo: number): void {
    if (!this.sawAny && typeof head.n === 'number' && head.n > 0) this.nextHead = head.n;
    this.maybeJoinedLate(head.size);
    if (this.nextHead !== null && head.n !== this.nextHead)
      this.problem('head-missing', lineNo, `head ${String(head.n)} where head ${this.nextHead} was due`);
    this.nextHead = (typeof head.n === 'number' ? head.n : (this.nextHead ?? 0)) + 1;
    let ok = true;
    const fail = (rule: IntegrityRule, message: string): void => {
      ok = false;
      this.problem(rule, lineNo, message);
    };
    if (head.nodeId !== this.key.nodeId || head.keyId !== this.key.keyId)
      fail('head-foreign-key', 'head of another node or key');
    else if (typeof head.sig !== 'string' || !safeVerify(this.key, head))
      fail('bad-signature', 'head signature does not verify');
    if (head.size !== this.size)
      fail('head-size-mismatch', `head covers ${String(head.size)} entries, ${this.size} precede it`);
    const recomputed = this.joinedLate ? null : this.frontier.root();
    if (recomputed !== null) {
      const root = recomputed.toString('hex');
      if (head.root !== root)
        fail('root-mismatch', `head root ${String(head.root).slice(0, 16)}… ≠ recomputed ${root.slice(0, 16)}…`);
    }
    if (this.prev !== null) {
      if (head.prevSize !== this.prev.size)
        fail('head-gap', `head follows size ${String(head.prevSize)}, previous head had ${this.prev.size}`);
      if (!checkConsistency(this.prev.size, this.prev.root, head))
        fail('consistency-failed', 'consistency proof from the previous head does not verify');
      if (typeof head.timeMs !== 'number' || head.timeMs < this.prev.timeMs)
        fail('time-backwards', 'head time before the previous head');
    }
    if (ok) this.lastValid = head;
    const claimed =
      typeof head.root === 'string' && /^[0-9a-f]{64}$/.test(head.root) ? Buffer.from(head.root, 'hex') : EMPTY_ROOT;
    this.prev = {
      size: typeof head.size === 'number' ? head.size : this.size,
      root: recomputed ?? claimed,
      timeMs: typeof head.timeMs === 'number' ? head.timeMs : (this.prev?.timeMs ?? -Infinity),
    };
    this.closedFlag = head.final === true;
    this.report({ kind: 'head', head, verified: ok });
  }

  private problem(rule: IntegrityRule, line: number, message: string): void {
    this.problemCount++;
    this.report({ kind: 'integrity', problem: { rule, line, message } });
  }
}
