import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { vecArb } from './vec-arb.js';
import { type ScenarioTarget, scenarioSchema } from '../../src/config/scenario-schema.js';
import { type Approach, ApproachSweep } from '../../firmware-sim/world/approach-sweep.js';
import { clearanceHorizonS, closestApproach } from '../../firmware-sim/world/closest-approach.js';
import { Interceptor, type InterceptorSpec } from '../../firmware-sim/world/interceptor.js';
import { PairWatch } from '../../firmware-sim/world/pair-watch.js';
import { SimTarget } from '../../firmware-sim/world/sim-target.js';
import { norm, scale, sub, vec } from '../../firmware-sim/world/vector3.js';

t.test('clearance horizon: the exact closest approach up to it never comes within the threshold', async (t) => {
  t.equal(clearanceHorizonS(100, 10, 0, 50), 5, 'constant velocity: slack / |b|');
  t.equal(clearanceHorizonS(40, 10, 0, 50), 0, 'already within the threshold');
  t.equal(clearanceHorizonS(100, 0, 0, 50), Infinity, 'nothing moves');
  t.equal(clearanceHorizonS(100, 0, 2, 50), 5, 'accelerating from rest: sqrt(slack / |c|)');
  t.equal(clearanceHorizonS(100, 10, 0, Infinity), 0, 'an infinite threshold is never clear');
  fc.assert(
    fc.property(
      vecArb(20_000),
      vecArb(3000),
      vecArb(10),
      fc.double({ min: 0, max: 5000, noNaN: true }),
      (a, b, c, thresholdM) => {
        const horizonS = clearanceHorizonS(norm(a), norm(b), norm(c), thresholdM);
        if (horizonS === 0) return true;
        const spanS = Math.min(horizonS, 1e4);
        return closestApproach(a, b, c, spanS).distanceM >= thresholdM * (1 - 1e-12) - 1e-9;
      },
    ),
    { seed: 4242, numRuns: 2000 },
  );
  // Head-on and accelerating straight in, the bound is exact: the horizon is when it reaches the threshold.
  fc.assert(
    fc.property(
      fc.double({ min: 100, max: 50_000, noNaN: true }),
      fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 3000, noNaN: true })),
      fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 10, noNaN: true })),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (aM, bMps, cMps2, fraction) => {
        const thresholdM = fraction * aM;
        const horizonS = clearanceHorizonS(aM, bMps, cMps2, thresholdM);
        if (bMps === 0 && cMps2 === 0) return horizonS === (thresholdM < aM ? Infinity : 0);
        const atHorizonM = aM - bMps * horizonS - cMps2 * horizonS * horizonS;
        return Math.abs(atHorizonM - thresholdM) <= 1e-9 * aM;
      },
    ),
    { seed: 4243, numRuns: 2000 },
  );
});

interface Outcome {
  detonations: { interceptorId: string; targetId: string; atUs: number; missM: number }[];
  best: ({ targetId: string; missM: number; atUs: number } | undefined)[];
}

interface Geometry {
  targets: ScenarioTarget[];
  launches: (InterceptorSpec & { aimAtIndex: number })[];
  /** Sweep boundaries, µs, increasing. */
  stepsUs: number[];
}

/** The physics as it was before the sweep skipped anything: every flying pair, every step. */
function exhaustiveAdvance(
  interceptors: readonly Interceptor[],
  targets: readonly SimTarget[],
  fromUs: number,
  tUs: number,
  detonate: (d: Approach) => void,
): void {
  const detonations: Approach[] = [];
  const approaches: Approach[] = [];
  for (const interceptor of interceptors) {
    if (!interceptor.alive) continue;
    const startUs = Math.max(fromUs, interceptor.spec.motionStartUs);
    const icEndUs = Math.min(tUs, interceptor.naturalEndUs);
    if (startUs >= icEndUs) continue;
    for (const target of targets) {
      const segStart = Math.max(startUs, target.motion.startUs);
      const segEnd = Math.min(icEndUs, target.endUs);
      if (segStart >= segEnd) continue;
      const hS = (segEnd - segStart) / 1e6;
      const a = sub(target.positionAt(segStart), interceptor.positionAt(segStart));
      const b = sub(target.velocityAt(segStart), interceptor.velocity);
      const c = scale(target.motion.a, 0.5);
      const ca = closestApproach(a, b, c, hS);
      const atUs = segStart + ca.tauS * 1e6;
      approaches.push({ interceptor, target, missM: ca.distanceM, atUs });
      const interior = ca.tauS < hS || segEnd === interceptor.naturalEndUs || segEnd === target.endUs;
      if (ca.distanceM <= interceptor.spec.lethalRadiusM && interior) {
        detonations.push({ interceptor, target, atUs, missM: ca.distanceM });
      }
    }
  }
  detonations.sort(
    (x, y) =>
      x.atUs - y.atUs ||
      x.interceptor.spec.motionStartUs - y.interceptor.spec.motionStartUs ||
      (x.interceptor.id < y.interceptor.id ? -1 : x.interceptor.id > y.interceptor.id ? 1 : 0) ||
      x.target.index - y.target.index,
  );
  for (const d of detonations) {
    if (!d.interceptor.alive || !d.target.isFlyingAt(d.atUs)) continue;
    detonate(d);
  }
  for (const a of approaches) {
    const deathUs = a.interceptor.alive ? Infinity : (a.interceptor.best?.atUs ?? Infinity);
    if (a.atUs <= deathUs) a.interceptor.noteApproach(a.target.id, a.missM, a.atUs);
  }
}

