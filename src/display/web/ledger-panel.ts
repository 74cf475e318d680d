import type { EngagementJustification, LedgerWatchSnapshot } from '../ledger-watch.js';
import { el } from './element.js';

/** How often the panel asks the display server for the ledger's state, ms. */
const POLL_MS = 1000;

const seconds = (us: number): string => (us / 1e6).toFixed(1);
const km = (m: number): string => `${(m / 1000).toFixed(1)} km`;

/** The one-word verdict and its colour class: a violation is never softened. */
export function ledgerVerdict(s: LedgerWatchSnapshot): { word: string; className: string } {
  if (s.problemCount > 0 || s.violationCount > 0) return { word: 'VIOLATION', className: 'bad' };
  if (s.state === 'no-key') return { word: 'NOT VERIFIED', className: 'warn' };
  if (s.state === 'cannot-judge') return { word: 'CANNOT JUDGE', className: 'warn' };
  if (s.state === 'waiting' || s.head === null) return { word: 'WAITING', className: 'warn' };
  if (!s.head.verified) return { word: 'VIOLATION', className: 'bad' };
  if (s.joinedLate !== null || !s.complianceJudged) return { word: 'VERIFIED SINCE JOINING', className: 'warn' };
  return { word: 'VERIFIED', className: 'ok' };
}

/**
 * The decision ledger card (`#ledger`): the last signed head (size, root, signed time, key id),
 * the verification state as the display server found it (ledger-watch.ts: signatures, roots,
 * consistency, each FIRE against the strict default policy), every finding in red with its rule,
 * and each engagement's justification. Polls `/ledger.json` once a second on the animation clock.
 */
export class LedgerPanel {
  private lastPollMs = -Infinity;
  private busy = false;
  /** The last state shown (for tests: `window.__display.ledger`). */
  snapshot: LedgerWatchSnapshot | null = null;

  constructor(private readonly root: HTMLElement) {}

