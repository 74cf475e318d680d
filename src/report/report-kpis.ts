import type { TruthRecord } from '../truth/truth-record.js';
import { percentileSorted } from '../session/percentiles.js';
import type { RunDigest } from './digest-run.js';
import type { TimelineEngagement } from './engagement-timeline.js';
import { formatNumber } from './format-number.js';
import type { LaunchErrorMatch } from './launch-errors.js';
import type { ReactionTime } from './reaction-times.js';
import type { ReportSummaryFile } from './report-input.js';

/** A headline figure in the header. */
export interface Kpi {
  readonly label: string;
  readonly value: string;
  readonly detail: string;
  /** `bad` draws it red (leakers, friendlies engaged), `good` green, else neutral. */
  readonly tone: 'good' | 'bad' | 'neutral';
}

/**
 * The headline figures. Counts of hostiles, kills and leakers come from truth (the summary's
 * figures when given, for hostiles in envelope that need the envelope test); engagement results
 * from the timeline; launch error and reaction percentiles from the matched samples (nearest
 * rank, as the run summary computes them).
 */
export function reportKpis(
  digest: RunDigest,
  truth: readonly TruthRecord[] | undefined,
  summary: ReportSummaryFile | undefined,
  timeline: readonly TimelineEngagement[],
  launchErrors: LaunchErrorMatch,
  reactions: readonly ReactionTime[],
): Kpi[] {
  const s = summary?.summary;
  const kpis: Kpi[] = [];
  const durationS = (digest.lastUs - digest.firstUs) / 1e6;
  kpis.push({
    label: 'Simulated time',
    value: `${formatNumber(s?.simulatedS ?? durationS)} s`,
    detail:
      s !== undefined && s.wallS > 0 ? `${formatNumber(s.speedup)}× real time` : `${digest.manifest.clockMode} clock`,
    tone: 'neutral',
  });
  let hostiles: number | null = s?.hostiles ?? null;
  let killed: number | null = s?.intercepted ?? null;
  let leakers: number | null = s?.leakers ?? null;
  if (truth !== undefined && (hostiles === null || killed === null || leakers === null)) {
    const hostileIds = new Set<string>();
    const killedIds = new Set<string>();
    let impacts = 0;
    for (const r of truth) {
      if (r.kind === 'target' && r.iff === 'hostile') hostileIds.add(r.targetId);
      else if (r.kind === 'kill' && r.iff === 'hostile') killedIds.add(r.targetId);
      else if (r.kind === 'impact' && r.leaker) impacts++;
    }
    hostiles ??= hostileIds.size;
    killed ??= killedIds.size;
    leakers ??= impacts;
  }
  const inEnvelope = s?.hostilesInEnvelope ?? null;
  kpis.push({
    label: 'Hostiles intercepted',
    value: killed === null ? '—' : `${killed} / ${inEnvelope ?? hostiles ?? '—'}`,
    detail:
      inEnvelope !== null
        ? `${formatNumber((s?.interceptRatio ?? 0) * 100)} % of those in an envelope; ${hostiles} hostiles`
        : hostiles !== null
          ? `of ${hostiles} hostiles (truth)`
          : 'no truth log',
    tone:
      killed !== null && (inEnvelope ?? hostiles) !== null && killed >= (inEnvelope ?? hostiles)! ? 'good' : 'neutral',
  });
  kpis.push({
    label: 'Leakers',
    value: leakers === null ? '—' : String(leakers),
    detail: 'hostiles that reached the ground',
    tone: leakers === null ? 'neutral' : leakers > 0 ? 'bad' : 'good',
  });
  const friendlies = s?.friendliesEngaged ?? null;
  if (friendlies !== null) {
    kpis.push({
      label: 'Friendlies engaged',
      value: String(friendlies),
      detail: 'killed or passed within 200 m',
      tone: friendlies > 0 ? 'bad' : 'good',
    });
  }
  const results = { kill: 0, miss: 0, lost: 0, aborted: 0, failed: 0, open: 0 };
  for (const e of timeline) results[e.result]++;
  kpis.push({
    label: 'Engagements',
    value: String(timeline.length),
    detail: Object.entries(results)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(' · '),
    tone: 'neutral',
  });
  kpis.push({
    label: 'Launches',
    value: String(s?.launches ?? launchErrors.errors.length),
    detail: `${digest.fires.size} FIRE commands`,
    tone: 'neutral',
  });
  const errors = launchErrors.errors.map((e) => e.errorUs).sort((a, b) => a - b);
  const worst = errors.reduce((w, e) => Math.max(w, Math.abs(e)), 0);
  kpis.push({
    label: 'Launch error p99',
    value: errors.length === 0 ? '—' : `${formatNumber(percentileSorted(errors, 0.99))} µs`,
    detail:
      errors.length === 0
        ? 'no launch matched'
        : `p50 ${formatNumber(percentileSorted(errors, 0.5))} µs · worst ${formatNumber(worst)} µs · n=${errors.length}` +
          (launchErrors.source === 'truth' ? '' : ' · host-reported'),
    tone: 'neutral',
  });
  const reaction = reactions.map((r) => r.reactionUs / 1e6).sort((a, b) => a - b);
  kpis.push({
    label: 'Reaction p99',
    value: reaction.length === 0 ? '—' : `${formatNumber(percentileSorted(reaction, 0.99))} s`,
    detail:
      reaction.length === 0
        ? 'no FIRE'
        : `p50 ${formatNumber(percentileSorted(reaction, 0.5))} s · detection → FIRE · n=${reaction.length}`,
    tone: 'neutral',
  });
  return kpis;
}