/** Fly a geometry with either physics; the detonation rule is the world's. */
function fly(g: Geometry, exhaustive: boolean): Outcome {
  const targets = g.targets.map((spec, i) => new SimTarget(spec, i, 0));
  const interceptors: Interceptor[] = [];
  const sweep = new ApproachSweep(targets);
  const detonations: Outcome['detonations'] = [];
  const detonate = (d: Approach): void => {
    detonations.push({ interceptorId: d.interceptor.id, targetId: d.target.id, atUs: d.atUs, missM: d.missM });
    d.target.markDestroyed(d.atUs);
    const center = d.interceptor.positionAt(d.atUs);
    for (const other of targets) {
      if (other === d.target || !other.isFlyingAt(d.atUs)) continue;
      if (norm(sub(other.positionAt(d.atUs), center)) <= d.interceptor.spec.lethalRadiusM) {
        other.markDestroyed(d.atUs);
      }
    }
    d.interceptor.best = { targetId: d.target.id, missM: d.missM, atUs: d.atUs };
    d.interceptor.alive = false;
  };
  const launches = [...g.launches].sort((x, y) => x.motionStartUs - y.motionStartUs);
  let fromUs = 0;
  const advance = (toUs: number): void => {
    if (toUs <= fromUs) return;
    if (exhaustive) exhaustiveAdvance(interceptors, targets, fromUs, toUs, detonate);
    else sweep.advance(fromUs, toUs, detonate);
    fromUs = toUs;
  };
  for (const stepUs of g.stepsUs) {
    while (launches.length > 0 && launches[0]!.motionStartUs <= stepUs) {
      const spec = launches.shift()!;
      advance(spec.motionStartUs);
      const interceptor = new Interceptor(spec);
      interceptors.push(interceptor);
      sweep.track(interceptor);
    }
    advance(stepUs);
  }
  return { detonations, best: interceptors.map((i) => (i.best === undefined ? undefined : { ...i.best })) };
}

const targetArb = fc
  .record({
    ballistic: fc.boolean(),
    startS: fc.double({ min: 0, max: 10, noNaN: true }),
    east: fc.double({ min: -20_000, max: 20_000, noNaN: true }),
    north: fc.double({ min: -20_000, max: 20_000, noNaN: true }),
    up: fc.double({ min: 500, max: 12_000, noNaN: true }),
    vEast: fc.double({ min: -700, max: 700, noNaN: true }),
    vNorth: fc.double({ min: -700, max: 700, noNaN: true }),
    vUp: fc.double({ min: -300, max: 300, noNaN: true }),
  })
  .map((r) => ({
    kind: r.ballistic ? ('ballistic' as const) : ('constant-velocity' as const),
    startS: r.startS,
    position: { eastM: r.east, northM: r.north, upM: r.up },
    velocity: { eastMps: r.vEast, northMps: r.vNorth, upMps: r.vUp },
    iff: 'hostile' as const,
  }));

const launchArb = fc.record({
  aimAtIndex: fc.nat(),
  launchS: fc.double({ min: 0, max: 8, noNaN: true }),
  origin: vecArb(3000).map((v) => vec(v.x, v.y, 0)),
  missOffset: vecArb(60),
  speedMps: fc.double({ min: 900, max: 2000, noNaN: true }),
  lethalRadiusM: fc.double({ min: 5, max: 60, noNaN: true }),
  maxFlightTimeS: fc.double({ min: 5, max: 30, noNaN: true }),
});

