/**
 * Lockstep speed (figure 5 of the benchmark goal; the control-loop goal): simulated seconds per wall second of
 * the whole simulated bench — simulator, paced memory links, drivers, control core, operator
 * command path, recorder — on raid-50 in virtual time, as `shieldlink run --scenario
 * hil-configs/scenarios/raid-50.yaml --virtual-time --json` runs it (recording and truth log
 * written). Baseline: real time (1 simulated second per wall second). Goal >= 200x (the control loop
 * asks >= 100x).
 *
 * The figure is the median of 3 runs (1 with --quick). The run's own safety counters and
 * intercept ratio are reported too: a fast run that stopped intercepting would not count.
 *
 * Run on its own: `npx tsx bench/lockstep.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../src/compose/run-bench.js';
import { loadBenchConfig } from '../src/config/load-bench-config.js';
import type { RunSummary } from '../src/session/run-summary.js';
import type { BenchFigure } from './bench-figure.js';
import { figureLine } from './figure-line.js';
import { repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

/** Options of {@link runLockstepBench}. */
export interface LockstepBenchOptions {
  /** One run instead of three (CI smoke run). */
  quick: boolean;
}

const GOAL_SPEEDUP = 200;
const CONFIG = 'hil-configs/sim.yaml';
const SCENARIO = 'hil-configs/scenarios/raid-50.yaml';

/** One raid-50 run in virtual time, recorded as `shieldlink run` records it. */
export async function lockstepRun(): Promise<RunSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-lockstep-'));
  try {
    const loaded = await loadBenchConfig(repoFile(CONFIG));
    const result = await runBench({
      loaded,
      scenarioFile: repoFile(SCENARIO),
      virtualTime: true,
      recordFile: join(dir, 'raid-50.run'),
      truthFile: join(dir, 'raid-50.truth.jsonl'),
    });
    return result.summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLockstepBench(options: LockstepBenchOptions): Promise<BenchFigure[]> {
  const runs: RunSummary[] = [];
  for (let i = 0; i < (options.quick ? 1 : 3); i++) runs.push(await lockstepRun());
  runs.sort((a, b) => a.speedup - b.speedup);
  const median = runs[Math.floor(runs.length / 2)]!;
  const safety = Object.values(median.safety).reduce((a, b) => a + b, 0);
  return [
    {
      name: 'lockstep.raid50.speedup',
      value: median.speedup,
      unit: 'x real time',
      goal: `>= ${GOAL_SPEEDUP} x real time (the control loop asks >= 100)`,
      baseline: 'real time',
      baselineValue: 1,
    },
    { name: 'lockstep.raid50.speedup.min', value: runs[0]!.speedup, unit: 'x real time' },
    { name: 'lockstep.raid50.wall', value: median.wallS, unit: 's' },
    { name: 'lockstep.raid50.simulated', value: median.simulatedS, unit: 's' },
    {
      name: 'lockstep.raid50.interceptRatio',
      value: median.interceptRatio ?? Number.NaN,
      unit: 'ratio',
      goal: '>= 0.95',
    },
    { name: 'lockstep.raid50.safetyCounters', value: safety, unit: 'events', goal: '0' },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runLockstepBench({ quick })).map((f) => figureLine(f, { nameWidth: 34, decimals: 2 })),
);