  /** Start polling (its own animation-frame loop). */
  start(): void {
    const frame = (nowMs: number): void => {
      if (!this.busy && nowMs - this.lastPollMs >= POLL_MS) {
        this.lastPollMs = nowMs;
        this.busy = true;
        void this.poll().finally(() => (this.busy = false));
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  private async poll(): Promise<void> {
    try {
      const res = await fetch('/ledger.json', { cache: 'no-store' });
      if (!res.ok) return this.unreachable(`HTTP ${res.status}`);
      this.snapshot = (await res.json()) as LedgerWatchSnapshot;
      this.render(this.snapshot);
    } catch (error) {
      this.unreachable(String(error));
    }
  }

  private unreachable(why: string): void {
    this.root.replaceChildren(el('div', 'ledger-verdict warn', `NOT VERIFIED · display server unreachable (${why})`));
  }

  render(s: LedgerWatchSnapshot): void {
    const verdict = ledgerVerdict(s);
    const facts =
      s.state === 'no-key'
        ? 'the display has no node public key (shieldlink display --node-key FILE)'
        : `${s.entries} entries · ${s.fires} FIRE${s.fires === 1 ? '' : 's'} · ${s.problemCount} integrity problem(s) · ${s.violationCount} policy violation(s)${s.closed ? ' · closed (final head)' : ''}`;
    const children: (Node | null)[] = [
      el('div', `ledger-verdict ${verdict.className}`, verdict.word, el('span', 'sub', ` ${facts}`)),
      this.head(s),
    ];
    if (s.head !== null && s.entries > s.head.size)
      children.push(el('div', 'muted small', `${s.entries - s.head.size} entries await the next signed head`));
    if (s.joinedLate !== null) children.push(el('div', 'ledger-note warn', `joined late: ${s.joinedLate}`));
    if (s.state === 'verifying' && !s.complianceJudged)
      children.push(
        el('div', 'ledger-note warn', 'FIREs not judged: the node config entry was not seen (joined late)'),
      );
    if (s.unverifiedLines > 0)
      children.push(
        el(
          'div',
          'ledger-note bad',
          `${s.unverifiedLines} lines not verified: the display fell behind the feed and stopped checking (verify the ledger file with shieldlink verify)`,
        ),
      );
    else if (s.queuedLines > 0)
      children.push(el('div', 'muted small', `${s.queuedLines} lines waiting to be verified`));
    if (s.droppedLines > 0)
      children.push(el('div', 'ledger-note bad', `${s.droppedLines} lines dropped before the node key was known`));
    const omitted = s.problemCount + s.violationCount - s.findings.length;
    if (s.findings.length > 0) {
      children.push(
        el(
          'ul',
          'ledger-findings',
          ...s.findings.map((f) => el('li', 'bad', el('b', '', f.rule), ` ${f.message}`)),
          omitted > 0 ? el('li', 'bad', `… and ${omitted} more`) : null,
        ),
      );
    }
    children.push(this.table(s.engagements, s.engagementsOmitted));
    children.push(
      el('div', 'muted small', `checked against ${s.partner}'s strict default policy · source: ${s.source}`),
    );
    this.root.replaceChildren(...children.filter((c): c is Node => c !== null));
  }

  private head(s: LedgerWatchSnapshot): HTMLElement {
    const h = s.head;
    if (h === null) return el('div', 'ledger-head muted', s.state === 'no-key' ? '' : 'no signed head yet');
    const signed = Number.isFinite(h.timeMs) ? new Date(h.timeMs).toISOString().replace('.000Z', 'Z') : '?';
    return el(
      'div',
      `ledger-head ${h.verified ? '' : 'bad'}`,
      el('span', 'k', 'head '),
      el('b', '', `${h.n}`),
      el('span', 'k', ' size '),
      el('b', 'ledger-size', `${h.size}`),
      el('span', 'k', ' root '),
      el('code', 'ledger-root', `${h.root.slice(0, 16)}…`),
      el('span', 'k', ' signed '),
      el('span', '', signed),
      el('span', 'k', ' key '),
      el('code', '', h.keyId),
      h.final ? el('span', 'k', ' (final)') : null,
      h.verified ? null : el('b', 'bad', ' NOT VERIFIED'),
    );
  }

  /** One block per engagement (violations first, then newest): the decision, the threat, the launcher, the FIRE and its verdict. */
  private table(rows: readonly EngagementJustification[], omitted: number): HTMLElement {
    if (rows.length === 0) return el('div', 'muted small', 'no engagement decided yet');
    // Engagements that broke a rule first, then the newest.
    const ordered = [...rows].sort((a, b) => Number(b.violations.length > 0) - Number(a.violations.length > 0));
    const blocks = ordered.map((r) => {
      const threat = r.track === null ? 'no track state' : `${r.track.iff}, ${km(r.track.rangeM)} from ${r.launcherId}`;
      const impact =
        r.fire === null
          ? `node claims impact in ${r.claimedAssetId ?? 'no asset'}`
          : !r.fire.judged
            ? 'not judged (the node config was not seen)'
            : r.fire.impact === null
              ? 'recomputed impact: none'
              : `impact ${km(r.fire.impact.eastM)} E ${km(r.fire.impact.northM)} N in ${r.fire.impact.assetId ?? 'no asset'}`;
      const closing =
        r.fire?.rangeRateMps === undefined || r.fire.rangeRateMps === null
          ? ''
          : `, ${r.fire.rangeRateMps < 0 ? 'closing' : 'opening'} ${Math.abs(r.fire.rangeRateMps).toFixed(0)} m/s`;
      const verdict =
        r.violations.length > 0
          ? el('span', 'verdict bad', r.violations.map((v) => v.rule).join(', '))
          : r.fire === null || !r.fire.judged
            ? el('span', 'verdict warn', r.fire === null ? 'no FIRE' : 'not judged')
            : el('span', 'verdict ok', 'compliant');
      verdict.title = r.violations.map((v) => v.message).join('\n');
      const field = (name: string, label: string, text: string): HTMLElement =>
        el('div', name, el('span', 'k', `${label} `), el('span', 'v', text));
      return el(
        'div',
        `ledger-eng${r.violations.length > 0 ? ' violation' : ''}`,
        el(
          'div',
          'title',
          el('b', '', `engagement ${r.engagementId}`),
          ` · track ${r.trackId} · `,
          el(
            'span',
            'fire',
            r.fire === null
              ? 'no FIRE'
              : `FIRE t ${seconds(r.fire.atUs)} s${r.outcome === null ? '' : ` · ${r.outcome}`}`,
          ),
          ' ',
          verdict,
        ),
        field('threat', 'threat', `${threat}; ${impact}${closing}`),
        field('rule', 'rule', `${r.rule} (${r.transition}, weapons ${r.weaponsControlStatus})`),
        field(
          'launcher',
          'launcher',
          `${r.launcherId}: launch t ${seconds(r.launchAtHostUs)} s, intercept t ${seconds(r.interceptAtHostUs)} s`,
        ),
      );
    });
    return el(
      'div',
      'ledger-engagements',
      ...blocks,
      omitted > 0 ? el('div', 'muted small', `${omitted} older engagements not listed`) : null,
    );
  }
}
