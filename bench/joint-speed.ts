/**
 * Joint lockstep speed: simulated seconds per wall second of a whole joint run — every node of
 * hil-configs/scenarios/joint-raid.yaml (two full benches: simulators, paced memory links,
 * drivers, control cores, recorders, ledgers) plus the modelled network, the signed partner
 * messages, fusion and engagement coordination, all on one VirtualClock, as
 * `shieldlink run --scenario hil-configs/scenarios/joint-raid.yaml` runs it (recordings, truth
 * logs and ledgers written, the picture scored). Baseline: real time. Goal >= 100x.
 *
 * The figure is the median of 3 runs (1 with --quick); the wall time is the run's own (from the
 * first node's start to the last node's scoring), without Node's start and module loading,
 * which `time shieldlink run …` adds (about 1.3 s on the reference machine). Also reported: the
 * process CPU time per run and whether every node's recording and ledger came out byte-identical
 * in every run (a fast run that stopped being deterministic would not count).
 *
 * Run on its own: `npx tsx bench/joint-speed.ts [--quick]`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJoint } from '../src/compose/run-joint.js';
import { loadBenchConfig } from '../src/config/load-bench-config.js';
import { loadScenario } from '../src/config/load-scenario.js';
import type { BenchFigure } from './bench-figure.js';
import { figureLine } from './figure-line.js';
import { repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

/** Options of {@link runJointSpeedBench}. */
export interface JointSpeedBenchOptions {
  /** One run instead of three (CI smoke run). */
  quick: boolean;
}

const GOAL_SPEEDUP = 100;
const CONFIG = 'hil-configs/sim.yaml';
const SCENARIO = 'hil-configs/scenarios/joint-raid.yaml';

/** One joint run's speed and the digest of everything its nodes recorded. */
export interface JointSpeedRun {
  readonly speedup: number;
  readonly wallS: number;
  readonly simulatedS: number;
  /** Process CPU time (user + system) over the run, s. */
  readonly cpuS: number;
  /** SHA-256 over every node's run file and ledger, in node order. */
  readonly recordingsDigest: string;
}

/**
 * One joint-raid run in virtual time into `dir`, recorded as `shieldlink run` records it. Runs
 * into the same directory reuse the nodes' ledger keys made there by the first, as repeated
 * `shieldlink run`s into one output directory do (new keys would make every ledger differ).
 */
export async function jointSpeedRun(dir: string): Promise<JointSpeedRun> {
  const loaded = await loadBenchConfig(repoFile(CONFIG));
  const scenarioFile = repoFile(SCENARIO);
  const scenario = await loadScenario(scenarioFile);
  const cpuBefore = process.cpuUsage();
  const result = await runJoint({ loaded, scenarioFile, scenario, outputDir: dir });
  const cpu = process.cpuUsage(cpuBefore);
  const digest = createHash('sha256');
  for (const node of result.nodes) {
    for (const ext of ['run', 'ledger']) digest.update(readFileSync(join(dir, `joint-raid.${node.nodeId}.${ext}`)));
  }
  return {
    speedup: result.simulatedS / result.wallS,
    wallS: result.wallS,
    simulatedS: result.simulatedS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    recordingsDigest: digest.digest('hex'),
  };
}

export async function runJointSpeedBench(options: JointSpeedBenchOptions): Promise<BenchFigure[]> {
  const runs: JointSpeedRun[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-joint-'));
  try {
    for (let i = 0; i < (options.quick ? 1 : 3); i++) runs.push(await jointSpeedRun(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const identical = runs.every((r) => r.recordingsDigest === runs[0]!.recordingsDigest);
  const bySpeed = [...runs].sort((a, b) => a.speedup - b.speedup);
  const median = bySpeed[Math.floor(bySpeed.length / 2)]!;
  const cpu = runs.map((r) => r.cpuS).sort((a, b) => a - b);
  return [
    {
      name: 'joint.raid.speedup',
      value: median.speedup,
      unit: 'x real time',
      goal: `>= ${GOAL_SPEEDUP} x real time`,
      baseline: 'real time',
      baselineValue: 1,
    },
    { name: 'joint.raid.speedup.min', value: bySpeed[0]!.speedup, unit: 'x real time' },
    { name: 'joint.raid.wall', value: median.wallS, unit: 's' },
    { name: 'joint.raid.cpu', value: cpu[Math.floor(cpu.length / 2)]!, unit: 's' },
    { name: 'joint.raid.simulated', value: median.simulatedS, unit: 's' },
    {
      name: 'joint.raid.identicalRuns',
      value: identical ? runs.length : 0,
      unit: 'runs',
      goal: `every run's recordings and ledgers byte-identical`,
      met: identical,
    },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runJointSpeedBench({ quick })).map((f) => figureLine(f, { nameWidth: 30, decimals: 2 })),
);
