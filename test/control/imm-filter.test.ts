import t from 'tap';
import { scenarioSchema, targetSchema } from '../../src/config/scenario-schema.js';
import { DEFAULT_TRACKING_CONFIG } from '../../src/control/control-config.js';
import {
  IMM_BALLISTIC,
  IMM_CV,
  IMM_DRAG,
  IMM_MANOEUVRE,
  IMM_PROB,
  IMM_STRIDE,
} from '../../src/control/filter-layout.js';
import { ImmFilter } from '../../src/control/imm-filter.js';
import { chiSquareQuantile } from '../../src/common/chi-square.js';
import { SimTarget } from '../../firmware-sim/world/sim-target.js';
import { Prng } from '../../firmware-sim/prng.js';

const T = DEFAULT_TRACKING_CONFIG;
const params = {
  cvProcessNoiseM2PerS3: T.processNoiseM2PerS3,
  ballisticProcessNoiseM2PerS3: T.immBallisticProcessNoiseM2PerS3,
  manoeuvreProcessNoiseM2PerS3: T.immManoeuvreProcessNoiseM2PerS3,
  dragBallisticCoefficientKgPerM2: T.immDragBallisticCoefficientKgPerM2,
  stayProbability: T.immStayProbability,
  gravityMps2: T.gravityMps2,
};

interface Run {
  /** Per time step: NEES of the combined position averaged over the Monte Carlo runs. */
  meanNees: number[];
  /** The 95 % band of such an average (3 dof × runs). */
  band: [number, number];
  /** Share of time steps whose average is inside the band. */
  insideShare: number;
  /** Mean model probabilities over the second half. */
  meanProbability: number[];
  rmsErrorM: number;
}

const RUNS = 40;

/**
 * Monte Carlo NEES (Bar-Shalom, Li & Kirubarajan §5.4): RUNS runs of a radar measuring position
 * (5 m) and velocity (3 m/s, 1σ) every 0.5 s of a scenario target (the simulator's own flight
 * model as truth); per time step the position NEES averaged over the runs, against its band.
 */
function track(spec: Record<string, unknown>, seconds: number, settleS = 10): Run {
  const target = new SimTarget(targetSchema.parse({ id: 't', iff: 'hostile', ...spec }), 0, 0, seconds * 1e6);
  const endS = Math.min(seconds, (target.impactUs ?? Infinity) / 1e6 - 1);
  const steps = Math.floor(endS / 0.5) + 1;
  const neesSum = new Float64Array(steps);
  const probSum = [0, 0, 0, 0];
  let probN = 0;
  let err2 = 0;
  let errN = 0;
  const imm = new ImmFilter(params);
  const block = new Float64Array(IMM_STRIDE);
  const combined = new Float64Array(15);
  const z = new Float64Array(6);
  const sp = 5;
  const sv = 3;
  for (let run = 0; run < RUNS; run++) {
    const prng = new Prng(16 + run, 'imm-test');
    for (let k = 0; k < steps; k++) {
      const s = k * 0.5;
      const p = target.positionAt(s * 1e6);
      const v = target.velocityAt(s * 1e6);
      z[0] = p.x + prng.normal(0, sp);
      z[1] = p.y + prng.normal(0, sp);
      z[2] = p.z + prng.normal(0, sp);
      z[3] = v.x + prng.normal(0, sv);
      z[4] = v.y + prng.normal(0, sv);
      z[5] = v.z + prng.normal(0, sv);
      if (k === 0) imm.init(block, 0, z, sp * sp, sv * sv);
      else imm.update(block, 0, 0.5, z, sp * sp, sv * sv);
      for (let axis = 0; axis < 3; axis++) imm.combineAxis(block, 0, axis, combined, axis * 5);
      const truth = [p.x, p.y, p.z];
      for (let axis = 0; axis < 3; axis++) {
        const e = combined[axis * 5]! - truth[axis]!;
        neesSum[k]! += (e * e) / combined[axis * 5 + 2]!;
        if (s >= settleS) {
          err2 += e * e;
          errN++;
        }
      }
      if (k > steps / 2) {
        for (let j = 0; j < 4; j++) probSum[j]! += block[IMM_PROB + j]!;
        probN++;
      }
    }
  }
  const band: [number, number] = [chiSquareQuantile(0.025, 3 * RUNS) / RUNS, chiSquareQuantile(0.975, 3 * RUNS) / RUNS];
  const meanNees = Array.from(neesSum, (x) => x / RUNS);
  const judged = meanNees.filter((_, k) => k * 0.5 >= settleS);
  const inside = judged.filter((x) => x >= band[0] && x <= band[1]).length;
  return {
    meanNees,
    band,
    insideShare: inside / judged.length,
    meanProbability: probSum.map((x) => x / probN),
    rmsErrorM: Math.sqrt(err2 / errN),
  };
}

