import type { RunSummary } from '../session/run-summary.js';

/** One doctrine's run for the side-by-side table. */
export interface DoctrineRun {
  readonly doctrine: string;
  readonly summary: RunSummary;
}

const ROWS: readonly [string, (s: RunSummary) => number | null][] = [
  ['asset leakers', (s) => s.assets?.leakers ?? null],
  ['harmless ground impacts', (s) => s.assets?.groundImpacts ?? null],
  ['asset value saved', (s) => s.assets?.valueSaved ?? null],
  ['asset value saved, ratio', (s) => s.assets?.valueSavedRatio ?? null],
  ['hostiles intercepted', (s) => s.intercepted],
  ['launches', (s) => s.launches],
  ['rounds per kill', (s) => s.assets?.roundsPerKill ?? null],
  ['rounds on threats to no asset', (s) => s.assets?.roundsOnNoAssetThreats ?? null],
  [
    '  of which while an asset threat went unengaged',
    (s) => s.assets?.roundsOnNoAssetWhileAssetThreatUnengaged ?? null,
  ],
  ['friendlies engaged', (s) => s.friendliesEngaged],
];

/** The two (or more) runs side by side, one column per doctrine. */
export function formatDoctrineComparison(runs: readonly DoctrineRun[]): string {
  const cell = (v: number | null): string => (v === null ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  const labelWidth = Math.max(...ROWS.map(([l]) => l.length), 'doctrine'.length);
  const widths = runs.map((r) => Math.max(r.doctrine.length, 8));
  const line = (label: string, cells: string[]): string =>
    `${label.padEnd(labelWidth)}  ${cells.map((c, i) => c.padStart(widths[i]!)).join('  ')}`;
  return [
    line(
      'doctrine',
      runs.map((r) => r.doctrine),
    ),
    ...ROWS.map(([label, get]) =>
      line(
        label,
        runs.map((r) => cell(get(r.summary))),
      ),
    ),
  ].join('\n');
}
