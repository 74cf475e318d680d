import t from 'tap';
import { type ScenarioInput, scenarioSchema, targetSchema } from '../../src/config/scenario-schema.js';
import { airDensityKgPerM3 } from '../../firmware-sim/world/flight-model.js';
import { ApproachSweep } from '../../firmware-sim/world/approach-sweep.js';
import { Interceptor } from '../../firmware-sim/world/interceptor.js';
import { SimTarget } from '../../firmware-sim/world/sim-target.js';
import { GRAVITY_MPS2 } from '../../firmware-sim/world/target-motion.js';
import { norm, sub, vec } from '../../firmware-sim/world/vector3.js';

type TargetInput = Parameters<typeof targetSchema.parse>[0];
const target = (input: Record<string, unknown>): SimTarget =>
  new SimTarget(targetSchema.parse({ id: 't', iff: 'hostile', ...input } as TargetInput), 0, 0, 600e6);
const S = 1e6;
const speed = (v: { x: number; y: number; z: number }): number => norm(v);

t.test('a closed-form target has no trajectory; an integrated one without extra force matches it', async (t) => {
  const spec = {
    kind: 'ballistic',
    position: { eastM: 50_000, northM: 0, upM: 10_000 },
    velocity: { eastMps: -800, northMps: 0, upMps: 300 },
  };
  const plain = target(spec);
  t.equal(plain.trajectory, undefined);
  // A turn after the impact: integrated, but only gravity acts (constant: the midpoint rule is exact).
  const integrated = target({ ...spec, manoeuvres: [{ type: 'turn', atS: 500, durationS: 1, rateDegPerS: 1 }] });
  t.ok(integrated.trajectory !== undefined);
  for (const s of [0, 10.01, 30, 60]) {
    const d = norm(sub(integrated.positionAt(s * S), plain.positionAt(s * S)));
    t.ok(d < 1e-6, `t=${s}s: ${d} m from the closed form`);
    t.ok(norm(sub(integrated.velocityAt(s * S), plain.velocityAt(s * S))) < 1e-9);
  }
  t.ok(Math.abs(integrated.impactUs! - plain.impactUs!) < 1, 'the same impact time');
  // β = 1e6 kg/m² still drags ~0.1 m/s² at 850 m/s and 10 km: tens of metres in 30 s.
  const drag = target({ ...spec, ballisticCoefficientKgPerM2: 1e6 });
  const d30 = norm(sub(drag.positionAt(30 * S), plain.positionAt(30 * S)));
  const expected = 0.5 * ((airDensityKgPerM3(11_000) * 850 * 850) / 2e6) * 30 * 30;
  t.ok(d30 > 0.5 * expected && d30 < 2 * expected, `drag displacement ${d30.toFixed(1)} m ~ ${expected.toFixed(1)} m`);
});

t.test('drag: a dropped body reaches the terminal velocity sqrt(2βg/ρ(h))', async (t) => {
  const betaKgPerM2 = 50;
  const body = target({
    kind: 'ballistic',
    position: { eastM: 0, northM: 0, upM: 2000 },
    velocity: { eastMps: 0, northMps: 0, upMps: 0 },
    ballisticCoefficientKgPerM2: betaKgPerM2,
  });
  const p = body.positionAt(30 * S);
  const v = body.velocityAt(30 * S);
  const terminal = Math.sqrt((2 * betaKgPerM2 * GRAVITY_MPS2) / airDensityKgPerM3(p.z));
  t.ok(Math.abs(-v.z - terminal) / terminal < 0.01, `|vz| ${(-v.z).toFixed(2)} vs terminal ${terminal.toFixed(2)} m/s`);
  t.ok(body.impactUs! > 60 * S, 'falls far slower than in vacuum (20 s)');
  t.equal(airDensityKgPerM3(0), 1.225);
  t.ok(Math.abs(airDensityKgPerM3(7200) - 1.225 / Math.E) < 1e-12, 'scale height 7200 m');
});

t.test('drag shortens a ballistic arc and slows the re-entry', async (t) => {
  const spec = {
    kind: 'ballistic',
    position: { eastM: 70_000, northM: 0, upM: 19_000 },
    velocity: { eastMps: -766, northMps: 0, upMps: 245 },
  };
  const vacuum = target(spec);
  const drag = target({ ...spec, ballisticCoefficientKgPerM2: 2000 });
  const land = drag.positionAt(drag.impactUs!);
  t.ok(Math.abs(land.z) < 1e-6, 'impact on the ground');
  t.ok(land.x > vacuum.positionAt(vacuum.impactUs!).x + 100, 'lands short of the vacuum impact');
  t.ok(speed(drag.velocityAt(drag.impactUs!)) < speed(vacuum.velocityAt(vacuum.impactUs!)) - 20, 'slower at impact');
});

