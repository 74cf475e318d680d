import { htmlTable, type TableCell } from './html-table.js';

/** Counter names that mean something went wrong when non-zero. */
const TROUBLE =
  /err|crc|drop|lost|nak|timeout|timed|retrans|overflow|garbage|resync|duplicate|gap|stale|reject|fail|discard|unmatched/i;

/**
 * Link and framing counters: one column per device, one row per counter (nested counters such as
 * NAKs by reason flattened to `naks.busy`). Top-level counters always show; a nested counter
 * shows when some device has it non-zero. Non-zero trouble counters are highlighted.
 */
export function linkCountersTable(counters: Readonly<Record<string, unknown>>): string {
  const devices = Object.keys(counters).sort();
  const flat = new Map<string, Map<string, number>>();
  const names: string[] = [];
  for (const device of devices) {
    const values = new Map<string, number>();
    flatten(counters[device], '', values);
    flat.set(device, values);
    for (const name of values.keys()) if (!names.includes(name)) names.push(name);
  }
  const shown = names.filter((name) => !name.includes('.') || devices.some((d) => (flat.get(d)!.get(name) ?? 0) !== 0));
  const hidden = names.length - shown.length;
  const rows: TableCell[][] = shown.map((name) => [
    name,
    ...devices.map((d): TableCell => {
      const v = flat.get(d)!.get(name);
      if (v === undefined) return { text: '—', className: 'num' };
      return { text: String(v), className: v > 0 && TROUBLE.test(name) ? 'num warn' : 'num' };
    }),
  ]);
  const table = htmlTable({
    headers: ['counter', ...devices.map((d) => ({ text: d, className: 'num' }))],
    rows,
    empty: 'no counters',
  });
  const note =
    hidden > 0 ? `<p class="note">${hidden} per-reason counters are zero on every device and not shown.</p>` : '';
  return `<div class="scroll">${table}</div>${note}`;
}

function flatten(value: unknown, prefix: string, out: Map<string, number>): void {
  if (typeof value === 'number') {
    if (prefix !== '') out.set(prefix, value);
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  for (const [key, inner] of Object.entries(value)) flatten(inner, prefix === '' ? key : `${prefix}.${key}`, out);
}
