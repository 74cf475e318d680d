import { access, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  DEFAULT_LEDGER_POLICY,
  headVerifierFromPublicKeyFile,
  type LedgerVerdict,
  verdictLine,
  verifyLedger,
} from '../ledger/index.js';
import { formatNumber } from './format-number.js';
import { htmlTable } from './html-table.js';
import { escapeHtml } from './html-text.js';

/** The run's decision ledger as the report shows it: verified, or why it could not be. */
export type ReportLedger =
  { readonly file: string; readonly verdict: LedgerVerdict } | { readonly file: string; readonly error: string };

/**
 * Find and verify the ledger beside a run file (`X.run` → `X.ledger`) with the node public key
 * in `keys/` beside it (strict default policy). Undefined when the run has no ledger; a ledger
 * that cannot be checked (no public key, not a ledger, another node's) is shown with why.
 */
export async function readReportLedger(runFile: string): Promise<ReportLedger | undefined> {
  const file = (runFile.endsWith('.run') ? runFile.slice(0, -'.run'.length) : runFile) + '.ledger';
  try {
    await access(file);
  } catch {
    return undefined;
  }
  try {
    const text = await readFile(file, 'utf8');
    const nodeId = (JSON.parse(text.slice(0, text.indexOf('\n'))) as { nodeId?: unknown }).nodeId;
    const keysDir = join(dirname(runFile), 'keys');
    const pubFile = join(keysDir, `${String(nodeId)}.node.pub.json`);
    if (!(await readdir(keysDir).catch(() => [] as string[])).includes(`${String(nodeId)}.node.pub.json`)) {
      return { file, error: `no public key ${pubFile} to verify it with` };
    }
    const key = headVerifierFromPublicKeyFile(await readFile(pubFile, 'utf8'), pubFile);
    return { file, verdict: verifyLedger(text, key, DEFAULT_LEDGER_POLICY) };
  } catch (error) {
    return { file, error: error instanceof Error ? error.message : String(error) };
  }
}

/** The report card: the ledger head, its verification state and each FIRE's justification. */
export function ledgerSection(ledger: ReportLedger | undefined): string {
  if (ledger === undefined) return '';
  if ('error' in ledger) {
    return `<section class="card"><h2>Decision ledger</h2><p class="fail">${escapeHtml(ledger.file)}: not verified — ${escapeHtml(ledger.error)}</p></section>`;
  }
  const v = ledger.verdict;
  const head =
    v.head === null
      ? 'no valid signed head'
      : `head ${v.head.n}: ${v.head.size} entries, root <code>${escapeHtml(v.head.root)}</code>, signed by key ${escapeHtml(v.keyId)}`;
  const problems = [
    ...v.integrity.problems.map((p) => `line ${p.line}: ${p.rule}: ${p.message}`),
    ...v.compliance.violations.map((x) => `${x.rule}: ${x.message}`),
  ];
  const fires = htmlTable({
    headers: [
      { text: 't (s)', className: 'num' },
      'engagement',
      'track',
      'launcher',
      'rule',
      'IFF',
      'recomputed impact',
      { text: 'range rate (m/s)', className: 'num' },
      'verdict',
    ],
    rows: v.compliance.fires.map((f) => [
      { text: formatNumber(f.atUs / 1e6, 7), className: 'num' },
      String(f.engagementId),
      String(f.trackId),
      f.launcherId,
      f.rule ?? '—',
      f.iff ?? '—',
      f.impact === null
        ? 'none'
        : `${(f.impact.eastM / 1000).toFixed(1)} km E, ${(f.impact.northM / 1000).toFixed(1)} km N (${f.impact.assetId ?? 'no asset'})`,
      { text: f.rangeRateMps === null ? '—' : f.rangeRateMps.toFixed(0), className: 'num' },
      {
        text: f.violations.length === 0 ? 'compliant' : f.violations.join(', '),
        className: f.violations.length === 0 ? '' : 'warn',
      },
    ]),
    empty: 'no FIRE',
  });
  return [
    `<section class="card"><h2>Decision ledger</h2>`,
    `<p class="${v.pass ? 'pass' : 'fail'}"><strong>${escapeHtml(verdictLine(v))}</strong></p>`,
    `<p>${head}. Verified with the node's public key and the strict default policy (FIRE only at hostiles, inbound, impacting a declared asset); <code>shieldlink verify</code> checks a partner's own policy.</p>`,
    problems.length === 0
      ? ''
      : `<ul>${problems
          .slice(0, 50)
          .map((p) => `<li>${escapeHtml(p)}</li>`)
          .join('')}</ul>`,
    `<details><summary>Each FIRE's justification (${v.compliance.fires.length})</summary><div class="scroll">${fires}</div></details>`,
    `</section>`,
  ].join('');
}