t.test('boost: thrust along the velocity, then a ballistic coast', async (t) => {
  const missile = target({
    kind: 'ballistic',
    startS: 5,
    position: { eastM: 100_000, northM: 0, upM: 0 },
    velocity: { eastMps: -60, northMps: 0, upMps: 100 },
    boost: { burnS: 40, accelerationMps2: 30 },
  });
  const burnOut = missile.velocityAt(45 * S);
  t.ok(speed(burnOut) > 800, `burn-out speed ${speed(burnOut).toFixed(0)} m/s`);
  t.ok(speed(burnOut) < 117 + 30 * 40, 'less than the thrust alone (gravity losses)');
  const a = sub(missile.velocityAt(60.05 * S), missile.velocityAt(60 * S));
  t.ok(Math.abs(a.z / 0.05 + GRAVITY_MPS2) < 1e-6 && Math.abs(a.x) < 1e-9, 'after burn-out only gravity acts');
  t.ok(missile.impactUs! > 100 * S, 'it flies');
  t.ok(missile.positionAt(5 * S).z === 0, 'launched from the ground');
});

t.test('turn: a constant-rate turn keeps the speed and flies the circle V/ω', async (t) => {
  const v0 = 250;
  const aircraft = target({
    kind: 'constant-velocity',
    position: { eastM: 0, northM: 0, upM: 3000 },
    velocity: { eastMps: 0, northMps: v0, upMps: 0 },
    manoeuvres: [{ type: 'turn', atS: 10, durationS: 30, rateDegPerS: 3 }],
  });
  const radius = v0 / ((3 * Math.PI) / 180);
  const end = aircraft.positionAt(40 * S);
  t.ok(Math.abs(end.x - radius) < 2, `east ${end.x.toFixed(1)} vs R ${radius.toFixed(1)}`);
  t.ok(Math.abs(end.y - (2500 + radius)) < 2, `north ${end.y.toFixed(1)}`);
  const v = aircraft.velocityAt(40 * S);
  t.ok(Math.abs(v.x - v0) < 0.5 && Math.abs(v.y) < 0.5, 'heading east after 90°, to the right');
  for (const s of [12, 25, 40, 55]) {
    t.ok(Math.abs(speed(aircraft.velocityAt(s * S)) - v0) < 0.01, `speed held at t=${s}s`);
  }
  t.equal(aircraft.positionAt(40 * S).z, 3000, 'level');
});

t.test('weave: sinusoidal lateral acceleration of the given g, mean course kept', async (t) => {
  const v0 = 300;
  const cruise = target({
    kind: 'constant-velocity',
    position: { eastM: 60_000, northM: 0, upM: 200 },
    velocity: { eastMps: -v0, northMps: 0, upMps: 0 },
    manoeuvres: [{ type: 'weave', atS: 0, durationS: 60, accelerationG: 4, periodS: 8 }],
  });
  let peak = 0;
  let maxNorth = 0;
  for (let s = 0; s < 60; s += 0.05) {
    const a = sub(cruise.velocityAt((s + 0.05) * S), cruise.velocityAt(s * S));
    peak = Math.max(peak, norm(a) / 0.05);
    maxNorth = Math.max(maxNorth, Math.abs(cruise.positionAt(s * S).y));
  }
  const accel = 4 * GRAVITY_MPS2;
  const omega = (2 * Math.PI) / 8;
  t.ok(Math.abs(peak - accel) < 0.05 * accel, `peak lateral ${peak.toFixed(1)} m/s²`);
  const excursion = (2 * accel) / (omega * omega);
  t.ok(
    Math.abs(maxNorth - excursion) < 0.05 * excursion,
    `cross-track ${maxNorth.toFixed(0)} vs ${excursion.toFixed(0)} m`,
  );
  t.ok(Math.abs(cruise.positionAt(56 * S).y) < 5, 'back on its course after whole periods');
  const after = cruise.velocityAt(61 * S);
  t.ok(Math.abs(after.y) < 1 && Math.abs(after.x + v0) < 1, 'same course after the weave');
  t.ok(Math.abs(speed(cruise.velocityAt(30 * S)) - v0) < 0.01, 'speed held');
});

