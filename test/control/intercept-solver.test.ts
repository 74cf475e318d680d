import t from 'tap';
import { InterceptSolution, InterceptSolver, TargetKinematics, type LauncherConfig } from '../../src/control/index.js';
import { G, launcherConfig } from './fixtures.js';

const LIMITS = {
  commandLeadUs: 50_000,
  planningHorizonUs: 30_000_000,
  minInterceptAltitudeM: 0,
  gridSteps: 64,
  refineIterations: 24,
};

/** The subtest type (the last overload of `t.test` takes only the callback). */
type TapTest = Parameters<Parameters<typeof t.test>[0]>[0];

const NOW = 1_000_000;

function dist(aE: number, aN: number, aU: number, bE: number, bN: number, bU: number): number {
  return Math.hypot(aE - bE, aN - bN, aU - bU);
}

/** Checks that interceptor and target meet at the aim point at the intercept instant. */
function checkMeeting(
  t: TapTest,
  kin: TargetKinematics,
  launcher: LauncherConfig,
  s: InterceptSolution,
  truth: (tS: number) => [number, number, number],
): void {
  const tI = s.interceptAtHostUs;
  // Target, by the closed-form truth (not the solver's code path).
  const [e, n, u] = truth((tI - kin.refTimeUs) / 1e6);
  t.ok(
    dist(e, n, u, s.aimEastM, s.aimNorthM, s.aimUpM) <= 1,
    `target within 1 m of aim at tI (${dist(e, n, u, s.aimEastM, s.aimNorthM, s.aimUpM).toFixed(3)} m)`,
  );
  // Interceptor: leaves at tL + delay, straight at speed v.
  const flownM = launcher.flyout.speedMps * ((tI - s.launchAtHostUs) / 1e6 - launcher.flyout.launchDelayMs / 1e3);
  const p = launcher.position;
  const rangeM = dist(s.aimEastM, s.aimNorthM, s.aimUpM, p.eastM, p.northM, p.upM);
  t.ok(Math.abs(flownM - rangeM) <= 1, `interceptor reaches aim at tI (${(flownM - rangeM).toFixed(3)} m)`);
  t.ok(s.launchAtHostUs >= NOW + LIMITS.commandLeadUs, 'launch not before now + command lead');
  t.ok(Number.isInteger(s.launchAtHostUs), 'launch instant in integer µs');
}

/**
 * Earliest feasible launch by brute force, independent of the solver's parametrisation: for each
 * launch instant tL (coarse then fine steps), find the first root of
 * f(tI) = |P(tI) − L| − v·(tI − tL − d) by scanning and bisection, and check the envelope there.
 */
function bruteEarliestLaunchUs(kin: TargetKinematics, launcher: LauncherConfig, fromUs: number, toUs: number): number {
  const v = launcher.flyout.speedMps;
  const d = launcher.flyout.launchDelayMs * 1e3;
  const p = launcher.position;
  const f = (tl: number, ti: number): number => {
    kin.predict(ti);
    return dist(kin.atEastM, kin.atNorthM, kin.atUpM, p.eastM, p.northM, p.upM) - (v * (ti - tl - d)) / 1e6;
  };
  const feasible = (tl: number): boolean => {
    let lo = tl + d;
    for (let hi = lo + 10_000; hi <= tl + d + 40e6; lo = hi, hi += 10_000) {
      if (f(tl, lo) > 0 && f(tl, hi) <= 0) {
        for (let i = 0; i < 30; i++) {
          const mid = (lo + hi) / 2;
          if (f(tl, mid) > 0) lo = mid;
          else hi = mid;
        }
        kin.predict(hi);
        const r = dist(kin.atEastM, kin.atNorthM, kin.atUpM, p.eastM, p.northM, p.upM);
        return (
          kin.atUpM >= 0 &&
          kin.atUpM <= launcher.envelope.maxAltitudeM &&
          r >= launcher.envelope.minRangeM &&
          r <= launcher.envelope.maxRangeM
        );
      }
    }
    return false;
  };
  for (let tl = fromUs; tl <= toUs; tl += 10_000) {
    if (!feasible(tl)) continue;
    let first = tl;
    for (let fine = tl - 1_000; fine > tl - 10_000 && fine >= fromUs; fine -= 1_000) if (feasible(fine)) first = fine;
    return first;
  }
  return NaN;
}

