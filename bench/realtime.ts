/**
 * Real time against virtual time: the same scenario run on a bench config in real time and, as
 * the reference, on the in-process bench in virtual time (lockstep, no timing noise). The
 * figure is the ratio of hostiles intercepted (goal >= 0.9), with the real-time launch error
 * beside it: `host-plan` for the in-process bench (truth execution instant minus the planned
 * instant, one clock: time-sync error plus the simulator's own lateness), `launcher-clock` over
 * PTYs (actual minus execute-at in the launcher's clock).
 *
 * Full: raid-50 for 120 s on hil-configs/sim.yaml (memory links) and hil-configs/sim-pty.yaml
 * (simulator in its own process, real PTYs). Quick: short-salvo for 30 s. The machine's load
 * average is reported with each figure: on a loaded machine, stalls of the event loop cost
 * links (supervision 150 ms) and with them armed launchers.
 *
 * Run on its own: `npx tsx bench/realtime.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBench } from '../src/compose/run-bench.js';
import { loadBenchConfig } from '../src/config/load-bench-config.js';
import type { RunSummary } from '../src/session/run-summary.js';
import type { BenchFigure } from './bench-figure.js';
import { figureLine } from './figure-line.js';
import { repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

/** Options of {@link runRealtimeBench}. */
export interface RealtimeBenchOptions {
  readonly quick: boolean;
  /** `sim` (memory links) or `pty` (simulator process on PTYs). */
  readonly bench: 'sim' | 'pty';
}

const CONFIGS = { sim: 'hil-configs/sim.yaml', pty: 'hil-configs/sim-pty.yaml' } as const;

async function runOnce(config: string, scenario: string, durationS: number, virtualTime: boolean): Promise<RunSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-realtime-'));
  try {
    const result = await runBench({
      loaded: await loadBenchConfig(repoFile(config)),
      scenarioFile: repoFile(scenario),
      virtualTime,
      durationS,
      broker: 'none',
      recordFile: join(dir, 'a.run'),
      truthFile: join(dir, 'a.truth.jsonl'),
    });
    return result.summary;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runRealtimeBench(options: RealtimeBenchOptions): Promise<BenchFigure[]> {
  const scenario = options.quick ? 'hil-configs/scenarios/short-salvo.yaml' : 'hil-configs/scenarios/raid-50.yaml';
  const durationS = options.quick ? 30 : 120;
  const name = `realtime.${options.bench}.${options.quick ? 'shortSalvo30s' : 'raid50.120s'}`;
  const virtual = await runOnce(CONFIGS.sim, scenario, durationS, true);
  const loadBefore = loadavg()[0]!;
  const real = await runOnce(CONFIGS[options.bench], scenario, durationS, false);
  const loadAfter = loadavg()[0]!;
  const ratio = virtual.intercepted === 0 ? Number.NaN : real.intercepted / virtual.intercepted;
  for (const r of real.launcherReadiness.filter((x) => !x.everReady)) {
    process.stderr.write(`bench/realtime: ${r.launcherId} never ready: ${JSON.stringify(r.notReadyByReasonS)}\n`);
  }
  const syncS = real.launcherReadiness.reduce((s, r) => s + (r.notReadyByReasonS['time-sync-out-of-bound'] ?? 0), 0);
  return [
    {
      name: `${name}.interceptRatio`,
      value: ratio,
      unit: 'real/virtual',
      goal: '>= 0.9',
      baseline: `virtual time, same scenario and seconds (${virtual.intercepted} intercepted)`,
      baselineValue: 1,
    },
    { name: `${name}.intercepted.real`, value: real.intercepted, unit: 'hostiles' },
    { name: `${name}.intercepted.virtual`, value: virtual.intercepted, unit: 'hostiles' },
    { name: `${name}.launches.real`, value: real.launches, unit: 'launches' },
    { name: `${name}.launches.virtual`, value: virtual.launches, unit: 'launches' },
    {
      name: `${name}.launchError.p99`,
      value: Math.abs(real.launchErrorUs.p99 ?? Number.NaN),
      unit: `us (${real.launchErrorBasis})`,
      goal: '<= 3333 (launch-time error budget: 0.1 x 50 m / 1500 m/s)',
    },
    { name: `${name}.launchError.p50`, value: Math.abs(real.launchErrorUs.p50 ?? Number.NaN), unit: 'us' },
    { name: `${name}.syncOutOfBudget`, value: syncS, unit: 'launcher-s not ready for time sync' },
    { name: `${name}.fireRefusals`, value: real.fireRefusals.total, unit: 'FIREs' },
    { name: `${name}.load`, value: (loadBefore + loadAfter) / 2, unit: 'load average (1 min)' },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  [...(await runRealtimeBench({ quick, bench: 'sim' })), ...(await runRealtimeBench({ quick, bench: 'pty' }))].map(
    (f) => figureLine(f, { nameWidth: 44, decimals: 2 }),
  ),
);