/** Interceptors aimed near a target's predicted position (a few iterations of the time of flight), so that kills, near misses and clean misses all happen. */
const geometryArb: fc.Arbitrary<Geometry> = fc
  .record({
    targets: fc.array(targetArb, { minLength: 1, maxLength: 7 }),
    launches: fc.array(launchArb, { minLength: 1, maxLength: 5 }),
    steps: fc.array(fc.oneof(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 20_000, max: 1_500_000 })), {
      minLength: 50,
      maxLength: 600,
    }),
  })
  .map(({ targets, launches, steps }) => {
    const specs = scenarioSchema.parse({
      seed: 1,
      durationS: 60,
      targets: targets.map((target, i) => ({ ...target, id: `t${i}` })),
    }).targets;
    const probes = specs.map((spec, i) => new SimTarget(spec, i, 0));
    const stepsUs: number[] = [];
    let nowUs = 0;
    for (const stepUs of steps) stepsUs.push((nowUs += stepUs));
    return {
      targets: specs,
      launches: launches.map((l, i) => {
        const target = probes[l.aimAtIndex % probes.length]!;
        const motionStartUs = Math.round(l.launchS * 1e6);
        let interceptUs = motionStartUs;
        for (let k = 0; k < 6; k++) {
          const rangeM = norm(sub(target.positionAt(interceptUs), l.origin));
          interceptUs = motionStartUs + (rangeM / l.speedMps) * 1e6;
        }
        const p = target.positionAt(interceptUs);
        return {
          id: `i${i}`,
          launcherId: 'l',
          commandId: i,
          origin: l.origin,
          aim: vec(p.x + l.missOffset.x, p.y + l.missOffset.y, p.z + l.missOffset.z),
          speedMps: l.speedMps,
          lethalRadiusM: l.lethalRadiusM,
          motionStartUs,
          maxFlightTimeS: l.maxFlightTimeS,
          aimAtIndex: l.aimAtIndex,
        };
      }),
      stepsUs,
    };
  });

t.test('the sweep skips only pairs that cannot matter: same kills and closest approaches, bit for bit', async (t) => {
  let detonations = 0;
  let interceptors = 0;
  fc.assert(
    fc.property(geometryArb, (g) => {
      const fast = fly(g, false);
      const reference = fly(g, true);
      detonations += reference.detonations.length;
      interceptors += reference.best.length;
      return isDeepStrictEqual(fast, reference);
    }),
    { seed: 77, numRuns: 60 },
  );
  t.ok(detonations > interceptors / 4, `geometry exercises kills (${detonations} of ${interceptors} interceptors)`);
});

t.test('pair watch: every target left out of a sweep is one the sweep would skip', async (t) => {
  const specs = scenarioSchema.parse({
    seed: 1,
    durationS: 60,
    targets: Array.from({ length: 12 }, (_, i) => ({
      id: `t${i}`,
      kind: 'constant-velocity',
      startS: i * 0.7,
      iff: 'hostile',
      // Diving: the flight ends on the ground 1–11 s after it starts, some inside a sweep interval.
      position: { eastM: 0, northM: 0, upM: 1000 },
      velocity: { eastMps: 0, northMps: 0, upMps: -1000 / (1 + i * 0.9) },
    })),
  }).targets;
  let leftOut = 0;
  let visited = 0;
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          stepUs: fc.integer({ min: 1, max: 400_000 }),
          clearForUs: fc.array(fc.integer({ min: -50_000, max: 3_000_000 }), { minLength: 12, maxLength: 12 }),
          destroy: fc.option(fc.record({ j: fc.nat(11), atFraction: fc.double({ min: 0, max: 1, noNaN: true }) })),
        }),
        { minLength: 1, maxLength: 200 },
      ),
      (steps) => {
        const targets = specs.map((spec, i) => new SimTarget(spec, i, 0));
        const watch = new PairWatch(targets.length);
        let fromUs = 0;
        for (const step of steps) {
          const tUs = fromUs + step.stepUs;
          const hot = new Set<number>();
          const count = watch.prepare(targets, fromUs, tUs);
          for (let k = 0; k < count; k++) hot.add(watch.hotTarget(k));
          leftOut += targets.length - count;
          visited += count;
          for (const [j, target] of targets.entries()) {
            if (hot.has(j)) continue;
            const skipped = tUs <= watch.clearUntilUs[j]! || tUs <= target.motion.startUs || target.endUs <= fromUs;
            if (!skipped) return false;
          }
          // As the sweep does: only hot pairs get a new clearance, from the start of the interval.
          for (const j of hot) watch.clearUntilUs[j] = fromUs + step.clearForUs[j]!;
          // A detonation inside the interval, as the sweep's detonate would.
          const destroyed = step.destroy === null ? undefined : targets[step.destroy.j]!;
          if (destroyed !== undefined && destroyed.isFlyingAt(tUs)) {
            destroyed.markDestroyed(fromUs + step.destroy!.atFraction * step.stepUs);
          }
          fromUs = tUs;
        }
        return true;
      },
    ),
    { seed: 31, numRuns: 300 },
  );
  t.ok(leftOut > visited, `most targets are left out (${leftOut} left out, ${visited} looked at)`);
});