t.test('constant-velocity target: closed-form meeting, earliest launch = now + lead', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 1_000, -500, { slewRateDegPerS: 1e6 });
  const target = { e: 30_000, n: 20_000, u: 8_000, ve: -250, vn: -150, vu: -20 };
  const kin = new TargetKinematics().set(
    NOW - 200_000,
    target.e,
    target.n,
    target.u,
    target.ve,
    target.vn,
    target.vu,
    0,
  );
  const s = new InterceptSolution();
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'feasible');
  checkMeeting(t, kin, launcher, s, (dt) => [
    target.e + target.ve * dt,
    target.n + target.vn * dt,
    target.u + target.vu * dt,
  ]);
  t.ok(s.launchAtHostUs - NOW - LIMITS.commandLeadUs <= 2, 'launch as early as the command lead allows');
  // Closed form for that launch instant: |p0 + vt τ − L| = v (τ − τL − d), a quadratic in τ.
  const tauL = (s.launchAtHostUs - kin.refTimeUs) / 1e6;
  const d = 0.25;
  const v = 1_500;
  const ox = target.e - 1_000;
  const oy = target.n + 500;
  const oz = target.u;
  const a = target.ve ** 2 + target.vn ** 2 + target.vu ** 2 - v * v;
  const b = 2 * (ox * target.ve + oy * target.vn + oz * target.vu) + 2 * v * v * (tauL + d);
  const c = ox * ox + oy * oy + oz * oz - v * v * (tauL + d) ** 2;
  const roots = [(-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a), (-b - Math.sqrt(b * b - 4 * a * c)) / (2 * a)];
  const tau = Math.min(...roots.filter((r) => r > tauL + d));
  const closedFormUs = kin.refTimeUs + tau * 1e6;
  t.ok(
    Math.abs(closedFormUs - s.interceptAtHostUs) <= 2,
    `intercept instant matches the closed form (${closedFormUs - s.interceptAtHostUs} µs)`,
  );
  t.ok(s.evaluations <= LIMITS.gridSteps + 2 * LIMITS.refineIterations + 3, 'bounded work');
  t.end();
});

t.test('ballistic target: meets at the aim point under gravity', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, { slewRateDegPerS: 1e6 });
  const p0 = { e: 25_000, n: 5_000, u: 15_000, ve: -600, vn: -100, vu: -200 };
  const kin = new TargetKinematics().set(NOW, p0.e, p0.n, p0.u, p0.ve, p0.vn, p0.vu, -G);
  const s = new InterceptSolution();
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'feasible');
  checkMeeting(t, kin, launcher, s, (dt) => [
    p0.e + p0.ve * dt,
    p0.n + p0.vn * dt,
    p0.u + p0.vu * dt - 0.5 * G * dt * dt,
  ]);
  const brute = bruteEarliestLaunchUs(kin, launcher, NOW + 50_000, NOW + 20_000_000);
  t.ok(
    Math.abs(brute - s.launchAtHostUs) <= 1_000,
    `earliest launch agrees with brute force (${brute} vs ${s.launchAtHostUs})`,
  );
  t.end();
});

t.test('ballistic target above the envelope: intercept waits for it to descend to max altitude', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, {
    slewRateDegPerS: 1e6,
    envelope: { minRangeM: 500, maxRangeM: 40_000, maxAltitudeM: 10_000 },
  });
  const kin = new TargetKinematics().set(NOW, 15_000, 0, 20_000, -300, 0, -400, -G);
  const s = new InterceptSolution();
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'feasible');
  t.ok(s.aimUpM <= 10_000 && s.aimUpM > 9_900, `aim just below max altitude (${s.aimUpM.toFixed(1)} m)`);
  t.ok(s.launchAtHostUs > NOW + 1_000_000, 'launch delayed');
  checkMeeting(t, kin, launcher, s, (dt) => [15_000 - 300 * dt, 0, 20_000 - 400 * dt - 0.5 * G * dt * dt]);
  t.end();
});

t.test('approaching target beyond max range: launch delayed until intercept at max range', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, { slewRateDegPerS: 1e6 });
  const kin = new TargetKinematics().set(NOW, 70_000, 0, 5_000, -1_000, 0, 0, 0);
  const s = new InterceptSolution();
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'feasible');
  t.ok(Math.abs(s.rangeM - 40_000) < 1, `intercept at max range (${s.rangeM.toFixed(2)} m)`);
  t.ok(s.launchAtHostUs > NOW + 2_000_000, 'launch waits');
  const brute = bruteEarliestLaunchUs(kin, launcher, NOW + 50_000, NOW + 30_000_000);
  t.ok(
    Math.abs(brute - s.launchAtHostUs) <= 1_000,
    `earliest launch agrees with brute force (${brute} vs ${s.launchAtHostUs})`,
  );
  t.end();
});

