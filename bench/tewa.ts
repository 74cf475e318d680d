/**
 * Threat evaluation and weapon assignment per tick: 1,000 ballistic and crossing tracks, 8
 * launchers, 20 defended assets (circles and polygons). Each measured tick re-evaluates EVERY
 * track (the worst case: in a run only tracks updated since the last tick are evaluated), sorts
 * the threat order by threat value, and solves a full candidate assignment (32 threats × 8
 * launchers, greedy maximum marginal return + local search). Goal: p99 within 50 % of a 1 ms tick.
 * Intercept solves are not included (the capacity group measures them).
 *
 * Beside the wall time: the process's CPU time per tick, the wall time of the ticks with no
 * involuntary context switch (so that a loaded machine's preemption can be told from the work),
 * the share of preempted ticks, the GCs during the timed ticks and the heap growth per tick over
 * GC-free windows.
 */
import { loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { mulberry32 } from '../src/common/mulberry32.js';
import { makeControlConfig, type DefendedAssetConfig } from '../src/control/index.js';
import { ThreatEvaluator } from '../src/control/threat-evaluator.js';
import { sortThreatOrder } from '../src/control/threat-order.js';
import {
  FILTER_EAST,
  FILTER_NORTH,
  FILTER_UP_BALLISTIC,
  FILTER_UP_CV,
  FILTERS_PER_TRACK,
} from '../src/control/filter-layout.js';
import { IFF_HOSTILE, MODEL_BALLISTIC, MODEL_CV, TrackTable } from '../src/control/track-table.js';
import { WeaponAssignment } from '../src/control/weapon-assignment.js';
import type { BenchFigure } from './bench-figure.js';
import { partMain } from './part-main.js';
import { summarize } from './percentiles.js';

const TRACKS = 1000;
const LAUNCHERS = 8;
const ASSETS = 20;
const CANDIDATES = 32;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function assets(rand: () => number): DefendedAssetConfig[] {
  return Array.from({ length: ASSETS }, (_, i) => {
    const eastM = (rand() - 0.5) * 30_000;
    const northM = (rand() - 0.5) * 30_000;
    const radiusM = 300 + rand() * 1500;
    return {
      id: `asset-${i}`,
      area:
        i % 2 === 0
          ? { kind: 'circle' as const, eastM, northM, radiusM }
          : {
              kind: 'polygon' as const,
              vertices: [
                { eastM: eastM - radiusM, northM: northM - radiusM },
                { eastM: eastM + radiusM, northM: northM - radiusM },
                { eastM: eastM + radiusM, northM: northM + radiusM },
                { eastM: eastM - radiusM, northM: northM + radiusM },
              ],
            },
      minAltitudeM: 0,
      maxAltitudeM: 2000,
      value: 1 + Math.floor(rand() * 10),
      keepOut: [],
    };
  });
}

export async function runTewaBench({ quick }: { quick: boolean }): Promise<BenchFigure[]> {
  const rand = mulberry32(16);
  const config = makeControlConfig({
    radars: [{ id: 'r' }],
    launchers: Array.from({ length: LAUNCHERS }, (_, i) => ({
      id: `l${i}`,
      position: { eastM: i * 1000, northM: 0, upM: 0 },
      flyout: { launchDelayMs: 250, speedMps: 1500 },
      envelope: { minRangeM: 2000, maxRangeM: 40_000, maxAltitudeM: 25_000 },
      slewRateDegPerS: 90,
      rounds: 16,
    })),
    defendedAssets: assets(rand),
    tracking: { maxTracks: TRACKS },
  });
  const table = new TrackTable(TRACKS, 1);
  for (let i = 0; i < TRACKS; i++) {
    const slot = table.allocate(0);
    const ballistic = i % 4 !== 0;
    table.model[slot] = ballistic ? MODEL_BALLISTIC : MODEL_CV;
    table.iff[slot] = IFF_HOSTILE;
    table.hits[slot] = 5;
    const o = slot * FILTERS_PER_TRACK;
    // Aimed around the defended region from 40–80 km out, so that many ellipses touch an asset.
    const aimE = (rand() - 0.5) * 40_000;
    const aimN = (rand() - 0.5) * 40_000;
    const bearing = rand() * 2 * Math.PI;
    const flightS = 40 + rand() * 40;
    const speed = ballistic ? 1000 : 250;
    const e = aimE + Math.sin(bearing) * speed * flightS;
    const n = aimN + Math.cos(bearing) * speed * flightS;
    table.filters.set([e, -Math.sin(bearing) * speed, 400, 20, 25], o + FILTER_EAST);
    table.filters.set([n, -Math.cos(bearing) * speed, 400, 20, 25], o + FILTER_NORTH);
    const up = ballistic ? 9.80665 * flightS * 0.5 * flightS * 0.6 : 300 + rand() * 500;
    table.filters.set(
      [up, ballistic ? -0.2 * 9.80665 * flightS : 0, 400, 20, 25],
      o + (ballistic ? FILTER_UP_BALLISTIC : FILTER_UP_CV),
    );
  }
  const evaluator = new ThreatEvaluator(config);
  const assignment = new WeaponAssignment(CANDIDATES, LAUNCHERS);
  const ticks = quick ? 2_000 : 20_000;
  const warmTicks = 200;
  const samples: number[] = [];
  /** Wall time of the ticks during which the process was not preempted (no involuntary switch). */
  const unpreempted: number[] = [];
  const cpuSamples: number[] = [];
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    gcCount += list.getEntries().length;
  });
  const tick = (k: number): void => {
    // Different intercept tables each tick, built outside the timed section.
    for (let c = 0; c < CANDIDATES; c++) {
      assignment.weight[c] = rand() * 10;
      for (let l = 0; l < LAUNCHERS; l++)
        assignment.interceptAtUs[c * LAUNCHERS + l] = rand() < 0.3 ? Infinity : 1e6 + rand() * 3e7;
    }
    assignment.threats = CANDIDATES;
    assignment.launchers = LAUNCHERS;
    const switches0 = k >= warmTicks ? process.resourceUsage().involuntaryContextSwitches : 0;
    const cpu0 = k >= warmTicks ? process.cpuUsage() : undefined;
    const t0 = process.hrtime.bigint();
    evaluator.evaluate(table, true);
    sortThreatOrder(table, evaluator.threatValue);
    assignment.solve(config.doctrine.maxLocalSearchMoves);
    const t1 = process.hrtime.bigint();
    if (cpu0 !== undefined) {
      const cpu = process.cpuUsage(cpu0);
      const wallUs = Number(t1 - t0) / 1000;
      samples.push(wallUs);
      cpuSamples.push(cpu.user + cpu.system);
      if (process.resourceUsage().involuntaryContextSwitches === switches0) unpreempted.push(wallUs);
    }
  };
  for (let k = 0; k < warmTicks; k++) tick(k);
  observer.observe({ entryTypes: ['gc'] });
  for (let k = warmTicks; k < ticks + warmTicks; k++) {
    tick(k);
    if (k % 100 === 99) await yieldToEventLoop(); // lets the observer count the GCs
  }
  await yieldToEventLoop();
  observer.disconnect();
  // Allocation probe: heap growth across evaluation-only windows (a window with a GC is retried).
  let bytesPerTick = NaN;
  for (let attempt = 0; attempt < 8 && Number.isNaN(bytesPerTick); attempt++) {
    const gcBefore = gcCount;
    observer.observe({ entryTypes: ['gc'] });
    const h0 = process.memoryUsage().heapUsed;
    for (let k = 0; k < 200; k++) {
      evaluator.evaluate(table, true);
      sortThreatOrder(table, evaluator.threatValue);
      assignment.solve(config.doctrine.maxLocalSearchMoves);
    }
    const h1 = process.memoryUsage().heapUsed;
    await yieldToEventLoop();
    observer.disconnect();
    if (gcCount === gcBefore && h1 >= h0) bytesPerTick = (h1 - h0) / 200;
  }
  let threatened = 0;
  for (let s = 0; s < TRACKS; s++) if (evaluator.threatValue[s]! > 0) threatened++;
  const s = summarize(samples);
  const cpu = summarize(cpuSamples);
  const quiet = summarize(unpreempted);
  const goal = '<= 500 us (50 % of a 1 ms tick)';
  return [
    { name: 'tewa.tick.p50', value: s.p50, unit: 'us' },
    { name: 'tewa.tick.p99', value: s.p99, unit: 'us', goal },
    { name: 'tewa.tick.max', value: s.max, unit: 'us' },
    { name: 'tewa.tick.cpu.p50', value: cpu.p50, unit: 'us CPU' },
    { name: 'tewa.tick.cpu.p99', value: cpu.p99, unit: 'us CPU' },
    { name: 'tewa.tick.unpreempted.p50', value: quiet.p50, unit: 'us' },
    { name: 'tewa.tick.unpreempted.p99', value: quiet.p99, unit: 'us' },
    {
      name: 'tewa.ticks.preempted',
      value: (100 * (samples.length - unpreempted.length)) / samples.length,
      unit: '% of ticks',
    },
    { name: 'tewa.gc.count', value: gcCount, unit: 'GCs' },
    { name: 'tewa.heap.bytesPerTick', value: bytesPerTick, unit: 'B/tick' },
    { name: 'tewa.tracks-threatening-an-asset', value: threatened, unit: 'tracks' },
    { name: 'tewa.load-average', value: loadavg()[0]!, unit: 'load' },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runTewaBench({ quick })).map((f) => `${f.name}  ${f.value.toFixed(1)} ${f.unit}  ${f.goal ?? ''}`),
);
