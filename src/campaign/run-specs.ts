import { type CampaignPlan, type PlannedRun, scenarioTextForSeed } from './campaign-plan.js';
import type { RunSpec } from './run-spec.js';

/** The self-contained spec of one planned run (config and scenario texts included). */
export function runSpecFor(plan: CampaignPlan, run: PlannedRun, keepRecording: boolean): RunSpec {
  const point = plan.points[run.point]!;
  return {
    campaignId: plan.id,
    key: run.key,
    point: run.point,
    runIndex: run.runIndex,
    seed: run.seed,
    configName: plan.configName,
    configText: plan.configText,
    scenarioName: plan.scenarioName,
    scenarioText: scenarioTextForSeed(point.scenarioText, run.seed),
    durationS: plan.durationS,
    keepRecording,
  };
}