/**
 * Never over-confident: at least 90 % of time steps' run-averaged NEES at or below the band's
 * upper bound (a filter above it gates targets out and under-states its miss). The IMM's mixture
 * is somewhat conservative (mean NEES ≈ 2.5 for 3 dof in these runs): bounded below at 2.
 */
const inBand = (t: { ok: (value: boolean, message: string) => void }, name: string, r: Run): void => {
  const judged = r.meanNees.filter((_, k) => k * 0.5 >= 10);
  const avg = judged.reduce((a, b) => a + b, 0) / judged.length;
  const belowUpper = judged.filter((x) => x <= r.band[1]).length / judged.length;
  t.ok(
    belowUpper >= 0.9,
    `${name}: ${(100 * belowUpper).toFixed(1)} % of time steps at or below ${r.band[1].toFixed(2)}; ${(100 * r.insideShare).toFixed(1)} % inside [${r.band[0].toFixed(2)}, ${r.band[1].toFixed(2)}] (rms ${r.rmsErrorM.toFixed(1)} m)`,
  );
  t.ok(avg >= 2 && avg <= r.band[1], `${name}: mean NEES ${avg.toFixed(2)} (3 dof)`);
};

t.test('constant velocity: consistent, and the constant-velocity model wins', async (t) => {
  const r = track(
    {
      kind: 'constant-velocity',
      position: { eastM: 40_000, northM: 0, upM: 3000 },
      velocity: { eastMps: -250, northMps: 30, upMps: 0 },
    },
    120,
  );
  inBand(t, 'cv', r);
  t.ok(r.meanProbability[IMM_CV]! > 0.5, `μ(cv) ${r.meanProbability[IMM_CV]!.toFixed(2)}`);
});

t.test('drag-free ballistic: consistent, a ballistic model wins', async (t) => {
  const r = track(
    {
      kind: 'ballistic',
      position: { eastM: 70_000, northM: 25_000, upM: 19_000 },
      velocity: { eastMps: -766, northMps: -279, upMps: 245 },
    },
    90,
  );
  inBand(t, 'ballistic', r);
  const b = r.meanProbability[IMM_BALLISTIC]! + r.meanProbability[IMM_DRAG]!;
  t.ok(b > 0.6, `μ(ballistic)+μ(drag) ${b.toFixed(2)}`);
});

t.test('ballistic with drag (re-entry): consistent', async (t) => {
  const r = track(
    {
      kind: 'ballistic',
      position: { eastM: 70_000, northM: 25_000, upM: 19_000 },
      velocity: { eastMps: -766, northMps: -279, upMps: 245 },
      ballisticCoefficientKgPerM2: 5000,
    },
    90,
  );
  inBand(t, 'drag', r);
  t.ok(r.meanProbability[IMM_DRAG]! > r.meanProbability[IMM_CV]!, `μ(drag) ${r.meanProbability[IMM_DRAG]!.toFixed(2)}`);
});

t.test('weaving at 4 g: consistent; the manoeuvre model carries it', async (t) => {
  const r = track(
    {
      kind: 'constant-velocity',
      position: { eastM: 45_000, northM: 0, upM: 300 },
      velocity: { eastMps: -280, northMps: 0, upMps: 0 },
      manoeuvres: [{ type: 'weave', atS: 0, durationS: 140, accelerationG: 4, periodS: 8 }],
    },
    140,
  );
  inBand(t, 'weave', r);
  t.ok(r.meanProbability[IMM_MANOEUVRE]! > 0.3, `μ(manoeuvre) ${r.meanProbability[IMM_MANOEUVRE]!.toFixed(2)}`);
});

t.test('the IMM allocates nothing per update', async (t) => {
  const imm = new ImmFilter(params);
  const block = new Float64Array(IMM_STRIDE * 64);
  const z = Float64Array.of(1000, 2000, 3000, -200, 10, 0);
  for (let s = 0; s < 64; s++) imm.init(block, s * IMM_STRIDE, z, 25, 9);
  for (let i = 0; i < 2000; i++) imm.update(block, (i % 64) * IMM_STRIDE, 0.5, z, 25, 9);
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 200_000; i++) imm.update(block, (i % 64) * IMM_STRIDE, 0.5, z, 25, 9);
  const grownKb = (process.memoryUsage().heapUsed - before) / 1024;
  t.ok(grownKb < 512, `heap grew ${grownKb.toFixed(0)} KiB over 200000 updates`);
  t.ok(scenarioSchema !== undefined);
});
