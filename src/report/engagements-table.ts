import type { TimelineEngagement } from './engagement-timeline.js';
import { formatNumber } from './format-number.js';
import { htmlTable, type TableCell } from './html-table.js';
import type { InterceptorPath } from './interceptor-paths.js';
import type { LaunchError } from './launch-errors.js';

/** Every engagement in one table: milestones, launch error, miss distance and result. */
export function engagementsTable(
  engagements: readonly TimelineEngagement[],
  launchErrors: readonly LaunchError[],
  paths: readonly InterceptorPath[],
): string {
  const errorByCommand = new Map(launchErrors.map((e) => [e.commandId, e.errorUs]));
  const pathByCommand = new Map(paths.map((p) => [p.commandId, p]));
  const s = (us: number | null): TableCell => ({
    text: us === null ? '—' : formatNumber(us / 1e6, 7),
    className: 'num',
  });
  const rows = [...engagements]
    .sort((a, b) => a.engagementId - b.engagementId)
    .map((e): TableCell[] => {
      const path = e.fireCommandId !== null ? pathByCommand.get(e.fireCommandId) : undefined;
      const error = e.fireCommandId !== null ? errorByCommand.get(e.fireCommandId) : undefined;
      const cls = e.result === 'kill' ? 'pass' : e.result === 'miss' || e.result === 'open' ? 'warn' : 'fail';
      return [
        { text: String(e.engagementId), className: 'num' },
        e.launcherId,
        { text: String(e.trackId), className: 'num' },
        { text: e.fireCommandId === null ? '—' : String(e.fireCommandId), className: 'num' },
        s(e.detectUs),
        s(e.plannedUs),
        s(e.fireSentUs),
        s(e.launchUs),
        { text: error === undefined ? '—' : formatNumber(error, 4), className: 'num' },
        s(e.interceptUs),
        { text: path?.missM == null ? '—' : formatNumber(path.missM, 3), className: 'num' },
        { text: e.result + (e.reason !== null && e.result !== 'kill' ? ` (${e.reason})` : ''), className: cls },
      ];
    });
  return htmlTable({
    headers: [
      { text: 'eng.', className: 'num' },
      'launcher',
      { text: 'track', className: 'num' },
      { text: 'cmd', className: 'num' },
      { text: 'detected (s)', className: 'num' },
      { text: 'planned (s)', className: 'num' },
      { text: 'FIRE sent (s)', className: 'num' },
      { text: 'launch (s)', className: 'num' },
      { text: 'launch error (µs)', className: 'num' },
      { text: 'intercept (s)', className: 'num' },
      { text: 'miss (m)', className: 'num' },
      'result',
    ],
    rows,
    empty: 'no engagements',
  });
}
