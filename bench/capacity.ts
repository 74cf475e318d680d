/**
 * Control-core capacity: compute time of one `step()` per 1 ms tick for N tracks × M launchers
 * under a steady, realistic load, and the largest N for 8 launchers whose p99 stays within 50% of
 * the tick (goal: >= 1,000 tracks × 8 launchers).
 *
 * Load: N hostile targets (half ballistic, half constant velocity, 15–35 km out, inbound at
 * 150–600 m/s), two radars each reporting every target once per 1 s scan (spread evenly over the
 * scan, radar 2 half a scan behind: 2N/1000 measurements per tick), every launcher's status every
 * 100 ms, weapons FREE. Launchers launch every FIRE on time and never kill, so every target is
 * engaged, assessed a miss and engaged again: the planner and solver never idle. Only `step()` is
 * timed; the warm-up (track creation, JIT) is not.
 *
 * Run on its own: `npx tsx bench/capacity.ts [--quick]`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { mulberry32 } from '../src/common/mulberry32.js';
import {
  createControlState,
  step,
  type ControlCommand,
  type ControlConfig,
  type ControlInput,
} from '../src/control/index.js';
import type { BenchFigure } from './bench-figure.js';
import { ControlLoad, START_US, TICK_US, controlBenchConfig } from './control-load.js';
import { partMain } from './part-main.js';
import { alignColumns } from './text-table.js';

const BUDGET_US = TICK_US / 2;
const GOAL_TRACKS = 1_000;
const GOAL_LAUNCHERS = 8;
const G = 9.80665;

/** Options of {@link runCapacityBench}. */
export interface CapacityBenchOptions {
  /** One configuration, shorter run (CI smoke run); figures are noisier. */
  quick: boolean;
}

interface Target {
  e: number;
  n: number;
  u: number;
  ve: number;
  vn: number;
  vu: number;
  a: number;
}

function makeTargets(count: number, random: () => number): Target[] {
  const targets: Target[] = [];
  for (let i = 0; i < count; i++) {
    const bearing = random() * 2 * Math.PI;
    const range = 15_000 + random() * 20_000;
    const speed = 150 + random() * 450;
    const ballistic = i % 2 === 1;
    targets.push({
      e: range * Math.sin(bearing),
      n: range * Math.cos(bearing),
      u: ballistic ? 12_000 + random() * 8_000 : 2_000 + random() * 10_000,
      ve: -speed * Math.sin(bearing),
      vn: -speed * Math.cos(bearing),
      vu: ballistic ? 100 + random() * 200 : 0,
      a: ballistic ? -G : 0,
    });
  }
  return targets;
}

export interface CapacityResult {
  tracks: number;
  launchers: number;
  ticks: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  maxUs: number;
  fires: number;
  gcCount: number;
  gcMaxMs: number;
  /** Heap bytes allocated by step() per tick over a GC-free probe window (outputs included). */
  bytesPerTick: number;
  /** Events and commands per tick in that window (their objects are the allowed allocation). */
  outputsPerTick: number;
}

/**
 * The devices' side of the bench (ControlLoad): the targets of {@link makeTargets} as the radars
 * see them (a ballistic one below ground is not seen), and launchers that slew where told.
 */
class TargetLoad extends ControlLoad {
  private readonly aim = new Map<string, [number, number]>();

  constructor(
    config: ControlConfig,
    private readonly targets: readonly Target[],
  ) {
    super(config, targets.length);
  }

  protected override locate(i: number, s: number, out: Float64Array): boolean {
    const tg = this.targets[i]!;
    const up = tg.u + tg.vu * s + 0.5 * tg.a * s * s;
    if (up < 0) return false;
    out[0] = tg.e + tg.ve * s;
    out[1] = tg.n + tg.vn * s;
    out[2] = up;
    out[3] = tg.ve;
    out[4] = tg.vn;
    out[5] = tg.vu + tg.a * s;
    return true;
  }

  protected override pointing(launcherId: string): readonly [number, number] {
    return this.aim.get(launcherId) ?? super.pointing(launcherId);
  }

  /** The launchers obey SLEW. */
  protected override onCommand(c: ControlCommand): void {
    if (c.kind === 'slew') this.aim.set(c.launcherId, [c.azimuthDeg, c.elevationDeg]);
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Runs one configuration: warm-up, then `measureS` seconds of 1 ms ticks, `step()` timed. */
export async function measureCapacity(
  tracks: number,
  launcherCount: number,
  warmupS: number,
  measureS: number,
): Promise<CapacityResult> {
  const config = controlBenchConfig(tracks, launcherCount);
  const state = createControlState(config);
  const load = new TargetLoad(config, makeTargets(tracks, mulberry32(0xca9ac17 + tracks)));
  const timedTicks = Math.round(((warmupS + measureS) * 1e6) / TICK_US);
  const warmTicks = Math.round((warmupS * 1e6) / TICK_US);
  const samples = new Float64Array(timedTicks - warmTicks);
  let gcCount = 0;
  let gcMaxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  });
  const inputs: ControlInput[] = [];
  let k = 0;
  for (; k < timedTicks; k++) {
    inputs.length = 0;
    load.fill(k, inputs);
    if (k === warmTicks) observer.observe({ entryTypes: ['gc'] });
    const t0 = process.hrtime.bigint();
    const out = step(state, inputs, START_US + k * TICK_US);
    const t1 = process.hrtime.bigint();
    if (k >= warmTicks) samples[k - warmTicks] = Number(t1 - t0) / 1_000;
    load.observe(out);
    // Let the GC observer deliver its entries (outside the timed section).
    if (k % 1_000 === 999) await yieldToEventLoop();
  }
  await yieldToEventLoop();
  const timedGcCount = gcCount;
  const timedGcMaxMs = gcMaxMs;

