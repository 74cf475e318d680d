import type { OperatorCommandResultEvent } from '../control/index.js';
import type { AuditRecord } from '../record/run-file-format.js';
import { formatNumber } from './format-number.js';
import { htmlTable, type TableCell } from './html-table.js';

/** Most audit rows shown; a longer audit is cut with a note (the run file has all of it). */
export const MAX_AUDIT_ROWS = 1000;

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null ? (v as Loose) : {});
const text = (v: unknown): string =>
  v === undefined || v === null
    ? ''
    : typeof v === 'string'
      ? v
      : typeof v === 'number'
        ? String(v)
        : JSON.stringify(v);

/**
 * The operator command audit: every command as received (who, which key, authenticated) and
 * every outcome the command path reported, in order, with the core's own decision on the
 * request id where it made one. Audit entries are read structurally (the bridge owns their
 * schema), so an unknown entry kind still shows, as JSON.
 */
export function auditTable(audit: readonly AuditRecord[], coreResults: readonly OperatorCommandResultEvent[]): string {
  const decisions = new Map<string, OperatorCommandResultEvent>();
  for (const r of coreResults) if (!decisions.has(r.requestId)) decisions.set(r.requestId, r);
  const rows: TableCell[][] = audit.slice(0, MAX_AUDIT_ROWS).map((record) => {
    const e = obj(record.entry);
    const time = { text: formatNumber(record.nowUs / 1e6, 7), className: 'num' };
    if (e.kind === 'command') {
      const who = [text(e.operator), e.keyId !== undefined ? `key ${text(e.keyId)}` : ''].filter(Boolean).join(' · ');
      return [
        time,
        'command',
        { text: text(e.id), className: 'mono' },
        text(e.verb ?? e.topicVerb),
        who,
        { text: text(e.args), className: 'mono' },
        e.authenticated === false
          ? { text: 'not authenticated', className: 'fail' }
          : { text: 'authenticated', className: 'pass' },
      ];
    }
    if (e.kind === 'outcome') {
      const result = obj(e.result);
      const status = text(result.status);
      const decision = decisions.get(text(result.id));
      const detail = [
        text(result.detail),
        result.awaiting !== undefined ? `awaiting ${text(result.awaiting)}` : '',
        decision !== undefined && decision.result === 'rejected' ? `core: rejected (${decision.reason ?? '—'})` : '',
        e.late === true ? 'late' : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const cls = /reject|timed|fail|denied/.test(status) ? 'fail' : status === 'pending' ? 'warn' : 'pass';
      return [
        time,
        'outcome',
        { text: text(result.id), className: 'mono' },
        text(result.verb),
        Array.isArray(result.operators) ? result.operators.map(text).join(', ') : '',
        detail,
        { text: status, className: cls },
      ];
    }
    return [time, text(e.kind) || 'entry', '', '', '', { text: text(record.entry), className: 'mono' }, ''];
  });
  const table = htmlTable({
    headers: [
      { text: 't (s)', className: 'num' },
      'record',
      'request',
      'verb',
      'operator',
      'arguments / detail',
      'status',
    ],
    rows,
    empty: 'no operator commands in this run',
  });
  const note =
    audit.length > MAX_AUDIT_ROWS
      ? `<p class="note">Showing the first ${MAX_AUDIT_ROWS} of ${audit.length} audit records.</p>`
      : '';
  return `<div class="scroll">${table}</div>${note}`;
}