t.test('infeasible cases', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, { slewRateDegPerS: 1e6 });
  const s = new InterceptSolution();
  const receding = new TargetKinematics().set(NOW, 45_000, 0, 5_000, 300, 0, 0, 0);
  t.notOk(solver.solve(receding, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'receding beyond max range');
  const tooHigh = new TargetKinematics().set(NOW, 10_000, 0, 30_000, -100, 0, 0, 0);
  t.notOk(
    solver.solve(tooHigh, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s),
    'level flight above max altitude',
  );
  const tooClose = new TargetKinematics().set(NOW, 100, 100, 200, 0, 0, 0, 0);
  t.notOk(solver.solve(tooClose, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'hovering inside min range');
  const impacted = new TargetKinematics().set(NOW, 3_000, 0, 100, -50, 0, -300, -G);
  t.notOk(
    solver.solve(impacted, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s),
    'hits the ground before any intercept',
  );
  const far = new TargetKinematics().set(NOW, 200_000, 0, 5_000, -300, 0, 0, 0);
  t.notOk(
    solver.solve(far, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s),
    'in range only after the planning horizon',
  );
  t.end();
});

t.test('slew time delays the launch', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, { slewRateDegPerS: 10 });
  const kin = new TargetKinematics().set(NOW, 0, 20_000, 5_000, 0, -200, 0, 0);
  const s = new InterceptSolution();
  // Pointing south (180°) at 0° elevation; the target is north: ~180° of azimuth to go.
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 180, elevationDeg: 0 }, NOW, s), 'feasible');
  const slewS = Math.max(Math.abs(180 - s.azimuthDeg) % 360, Math.abs(s.elevationDeg)) / 10;
  t.ok(
    (s.launchAtHostUs - NOW) / 1e6 >= slewS - 1e-6,
    `launch after the slew (${(s.launchAtHostUs - NOW) / 1e6} s >= ${slewS} s)`,
  );
  t.ok((s.launchAtHostUs - NOW) / 1e6 <= slewS + 0.01, 'and not much later');
  checkMeeting(t, kin, launcher, s, (dt) => [0, 20_000 - 200 * dt, 5_000]);
  const pointed = new InterceptSolution();
  t.ok(
    solver.solve(kin, launcher, { azimuthDeg: s.azimuthDeg, elevationDeg: s.elevationDeg }, NOW, pointed),
    'feasible when already pointed',
  );
  t.ok(pointed.launchAtHostUs < s.launchAtHostUs, 'earlier when already pointed');
  t.end();
});

t.test('fast crossing target (faster than the interceptor)', (t) => {
  const solver = new InterceptSolver(LIMITS);
  const launcher = launcherConfig('L', 0, 0, { slewRateDegPerS: 1e6, flyout: { launchDelayMs: 250, speedMps: 600 } });
  // Crossing fast target, passes 3 km north of the launcher.
  const kin = new TargetKinematics().set(NOW, -20_000, 3_000, 2_000, 1_200, 0, 0, 0);
  const s = new InterceptSolution();
  t.ok(solver.solve(kin, launcher, { azimuthDeg: 0, elevationDeg: 0 }, NOW, s), 'feasible');
  checkMeeting(t, kin, launcher, s, (dt) => [-20_000 + 1_200 * dt, 3_000, 2_000]);
  const brute = bruteEarliestLaunchUs(kin, launcher, NOW + 50_000, NOW + 30_000_000);
  t.ok(
    Math.abs(brute - s.launchAtHostUs) <= 1_000,
    `earliest launch agrees with brute force (${brute} vs ${s.launchAtHostUs})`,
  );
  t.end();
});

t.test('deterministic', (t) => {
  const a = new InterceptSolution();
  const b = new InterceptSolution();
  const kin = new TargetKinematics().set(NOW, 25_000, 5_000, 15_000, -600, -100, -200, -G);
  const launcher = launcherConfig('L', 0, 0);
  new InterceptSolver(LIMITS).solve(kin, launcher, { azimuthDeg: 10, elevationDeg: 5 }, NOW, a);
  new InterceptSolver(LIMITS).solve(kin, launcher, { azimuthDeg: 10, elevationDeg: 5 }, NOW, b);
  t.same({ ...a }, { ...b });
  t.end();
});
