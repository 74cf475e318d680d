import { htmlTable } from './html-table.js';
import type { SafetyCounter } from './safety-counters.js';

/** The safety counters: every one must be zero. */
export function safetyTable(counters: readonly SafetyCounter[]): string {
  return htmlTable({
    headers: ['safety counter', { text: 'count', className: 'num' }, 'source', 'verdict'],
    rows: counters.map((c) => [
      c.label,
      { text: c.value === null ? '—' : String(c.value), className: 'num' },
      c.source,
      c.value === null
        ? { text: 'unknown', className: 'warn' }
        : c.value === 0
          ? { text: 'PASS', className: 'pass' }
          : { text: 'FAIL', className: 'fail' },
    ]),
  });
}