t.test('pop-up then terminal dive: climbs by climbM, levels, dives to the ground at its angle', async (t) => {
  const cruise = target({
    kind: 'constant-velocity',
    position: { eastM: 30_000, northM: 0, upM: 50 },
    velocity: { eastMps: -250, northMps: 0, upMps: 0 },
    manoeuvres: [
      { type: 'pop-up', atS: 20, climbM: 1500, angleDeg: 30, pitchRateDegPerS: 10 },
      { type: 'dive', atS: 70, angleDeg: 45, pitchRateDegPerS: 10 },
    ],
  });
  const level = cruise.positionAt(65 * S);
  t.ok(level.z > 1550 && level.z < 1550 + 400, `level at ${level.z.toFixed(0)} m after the pop-up`);
  t.ok(Math.abs(cruise.velocityAt(65 * S).z) < 1, 'level flight');
  t.ok(cruise.impactUs !== undefined, 'the dive reaches the ground');
  const v = cruise.velocityAt(cruise.impactUs! - 0.5 * S);
  const gammaDeg = (Math.atan2(v.z, Math.hypot(v.x, v.y)) * 180) / Math.PI;
  t.ok(Math.abs(gammaDeg + 45) < 0.5, `dive angle ${gammaDeg.toFixed(2)}°`);
});

t.test('the interceptor sweep finds a kill on a weaving target exactly per piece', async (t) => {
  const weaver = target({
    kind: 'constant-velocity',
    position: { eastM: 20_000, northM: 0, upM: 3000 },
    velocity: { eastMps: -300, northMps: 0, upMps: 0 },
    manoeuvres: [{ type: 'weave', atS: 0, durationS: 120, accelerationG: 5, periodS: 6 }],
  });
  const launchUs = 10 * S;
  // Aim at where the target is at t = 20 s, flying 10 s at a speed that gets there then.
  const aimAt = weaver.positionAt(20 * S);
  const origin = vec(0, 0, 0);
  const interceptor = new Interceptor({
    id: 'i1',
    launcherId: 'l1',
    commandId: 1,
    origin,
    aim: aimAt,
    speedMps: norm(aimAt) / 10,
    lethalRadiusM: 5,
    motionStartUs: launchUs,
    maxFlightTimeS: 30,
  });
  const sweep = new ApproachSweep([weaver]);
  sweep.track(interceptor);
  let kill: { atUs: number; missM: number } | undefined;
  for (let tUs = launchUs; tUs < 40 * S && kill === undefined; tUs += 10_000) {
    sweep.advance(tUs, tUs + 10_000, (d) => {
      kill = { atUs: d.atUs, missM: d.missM };
      interceptor.alive = false;
    });
  }
  t.ok(kill !== undefined, 'detonated');
  t.ok(Math.abs(kill!.atUs - 20 * S) < 1000, `at ${(kill!.atUs / S).toFixed(4)} s`);
  t.ok(kill!.missM < 0.01, `miss ${kill!.missM} m`);
});

t.test('flight fields: clear errors', async (t) => {
  const base = {
    id: 'x',
    iff: 'hostile',
    position: { eastM: 0, northM: 1000, upM: 1000 },
    velocity: { eastMps: 100, northMps: 0, upMps: 0 },
  };
  const messages = (input: Record<string, unknown>): string[] => {
    const r = targetSchema.safeParse({ ...base, ...input });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  t.match(messages({ kind: 'constant-velocity', ballisticCoefficientKgPerM2: 500 })[0], /ballistic targets only/);
  t.match(messages({ kind: 'constant-velocity', boost: { burnS: 10, accelerationMps2: 20 } })[0], /boost.*ballistic/);
  t.match(
    messages({ kind: 'ballistic', manoeuvres: [{ type: 'dive', atS: 1, angleDeg: 30, pitchRateDegPerS: 5 }] })[0],
    /manoeuvres\.0\.type: dive applies to constant-velocity targets only/,
  );
  t.match(
    messages({
      kind: 'constant-velocity',
      startS: 10,
      manoeuvres: [{ type: 'turn', atS: 5, durationS: 3, rateDegPerS: 2 }],
    })[0],
    /manoeuvres\.0\.atS: expected a time at or after the target's startS/,
  );
  t.match(
    messages({ kind: 'constant-velocity', manoeuvres: [{ type: 'loop', atS: 5 }] })[0],
    /turn, weave, dive or pop-up/,
  );
  t.match(
    messages({ kind: 'ballistic', ballisticCoefficientKgPerM2: 0.5 })[0],
    /ballisticCoefficientKgPerM2: expected at least 1 kg\/m2/,
  );
  t.same(messages({ kind: 'ballistic', ballisticCoefficientKgPerM2: 500 }), []);
  const many: ScenarioInput = {
    seed: 1,
    durationS: 3600,
    targets: Array.from({ length: 20 }, (_, i) => ({
      ...base,
      id: `t${i}`,
      kind: 'ballistic' as const,
      iff: 'hostile' as const,
      ballisticCoefficientKgPerM2: 500,
    })),
  };
  const r = scenarioSchema.safeParse(many);
  t.notOk(r.success);
  t.match(r.error?.issues[0]?.message, /at most 50000 s of such flight per scenario \(this one has 72000 s\)/);
});
