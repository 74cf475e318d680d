import type { ControlEvent } from '../control/index.js';
import { type FireRefusals, type LauncherReadiness, LauncherReadinessLog } from '../session/launcher-readiness-log.js';
import type { RunFileContents } from '../record/run-reader.js';
import { htmlTable, type TableCell } from './html-table.js';
import { escapeHtml } from './html-text.js';

/** Launcher readiness and refused FIREs, recomputed from the recording's events. */
export interface ReadinessDigest {
  readonly launchers: readonly LauncherReadiness[];
  readonly refusals: FireRefusals;
}

/** Replays the recording's readiness and engagement events into a {@link LauncherReadinessLog}. */
export function digestReadiness(run: RunFileContents, lastUs: number): ReadinessDigest {
  const log = new LauncherReadinessLog();
  for (const record of run.records) {
    if (record.kind !== 'tick') continue;
    for (const event of record.events as readonly ControlEvent[]) {
      if (event.kind === 'launcher-readiness') log.addReadiness(event);
      else if (event.kind === 'engagement') log.addEngagement(event);
    }
  }
  return { launchers: log.readiness(lastUs), refusals: log.refusals() };
}

const seconds = (s: number): string => s.toFixed(1);

/**
 * One row per launcher: time ready, time not ready by first failing condition, conditions at
 * the end, time-sync uncertainty against its budget, refused FIREs. A launcher never ready is
 * flagged, never left out.
 */
export function launcherReadinessTable(digest: ReadinessDigest): string {
  const rows: TableCell[][] = digest.launchers.map((r) => {
    const why = Object.entries(r.notReadyByReasonS)
      .filter(([, s]) => s !== undefined && s >= 0.05)
      .sort((a, b) => b[1]! - a[1]!)
      .map(([reason, s]) => `${reason} ${seconds(s!)} s`)
      .join(', ');
    const sync =
      r.syncBudgetUs === null
        ? '—'
        : `${r.syncUncertaintyUs === null ? 'none' : `±${Math.round(r.syncUncertaintyUs)}`} / ${Math.round(r.syncBudgetUs)} us`;
    return [
      r.everReady ? r.launcherId : { text: `${r.launcherId} (never ready)`, className: 'warn' },
      { text: seconds(r.readyS), className: 'num' },
      { text: seconds(r.notReadyS), className: 'num' },
      why === '' ? '—' : why,
      r.reasonsAtEnd.length === 0 ? 'ready' : { text: r.reasonsAtEnd.join(', '), className: 'warn' },
      sync,
      { text: String(r.fireRefusals), className: r.fireRefusals > 0 ? 'num warn' : 'num' },
    ];
  });
  const table = htmlTable({
    headers: [
      'launcher',
      { text: 'ready (s)', className: 'num' },
      { text: 'not ready (s)', className: 'num' },
      'not ready because (first failing condition)',
      'at end',
      'time sync / budget',
      { text: 'FIREs refused', className: 'num' },
    ],
    rows,
    empty: 'no launcher readiness in the recording',
  });
  const refusals = digest.refusals;
  const note =
    refusals.total === 0
      ? '<p class="note">No FIRE was refused.</p>'
      : `<p class="note">${escapeHtml(
          `${refusals.total} FIREs refused (${Object.entries(refusals.byReason)
            .map(([reason, n]) => `${reason} ×${n}`)
            .join(', ')}); ${refusals.targetsGivenUp} target(s) given up after repeated refusals by one launcher.`,
        )}</p>`;
  return `<div class="scroll">${table}</div>${note}\n<p class="note">Time sync / budget: the launcher's time-sync uncertainty at its last readiness change against its launch-time error budget (the FIRE gate).</p>`;
}
