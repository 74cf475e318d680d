import fc from 'fast-check';
import t from 'tap';
import { vecArb } from './vec-arb.js';
import { scenarioSchema } from '../../src/config/scenario-schema.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { DeviceClock } from '../../firmware-sim/device-clock.js';
import { Prng } from '../../firmware-sim/prng.js';
import { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { closestApproach } from '../../firmware-sim/world/closest-approach.js';
import { cubicRootsIn } from '../../firmware-sim/world/polynomial-roots.js';
import { GRAVITY_MPS2, groundImpactUs, motionOf, positionAt } from '../../firmware-sim/world/target-motion.js';
import { vec } from '../../firmware-sim/world/vector3.js';
import { World } from '../../firmware-sim/world/world.js';

const ballistic = {
  id: 'b',
  kind: 'ballistic' as const,
  startS: 2,
  position: { eastM: 1000, northM: -2000, upM: 3000 },
  velocity: { eastMps: 120, northMps: 80, upMps: 150 },
  iff: 'hostile' as const,
  detectability: 1,
};

t.test('ballistic motion matches the closed form; impact time solves up = 0', async (t) => {
  const m = motionOf(ballistic, 0);
  for (const tauS of [0, 0.5, 7.25, 20]) {
    const p = positionAt(m, 2e6 + tauS * 1e6);
    t.ok(Math.abs(p.x - (1000 + 120 * tauS)) < 1e-9);
    t.ok(Math.abs(p.y - (-2000 + 80 * tauS)) < 1e-9);
    t.ok(Math.abs(p.z - (3000 + 150 * tauS - 0.5 * GRAVITY_MPS2 * tauS * tauS)) < 1e-9);
  }
  const impactUs = groundImpactUs(m)!;
  const tau = (150 + Math.sqrt(150 ** 2 + 2 * GRAVITY_MPS2 * 3000)) / GRAVITY_MPS2;
  t.ok(Math.abs(impactUs - (2e6 + tau * 1e6)) < 1e-3, `impact at ${impactUs}`);
  t.ok(Math.abs(positionAt(m, impactUs).z) < 1e-6);
  const level = motionOf(
    { ...ballistic, kind: 'constant-velocity', velocity: { eastMps: 1, northMps: 0, upMps: 0 } },
    0,
  );
  t.equal(groundImpactUs(level), undefined, 'a level constant-velocity target never lands');
  const diving = motionOf(
    { ...ballistic, kind: 'constant-velocity', velocity: { eastMps: 1, northMps: 0, upMps: -30 } },
    0,
  );
  t.equal(groundImpactUs(diving), 2e6 + 100e6);
});

t.test('the world logs truth samples on the closed form, and the impact of a hostile as a leaker', async (t) => {
  const clock = new VirtualClock();
  const truth = new MemoryTruthSink();
  const scenario = scenarioSchema.parse({ seed: 1, durationS: 60, truthSampleMs: 250, targets: [ballistic] });
  const world = new World({ scenario, clock, truth, powerOnUs: 0 });
  world.start();
  await clock.runUntil(60e6);
  const samples = truth.ofKind('target');
  t.ok(samples.length > 100);
  for (const s of samples) {
    const tau = s.tUs / 1e6 - 2;
    t.ok(Math.abs(s.upM - (3000 + 150 * tau - 0.5 * GRAVITY_MPS2 * tau * tau)) < 1e-6);
    t.ok(Math.abs(s.upMps - (150 - GRAVITY_MPS2 * tau)) < 1e-9);
  }
  t.equal(samples[0]!.tUs, 2e6, 'appears at startS');
  const [impact] = truth.ofKind('impact');
  t.match(impact, { targetId: 'b', leaker: true, iff: 'hostile' });
  t.equal(world.totals.leakers, 1);
});

t.test('closest approach: exact cases and never worse than dense sampling (property)', async (t) => {
  // Head-on pass offset by 10 m: minimum 10 m at tau = 5 s.
  const pass = closestApproach(vec(-500, 10, 0), vec(100, 0, 0), vec(0, 0, 0), 10);
  t.ok(Math.abs(pass.tauS - 5) < 1e-9 && Math.abs(pass.distanceM - 10) < 1e-9);
  // Receding: minimum at the start.
  t.same(closestApproach(vec(100, 0, 0), vec(10, 0, 0), vec(0, 0, 0), 5), { tauS: 0, distanceM: 100 });
  // A fast crossing between two 10 ms samples is still found.
  const fast = closestApproach(vec(-30, 1, 0), vec(6000, 0, 0), vec(0, 0, 0), 0.01);
  t.ok(Math.abs(fast.distanceM - 1) < 1e-9, `fast crossing ${fast.distanceM}`);
  fc.assert(
    fc.property(
      vecArb(2000),
      vecArb(1500),
      vecArb(10),
      fc.double({ min: 0.001, max: 5, noNaN: true }),
      (a, b, c, h) => {
        const result = closestApproach(a, b, c, h);
        for (let i = 0; i <= 400; i++) {
          const tau = (h * i) / 400;
          const d = Math.hypot(
            a.x + b.x * tau + c.x * tau * tau,
            a.y + b.y * tau + c.y * tau * tau,
            a.z + b.z * tau + c.z * tau * tau,
          );
          if (d < result.distanceM - 1e-6 * (1 + d)) return false;
        }
        return result.tauS >= 0 && result.tauS <= h;
      },
    ),
    { seed: 1234, numRuns: 300 },
  );
});

t.test('cubic roots in an interval', async (t) => {
  const roots = cubicRootsIn(1, -6, 11, -6, 0, 10); // (t-1)(t-2)(t-3)
  t.equal(roots.length, 3);
  roots.forEach((r, i) => t.ok(Math.abs(r - (i + 1)) < 1e-9));
  t.same(cubicRootsIn(0, 0, 2, -4, 0, 10), [2]);
  t.same(cubicRootsIn(0, 0, 0, 1, 0, 10), []);
  t.same(cubicRootsIn(1, -6, 11, -6, 1.5, 2.5).length, 1);
});

t.test('device clock: offset, drift, monotonic integers, exact inverse', async (t) => {
  const shared = new VirtualClock();
  const device = new DeviceClock(shared, { offsetUs: 2_500_000, driftPpm: 50, powerOnUs: 0 });
  t.equal(device.nowUs(), 2_500_000);
  t.equal(device.toDeviceUs(1_000_000), 2_500_000 + 1_000_050);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 40 }),
      fc.integer({ min: -500, max: 500 }),
      fc.integer({ min: 0, max: 1e9 }),
      (d, ppm, offset) => {
        const clock = new DeviceClock(shared, { offsetUs: offset, driftPpm: ppm, powerOnUs: 1000 });
        const target = offset + d;
        const at = clock.toSharedUs(target);
        return clock.toDeviceUs(at) === target && Number.isInteger(clock.toDeviceUs(at + 0.5));
      },
    ),
    { seed: 99, numRuns: 500 },
  );
  let last = -1;
  for (let s = 0; s < 1e6; s += 977.3) {
    const d = device.toDeviceUs(s);
    t.ok(d >= last);
    last = d;
    if (s > 20_000) break;
  }
});

