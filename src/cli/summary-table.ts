import type { TickLoopMetrics } from '../control/realtime/index.js';
import type { RunSummary } from '../session/run-summary.js';
import type { P50P99 } from '../session/percentiles.js';
import { describeReadiness } from '../session/launcher-readiness-log.js';

const pair = (p: P50P99, unit: string, digits = 1): string =>
  p.count === 0
    ? 'n/a'
    : `p50 ${p.p50!.toFixed(digits)} ${unit}   p99 ${p.p99!.toFixed(digits)} ${unit}   (n=${p.count})`;

/** The end-of-run table a person reads. */
export function formatSummaryTable(s: RunSummary, loop: TickLoopMetrics | undefined): string {
  const safetyOk = Object.values(s.safety).every((n) => n === 0);
  const rows: [string, string][] = [
    ['scenario', `${s.scenario} (seed ${s.seed ?? '-'}, ${s.clockMode} time)`],
    [
      'simulated / wall',
      `${s.simulatedS.toFixed(1)} s / ${s.wallS.toFixed(2)} s  (${s.speedup.toFixed(0)}x real time)`,
    ],
    ['hostiles', `${s.hostiles} (${s.hostilesInEnvelope} entered an envelope)`],
    [
      'intercepted',
      s.interceptRatio === null
        ? `${s.intercepted} (no hostile entered an envelope)`
        : `${s.intercepted} (${(s.interceptRatio * 100).toFixed(1)}% of those in an envelope)`,
    ],
    ['leakers', String(s.leakers)],
    ['friendlies engaged', String(s.friendliesEngaged)],
    ['launches / FIREs planned', `${s.launches} / ${s.firesPlanned}`],
    [
      s.launchErrorBasis === 'host-plan' ? 'launch error' : 'launch error (launcher clock)',
      pair(s.launchErrorUs, 'us'),
    ],
    ['reaction', pair(s.reactionMs, 'ms', 0)],
    [
      'engagements',
      `kill ${s.engagements.kill}, miss ${s.engagements.miss}, lost ${s.engagements.lost}, aborted ${s.engagements.aborted}, failed ${s.engagements.failed}`,
    ],
    [
      'FIREs refused',
      s.fireRefusals.total === 0
        ? '0'
        : `${s.fireRefusals.total} (${Object.entries(s.fireRefusals.byReason)
            .map(([reason, n]) => `${reason} ${n}`)
            .join(', ')}); ${s.fireRefusals.targetsGivenUp} target(s) given up after repeated refusals`,
    ],
    ...s.launcherReadiness
      .filter(
        (r) =>
          !r.everReady ||
          r.fireRefusals > 0 ||
          r.reasonsAtEnd.length > 0 ||
          r.notReadyS > 0.2 * (r.readyS + r.notReadyS),
      )
      .map((r): [string, string] => [r.launcherId, describeReadiness(r)]),
    [
      'safety (from truth)',
      !s.truthAvailable
        ? 'not counted: a hardware bench has no simulator truth'
        : `${safetyOk ? 'OK' : 'VIOLATION'}: fires while link lost ${s.safety.firesWhileLinkLost}, duplicate fires ${s.safety.duplicateFires}, friendly engagements ${s.safety.friendlyEngagements}, fires without authorization ${s.safety.firesWithoutAuthorization}`,
    ],
  ];
  if (!s.truthAvailable) {
    // A hardware bench: what needs the simulator's truth is not known; say so, keep the host's view.
    const truthRows = new Set(['hostiles', 'intercepted', 'leakers', 'friendlies engaged', 'launches / FIREs planned']);
    const hostView = rows.filter(([k]) => !truthRows.has(k));
    hostView.splice(
      2,
      0,
      ['truth', 'none: a hardware bench has no simulator truth (hostiles, intercepts, leakers unknown)'],
      ['FIREs planned', String(s.firesPlanned)],
    );
    rows.length = 0;
    rows.push(...hostView);
  }
  const picture = [...pictureQualityRows(s), ...threatAccuracyRows(s)];
  const safetyRow = rows.findIndex(([k]) => k === 'safety (from truth)');
  rows.splice(safetyRow < 0 ? rows.length : safetyRow, 0, ...picture);
  if (loop !== undefined) {
    rows.push([
      'control loop',
      `${loop.ticks} ticks, ${loop.missedTicks} missed, lateness p99 ${loop.latenessUs.p99.toFixed(1)} us, compute p99 ${loop.computeUs.p99.toFixed(1)} us${tickThreadText(loop.tickThread)}`,
    ]);
  }
  if (s.recordingSha256 !== null) rows.push(['recording sha256', s.recordingSha256]);
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

const fixed = (value: number | null | undefined, digits: number, unit = ''): string =>
  value === null || value === undefined ? 'n/a' : `${value.toFixed(digits)}${unit}`;

/** IPP error before impact and tracker NEES against truth (none on a hardware bench). */
function threatAccuracyRows(s: RunSummary): [string, string][] {
  const rows: [string, string][] = [];
  const ipp = s.ipp;
  if (ipp !== null && ipp !== undefined) {
    rows.push([
      `IPP error ${ipp.horizonS} s out`,
      ipp.errorM === null
        ? 'n/a (no hostile reached the ground with a predicted impact then)'
        : `p50 ${ipp.errorM.p50.toFixed(0)} m, mean ${ipp.errorM.mean.toFixed(0)} m, max ${ipp.errorM.max.toFixed(0)} m (n=${ipp.count} ground impacts)`,
    ]);
  }
  const nees = s.tracker?.nees;
  if (nees !== undefined && nees !== null) {
    rows.push([
      'tracker NEES',
      nees.mean === null
        ? 'n/a (no track near a target)'
        : `mean ${nees.mean.toFixed(2)} (3 expected), ${(100 * nees.inBand95!).toFixed(1)}% inside the 95% band [${nees.lower.toFixed(2)}, ${nees.upper.toFixed(2)}] (n=${nees.samples})`,
    ]);
  }
  return rows;
}

/** GOSPA and SIAP rows: the host picture against truth (none on a hardware bench). */
function pictureQualityRows(s: RunSummary): [string, string][] {
  const q = s.pictureQuality;
  if (q === null || q === undefined) return [];
  const g = q.gospa;
  const unitP = q.p === 2 ? 'm²' : `m^${q.p}`;
  return [
    [
      'picture GOSPA',
      g === null
        ? `n/a (no picture sampled)`
        : `mean ${g.mean.toFixed(1)} m, max ${g.max.toFixed(1)} m (c ${q.cutoffM} m, p ${q.p}, ${q.frames} instants); parts per instant: localisation ${g.localisation.toFixed(0)}, missed ${g.missed.toFixed(0)}, false ${g.false.toFixed(0)}, switching ${g.switching.toFixed(0)} ${unitP}`,
    ],
    [
      'picture SIAP',
      `completeness ${fixed(q.siap.completeness, 3)}, ambiguity ${fixed(q.siap.ambiguity, 3)}, spuriousness ${fixed(q.siap.spuriousness, 3)}, position ${fixed(q.siap.positionalAccuracyM, 1, ' m')}, velocity ${fixed(q.siap.velocityAccuracyMps, 1, ' m/s')} (within ${q.associationRadiusM} m)`,
    ],
  ];
}

/** How the tick thread was scheduled, for the control-loop row (real time only). */
function tickThreadText(tickThread: TickLoopMetrics['tickThread']): string {
  if (tickThread === undefined || tickThread === null) return '';
  return tickThread.policy === 'other'
    ? ', tick thread on the default scheduler'
    : `, tick thread SCHED_${tickThread.policy.toUpperCase()} ${tickThread.priority}`;
}
