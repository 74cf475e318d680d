import type { LedgerVerdict } from './ledger-verdict.js';
import { ownEyesSummary, verdictLine } from './ledger-verdict.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * A self-contained HTML page of a verdict (`shieldlink verify --html FILE`): the verdict line,
 * the head, every integrity problem, every policy violation and, for each FIRE, what justified it
 * (rule, IFF, recomputed impact and closing speed), and what the partner's own radar saw of each
 * FIRE when it was asked. No scripts, no external resources.
 */
export function ledgerHtml(v: LedgerVerdict): string {
  const rows = (cells: readonly string[][]): string =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  const fires = rows(
    v.compliance.fires.map((f) => [
      String(f.engagementId),
      String(f.trackId),
      f.launcherId,
      (f.atUs / 1e6).toFixed(2),
      f.rule ?? '—',
      f.iff ?? '—',
      f.impact === null
        ? 'none'
        : `${(f.impact.eastM / 1000).toFixed(1)} E, ${(f.impact.northM / 1000).toFixed(1)} N (${f.impact.assetId ?? 'no asset'})`,
      f.rangeRateMps === null ? '—' : f.rangeRateMps.toFixed(0),
      f.violations.length === 0 ? 'compliant' : f.violations.join(', '),
    ]),
  );
  const eyes = v.ownEyes;
  const eyesSection =
    eyes === null
      ? ''
      : `<h2>With the partner's own radar (${esc(ownEyesSummary(eyes))})</h2>
${
  eyes.fires.length === 0
    ? ''
    : `<table><tr><th>engagement</th><th>track</th><th>verdict</th><th>what</th></tr>${rows(
        eyes.fires.map((f) => [String(f.engagementId), String(f.trackId), f.verdict, f.message]),
      )}</table>`
}`;
  const problems = rows(v.integrity.problems.map((p) => [String(p.line), p.rule, p.message]));
  const violations = rows(v.compliance.violations.map((x) => [x.rule, x.entry < 0 ? '—' : String(x.entry), x.message]));
  const head =
    v.head === null
      ? 'none'
      : `head ${v.head.n}: ${v.head.size} entries, root ${v.head.root}, ${new Date(v.head.timeMs).toISOString()}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ledger verification: ${esc(v.nodeId)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}
.pass{color:#0a6b2d}.fail{color:#b00020}code{font-size:12px}</style></head><body>
<h1>Decision ledger of node ${esc(v.nodeId)}</h1>
<p class="${v.pass ? 'pass' : 'fail'}"><strong>${esc(verdictLine(v))}</strong></p>
<p>Key ${esc(v.keyId)}; policy of ${esc(v.partner)}; last verified ${esc(head)}; ${v.closed ? 'closed by a final head' : 'NOT closed'}.</p>
<h2>Integrity (${v.integrity.ok ? 'intact' : `${v.integrity.problems.length + v.integrity.problemsOmitted} problems`})</h2>
${v.integrity.ok ? '<p>Every signature, root and consistency proof verified.</p>' : `<table><tr><th>line</th><th>rule</th><th>what</th></tr>${problems}</table>`}
<h2>Policy (${v.compliance.ok ? 'compliant' : `${v.compliance.violations.length} violations`})</h2>
${v.compliance.ok ? '<p>No violation.</p>' : `<table><tr><th>rule</th><th>entry</th><th>what</th></tr>${violations}</table>`}
${eyesSection}
<h2>FIREs and their justification</h2>
<table><tr><th>engagement</th><th>track</th><th>launcher</th><th>t (s)</th><th>rule</th><th>IFF</th><th>recomputed impact (km)</th><th>range rate (m/s)</th><th>verdict</th></tr>
${fires}</table>
</body></html>
`;
}
