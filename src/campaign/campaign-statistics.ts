import type { CampaignPlan } from './campaign-plan.js';
import type { StoredOutcome } from './result-store.js';
import type { ParameterValue } from './sweep-schema.js';
import { type Proportion, wilsonInterval } from './wilson-interval.js';

/** Nearest-rank percentiles of a pooled sample. */
export interface Spread {
  readonly count: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** A run with a non-zero safety counter: the seed to re-run, and which counters. */
export interface SafetyFailure {
  readonly key: string;
  readonly point: number;
  readonly seed: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly recordingFile: string | null;
}

/** The statistics of one sweep point (or of the whole campaign). */
export interface PointStatistics {
  readonly point: number | null;
  readonly label: string;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly runsPlanned: number;
  readonly runsDone: number;
  readonly runsErrored: number;
  /** Hostiles intercepted of those that entered an envelope, pooled over runs. */
  readonly interceptRatio: Proportion;
  /** Hostiles that reached the ground (leakers) of all hostiles, pooled over runs. */
  readonly leakerRate: Proportion;
  /** Runs in which at least one hostile leaked, of the runs done. */
  readonly runsWithLeaker: Proportion;
  readonly leakersPerRun: { readonly mean: number | null; readonly max: number | null };
  /** Launches per hostile killed (null when nothing was killed). */
  readonly roundsPerKill: number | null;
  readonly launchErrorUs: Spread;
  readonly reactionMs: Spread;
  /** Per-run intercept ratios (the distribution the pooled ratio hides). */
  readonly perRunInterceptRatio: readonly number[];
  /** Safety counters summed over the runs. */
  readonly safety: Readonly<Record<string, number>>;
  /** Scenario measurements that failed, with how many runs failed each. */
  readonly measurementsFailed: Readonly<Record<string, number>>;
}

/** A campaign's statistics: per point, overall, and the verdict. */
export interface CampaignStatistics {
  readonly id: string;
  readonly scenario: string;
  readonly parameterNames: readonly string[];
  readonly seeds: readonly number[];
  readonly points: readonly PointStatistics[];
  readonly overall: PointStatistics;
  readonly safetyFailures: readonly SafetyFailure[];
  readonly errors: readonly { key: string; seed: number; point: number; error: string }[];
  readonly complete: boolean;
  /** `pass`: complete, no safety counter non-zero, no run errored. */
  readonly verdict: 'pass' | 'fail' | 'incomplete';
}

/**
 * Statistics of a campaign's stored outcomes. Intervals are Wilson 95 % over pooled counts
 * (every hostile of every run one trial); hostiles of one run share that run's seed, so the
 * pooled interval is the optimistic bound — `runsWithLeaker` counts runs, which are independent.
 */
export function campaignStatistics(plan: CampaignPlan, outcomes: readonly StoredOutcome[]): CampaignStatistics {
  const byPoint = plan.points.map((p) => outcomes.filter((o) => o.point === p.index));
  const perRun = plan.seeds.length;
  const points = plan.points.map((p, i) => pointStatistics(p.index, p.label, p.parameters, perRun, byPoint[i]!));
  const overall = pointStatistics(null, 'all points', {}, plan.runs.length, outcomes);
  const safetyFailures: SafetyFailure[] = outcomes
    .filter((o) => o.status === 'safety-fail' && o.figures !== null)
    .map((o) => ({
      key: o.key,
      point: o.point,
      seed: o.seed,
      counters: Object.fromEntries(Object.entries(o.figures!.safety).filter(([, v]) => v !== 0)),
      recordingFile: o.recordingFile,
    }));
  const errors = outcomes
    .filter((o) => o.status === 'error')
    .map((o) => ({ key: o.key, seed: o.seed, point: o.point, error: o.error ?? 'unknown error' }));
  const complete = outcomes.filter((o) => o.status !== 'error').length === plan.runs.length;
  return {
    id: plan.id,
    scenario: plan.scenarioName,
    parameterNames: plan.parameterNames,
    seeds: plan.seeds,
    points,
    overall,
    safetyFailures,
    errors,
    complete,
    verdict: safetyFailures.length > 0 || errors.length > 0 ? 'fail' : complete ? 'pass' : 'incomplete',
  };
}

function pointStatistics(
  point: number | null,
  label: string,
  parameters: Readonly<Record<string, ParameterValue>>,
  runsPlanned: number,
  outcomes: readonly StoredOutcome[],
): PointStatistics {
  const ran = outcomes.filter((o) => o.figures !== null);
  let intercepted = 0;
  let inEnvelope = 0;
  let leakers = 0;
  let hostiles = 0;
  let runsWithLeaker = 0;
  let launches = 0;
  let maxLeakers: number | null = null;
  const launchErrors: number[] = [];
  const reactions: number[] = [];
  const perRunInterceptRatio: number[] = [];
  const safety: Record<string, number> = {};
  const measurementsFailed: Record<string, number> = {};
  for (const o of ran) {
    const f = o.figures!;
    intercepted += f.intercepted;
    inEnvelope += f.hostilesInEnvelope;
    leakers += f.leakers;
    hostiles += f.hostiles;
    if (f.leakers > 0) runsWithLeaker++;
    maxLeakers = Math.max(maxLeakers ?? 0, f.leakers);
    launches += f.launches;
    for (const v of f.launchErrorsUs) launchErrors.push(v);
    for (const v of f.reactionsMs) reactions.push(v);
    if (f.interceptRatio !== null) perRunInterceptRatio.push(f.interceptRatio);
    for (const [k, v] of Object.entries(f.safety)) safety[k] = (safety[k] ?? 0) + v;
    for (const m of f.measurementsFailed) measurementsFailed[m] = (measurementsFailed[m] ?? 0) + 1;
  }
  return {
    point,
    label,
    parameters,
    runsPlanned,
    runsDone: ran.length,
    runsErrored: outcomes.filter((o) => o.status === 'error').length,
    // Leakers can exceed hostiles only if the truth log were inconsistent; clamp for the interval.
    interceptRatio: wilsonInterval(Math.min(intercepted, inEnvelope), inEnvelope),
    leakerRate: wilsonInterval(Math.min(leakers, hostiles), hostiles),
    runsWithLeaker: wilsonInterval(runsWithLeaker, ran.length),
    leakersPerRun: { mean: ran.length === 0 ? null : leakers / ran.length, max: maxLeakers },
    roundsPerKill: intercepted === 0 ? null : launches / intercepted,
    launchErrorUs: spread(launchErrors),
    reactionMs: spread(reactions),
    perRunInterceptRatio,
    safety,
    measurementsFailed,
  };
}

/** Nearest-rank percentiles (as the run summary's p50/p99). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number | null =>
    sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    min: sorted[0] ?? null,
    max: sorted[sorted.length - 1] ?? null,
  };
}
