import { checkCompliance, type ComplianceResult } from './check-compliance.js';
import type { ConfigEntry } from './ledger-entry.js';
import type { LedgerPolicy } from './ledger-policy.js';
import { checkOwnEyes, type OwnEyesInput, type OwnEyesResult, ownEyesResult } from './own-eyes.js';
import type { HeadVerifier } from './tree-head.js';
import { type LedgerIntegrity, verifyLedgerBytes, verifyLedgerText } from './verify-ledger.js';

/** Everything `shieldlink verify` says about one ledger (also its `--json` output). */
export interface LedgerVerdict {
  readonly pass: boolean;
  readonly nodeId: string;
  readonly keyId: string;
  readonly partner: string;
  readonly entries: number;
  readonly heads: number;
  readonly head: { readonly n: number; readonly size: number; readonly root: string; readonly timeMs: number } | null;
  readonly closed: boolean;
  readonly integrity: Pick<LedgerIntegrity, 'problems' | 'problemsOmitted'> & { readonly ok: boolean };
  readonly compliance: ComplianceResult & { readonly ok: boolean };
  /**
   * The partner's own radar on each FIRE (`--own-radar`), or null when not asked. `unjudged`
   * says why no FIRE could be judged at all (the ledger declares no site or epoch): a failure.
   */
  readonly ownEyes: (OwnEyesResult & { readonly unjudged: string | null }) | null;
}

/**
 * How a partner's radar is brought to a ledger: given the node's config entry (its declared site
 * and clock epoch), the input of {@link checkOwnEyes}, or a string saying why it cannot be.
 */
export type OwnEyesSource = (config: ConfigEntry | null) => OwnEyesInput | string;

/**
 * Integrity, then compliance. Compliance is judged on the entries as read even when integrity
 * fails (so a partner sees both), but such a ledger never passes. Throws LedgerFileError for a
 * file that is not this node's ledger. `ledger` is the file's text or, cheaper, its bytes as read
 * (see verifyLedgerBytes).
 */
export function verifyLedger(
  ledger: string | Uint8Array,
  key: HeadVerifier,
  policy: LedgerPolicy,
  ownEyesSource?: OwnEyesSource,
): LedgerVerdict {
  const integrity = typeof ledger === 'string' ? verifyLedgerText(ledger, key) : verifyLedgerBytes(ledger, key);
  const compliance = checkCompliance(integrity.entries, policy);
  const integrityOk = integrity.problems.length === 0;
  const complianceOk = compliance.violations.length === 0;
  let ownEyes: LedgerVerdict['ownEyes'] = null;
  if (ownEyesSource !== undefined) {
    const first = integrity.entries[0]?.entry;
    const input = ownEyesSource(first?.type === 'config' ? first : null);
    if (typeof input === 'string') {
      ownEyes = { ...ownEyesResult([]), ok: false, unjudged: input };
    } else ownEyes = { ...checkOwnEyes(integrity.entries, input), unjudged: null };
  }
  const h = integrity.lastValidHead;
  return {
    pass: integrityOk && complianceOk && (ownEyes?.ok ?? true),
    nodeId: integrity.nodeId,
    keyId: integrity.keyId,
    partner: policy.partner,
    entries: integrity.entries.length,
    heads: integrity.heads,
    head: h === null ? null : { n: h.n, size: h.size, root: h.root, timeMs: h.timeMs },
    closed: integrity.closed,
    integrity: { ok: integrityOk, problems: integrity.problems, problemsOmitted: integrity.problemsOmitted },
    compliance: { ...compliance, ok: complianceOk },
    ownEyes,
  };
}

/** The one-line verdict: `ledger PASS: node n1, 812 entries, 97 heads, 14 FIREs compliant (head 96 root ab12…)`. */
export function verdictLine(v: LedgerVerdict): string {
  const head =
    v.head === null ? 'no valid head' : `head ${v.head.n} size ${v.head.size} root ${v.head.root.slice(0, 16)}…`;
  const facts = `node ${v.nodeId}, ${v.entries} entries, ${v.heads} heads, ${v.compliance.fires.length} FIREs; ${head}`;
  const eyes = v.ownEyes === null ? '' : `; own radar: ${ownEyesSummary(v.ownEyes)}`;
  if (v.pass) return `ledger PASS: ${facts}; integrity intact, every FIRE compliant with ${v.partner}'s policy${eyes}`;
  const why: string[] = [];
  const integrityCount = v.integrity.problems.length + v.integrity.problemsOmitted;
  if (integrityCount > 0) why.push(`${integrityCount} integrity problem(s) (first: ${v.integrity.problems[0]!.rule})`);
  if (!v.compliance.ok) {
    const rules = [...new Set(v.compliance.violations.map((x) => x.rule))];
    why.push(`${v.compliance.violations.length} policy violation(s): ${rules.join(', ')}`);
  }
  if (v.ownEyes !== null && !v.ownEyes.ok) why.push(`own radar disagrees: ${ownEyesSummary(v.ownEyes)}`);
  return `ledger FAIL: ${facts}; ${why.join('; ')}`;
}

/** `2 confirmed, 1 elsewhere, 1 out-of-coverage` (verdicts with a count), or why nothing was judged. */
export function ownEyesSummary(e: NonNullable<LedgerVerdict['ownEyes']>): string {
  if (e.unjudged !== null) return `cannot judge: ${e.unjudged}`;
  const parts = Object.entries(e.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length === 0 ? 'no FIRE to judge' : parts.join(', ');
}