  // Allocation probe: inputs generated ahead, then heapUsed across a window of step() calls
  // only; a window in which a GC ran is discarded and tried again.
  const probeTicks = 500;
  let bytesPerTick = NaN;
  let outputsPerTick = NaN;
  for (let attempt = 0; attempt < 8 && Number.isNaN(bytesPerTick); attempt++) {
    const window: ControlInput[][] = [];
    for (let i = 0; i < probeTicks; i++) {
      const batch: ControlInput[] = [];
      load.fill(k + i, batch);
      window.push(batch);
    }
    const gcBefore = gcCount;
    let outputs = 0;
    const h0 = process.memoryUsage().heapUsed;
    for (let i = 0; i < probeTicks; i++) {
      const out = step(state, window[i]!, START_US + (k + i) * TICK_US);
      outputs += out.events.length + out.commands.length;
    }
    const h1 = process.memoryUsage().heapUsed;
    await yieldToEventLoop();
    k += probeTicks;
    if (gcCount === gcBefore && h1 >= h0) {
      bytesPerTick = (h1 - h0) / probeTicks;
      outputsPerTick = outputs / probeTicks;
    }
  }
  observer.disconnect();

  const sorted = Float64Array.from(samples).sort();
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  if (state.trackCount < tracks * 0.9) throw new Error(`only ${state.trackCount} of ${tracks} tracks held`);
  return {
    tracks,
    launchers: launcherCount,
    ticks: samples.length,
    p50Us: q(0.5),
    p99Us: q(0.99),
    p999Us: q(0.999),
    maxUs: sorted[sorted.length - 1]!,
    fires: load.fires,
    gcCount: timedGcCount,
    gcMaxMs: timedGcMaxMs,
    bytesPerTick,
    outputsPerTick,
  };
}

/** Measures the capacity configurations; resolves to per-configuration figures plus the capacity. */
export async function runCapacityBench(options: CapacityBenchOptions): Promise<BenchFigure[]> {
  const plan: [number, number][] = options.quick
    ? [[GOAL_TRACKS, GOAL_LAUNCHERS]]
    : [
        [250, 8],
        [1_000, 8],
        [2_000, 8],
        [4_000, 8],
        [8_000, 8],
        [1_000, 16],
        [1_000, 32],
      ];
  const warmupS = options.quick ? 2 : 3;
  const measureS = options.quick ? 3 : 10;
  const figures: BenchFigure[] = [];
  let capacity = 0;
  for (const [tracks, launchers] of plan) {
    const r = await measureCapacity(tracks, launchers, warmupS, measureS);
    const id = `control.capacity.${tracks}x${launchers}`;
    const goal = `<= ${BUDGET_US} us (50% of the ${TICK_US} us tick)`;
    figures.push({ name: `${id}.tick.p50`, value: r.p50Us, unit: 'us' });
    figures.push({
      name: `${id}.tick.p99`,
      value: r.p99Us,
      unit: 'us',
      goal,
      baseline: 'tick period',
      baselineValue: TICK_US,
    });
    figures.push({ name: `${id}.tick.p99.9`, value: r.p999Us, unit: 'us' });
    figures.push({ name: `${id}.tick.max`, value: r.maxUs, unit: 'us' });
    figures.push({ name: `${id}.fires`, value: r.fires, unit: 'FIREs' });
    figures.push({
      name: `${id}.gc.count`,
      value: r.gcCount,
      unit: 'GCs',
      baseline: 'ticks measured',
      baselineValue: r.ticks,
    });
    figures.push({ name: `${id}.gc.maxPause`, value: r.gcMaxMs * 1_000, unit: 'us' });
    figures.push({
      name: `${id}.heap.bytesPerTick`,
      value: r.bytesPerTick,
      unit: 'B/tick',
      goal: 'only the event and command objects emitted',
      baseline: 'events + commands per tick in the same window',
      baselineValue: r.outputsPerTick,
    });
    if (launchers === GOAL_LAUNCHERS && r.p99Us <= BUDGET_US && tracks > capacity) capacity = tracks;
  }
  figures.push({
    name: `control.capacity.maxTracks.${GOAL_LAUNCHERS}launchers`,
    value: capacity,
    unit: 'tracks',
    goal: `>= ${GOAL_TRACKS} tracks x ${GOAL_LAUNCHERS} launchers at p99 <= ${BUDGET_US} us`,
  });
  return figures;
}

function formatFigures(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.name,
    f.value.toFixed(f.unit === 'us' || f.unit === 'B/tick' ? 1 : 0),
    f.unit,
    f.goal ?? '',
    f.baselineValue === undefined ? '' : `${f.baseline}: ${Number(f.baselineValue.toFixed(3))}`,
  ]);
  return alignColumns(rows).join('\n');
}

await partMain(import.meta.url, async ({ quick }) => [formatFigures(await runCapacityBench({ quick }))]);