t.test('prng: seeded, named streams independent, roughly uniform and Gaussian', async (t) => {
  const a = new Prng(7, 'radar-1/noise');
  const b = new Prng(7, 'radar-1/noise');
  const c = new Prng(7, 'radar-2/noise');
  const d = new Prng(8, 'radar-1/noise');
  const seqA = Array.from({ length: 10 }, () => a.nextU32());
  t.same(
    seqA,
    Array.from({ length: 10 }, () => b.nextU32()),
    'same seed and stream → same numbers',
  );
  t.not(seqA[0], c.nextU32());
  t.not(seqA[0], d.nextU32());
  const p = new Prng(1, 'stats');
  const n = 20000;
  const u = Array.from({ length: n }, () => p.next());
  const mean = u.reduce((s, x) => s + x, 0) / n;
  t.ok(Math.abs(mean - 0.5) < 0.01 && u.every((x) => x >= 0 && x < 1));
  const g = Array.from({ length: n }, () => p.normal(3, 2));
  const gm = g.reduce((s, x) => s + x, 0) / n;
  const gsd = Math.sqrt(g.reduce((s, x) => s + (x - gm) ** 2, 0) / n);
  t.ok(Math.abs(gm - 3) < 0.05 && Math.abs(gsd - 2) < 0.05, `${gm} ${gsd}`);
  const counts = Array.from({ length: 2000 }, () => p.poisson(0.7));
  t.ok(Math.abs(counts.reduce((s, x) => s + x, 0) / 2000 - 0.7) < 0.06);
});
