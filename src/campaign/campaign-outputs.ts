import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCampaignReport, ratioText } from './campaign-report.js';
import { campaignJunit } from './campaign-junit.js';
import type { CampaignStatistics } from './campaign-statistics.js';
import type { StoredOutcome } from './result-store.js';

/** Where a campaign's outputs went. */
export interface CampaignOutputFiles {
  readonly statisticsFile: string;
  readonly reportFile: string;
  readonly junitFile: string | null;
}

/**
 * Write `statistics.json` (statistics plus every run's key, seed, status and digests) and the
 * HTML report into the campaign directory, and the JUnit file when asked.
 */
export function writeCampaignOutputs(
  dir: string,
  stats: CampaignStatistics,
  outcomes: readonly StoredOutcome[],
  options: { reportFile?: string; junitFile?: string; wallS: number; title: string },
): CampaignOutputFiles {
  const statisticsFile = join(dir, 'statistics.json');
  writeFileSync(statisticsFile, JSON.stringify({ ...stats, runs: runDigests(outcomes) }, null, 2) + '\n');
  const reportFile = options.reportFile ?? join(dir, 'report.html');
  writeFileSync(reportFile, renderCampaignReport(stats, options.title));
  if (options.junitFile !== undefined) writeFileSync(options.junitFile, campaignJunit(stats, options.wallS));
  return { statisticsFile, reportFile, junitFile: options.junitFile ?? null };
}

/** Per run: key, point, seed, status, digests, worker (what two campaigns are compared by). */
export function runDigests(outcomes: readonly StoredOutcome[]): object[] {
  return outcomes.map((o) => ({
    key: o.key,
    point: o.point,
    seed: o.seed,
    status: o.status,
    worker: o.worker,
    ...(o.digests ?? {}),
    ...(o.error === null ? {} : { error: o.error }),
  }));
}

/** The end-of-campaign table for a terminal. */
export function formatCampaignTable(stats: CampaignStatistics): string {
  const lines = [
    `campaign ${stats.id}  scenario ${stats.scenario}  ${stats.points.length} point(s) x ${stats.seeds.length} seed(s)`,
  ];
  for (const p of [...stats.points, ...(stats.points.length > 1 ? [stats.overall] : [])]) {
    lines.push(
      `${p.label.padEnd(28)} runs ${String(p.runsDone).padStart(4)}/${p.runsPlanned}  intercept ${ratioText(p.interceptRatio)}  leakers ${ratioText(p.leakerRate)}  rounds/kill ${p.roundsPerKill === null ? '—' : p.roundsPerKill.toFixed(2)}`,
    );
  }
  const o = stats.overall;
  lines.push(
    `launch error us p50 ${fmt(o.launchErrorUs.p50)} p99 ${fmt(o.launchErrorUs.p99)} max ${fmt(o.launchErrorUs.max)} (n=${o.launchErrorUs.count});  reaction ms p50 ${fmt(o.reactionMs.p50)} p99 ${fmt(o.reactionMs.p99)}`,
  );
  const safety = Object.entries(o.safety)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  lines.push(`safety (summed)  ${Object.values(o.safety).every((v) => v === 0) ? 'OK' : 'FAIL'}: ${safety}`);
  if (stats.safetyFailures.length > 0)
    lines.push(
      `re-run seeds: ${stats.safetyFailures.map((f) => `${f.seed} (${f.key}${f.recordingFile ? `, ${f.recordingFile}` : ''})`).join(', ')}`,
    );
  for (const e of stats.errors.slice(0, 10)) lines.push(`error: ${e.key} seed ${e.seed}: ${e.error}`);
  return lines.join('\n');
}

const fmt = (v: number | null): string => (v === null ? '—' : String(Number(v.toPrecision(4))));
