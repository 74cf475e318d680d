/**
 * Threat evaluation and weapon assignment per tick: 1,000 ballistic and crossing tracks, 8
 * launchers, 20 defended assets (circles and polygons). Each measured tick re-evaluates EVERY
 * track (the worst case: in a run only tracks updated since the last tick are evaluated), sorts
 * the threat order by threat value, and solves a full candidate assignment (32 threats × 8
 * launchers, greedy maximum marginal return + local search). Goal: p99 within 50 % of a 1 ms tick.
 * Intercept solves are not included (the capacity group measures them).
 */
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
  const samples: number[] = [];
  for (let tick = 0; tick < ticks + 200; tick++) {
    // Different intercept tables each tick, built outside the timed section.
    for (let c = 0; c < CANDIDATES; c++) {
      assignment.weight[c] = rand() * 10;
      for (let l = 0; l < LAUNCHERS; l++)
        assignment.interceptAtUs[c * LAUNCHERS + l] = rand() < 0.3 ? Infinity : 1e6 + rand() * 3e7;
    }
    assignment.threats = CANDIDATES;
    assignment.launchers = LAUNCHERS;
    const t0 = process.hrtime.bigint();
    evaluator.evaluate(table, true);
    sortThreatOrder(table, evaluator.threatValue);
    assignment.solve(config.doctrine.maxLocalSearchMoves);
    const t1 = process.hrtime.bigint();
    if (tick >= 200) samples.push(Number(t1 - t0) / 1000);
  }
  let threatened = 0;
  for (let s = 0; s < TRACKS; s++) if (evaluator.threatValue[s]! > 0) threatened++;
  const s = summarize(samples);
  const goal = '<= 500 us (50 % of a 1 ms tick)';
  return [
    { name: 'tewa.tick.p50', value: s.p50, unit: 'us' },
    { name: 'tewa.tick.p99', value: s.p99, unit: 'us', goal },
    { name: 'tewa.tick.max', value: s.max, unit: 'us' },
    { name: 'tewa.tracks-threatening-an-asset', value: threatened, unit: 'tracks' },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runTewaBench({ quick })).map((f) => `${f.name}  ${f.value.toFixed(1)} ${f.unit}  ${f.goal ?? ''}`),
);
