import t from 'tap';
import { AssetProbability } from '../../src/control/asset-probability.js';
import { makeControlConfig, createControlState, step, type EngagementEvent } from '../../src/control/index.js';
import { ThreatEvaluator, THREAT_APPROACH, THREAT_IMPACT } from '../../src/control/threat-evaluator.js';
import { FILTER_EAST, FILTER_NORTH, FILTER_UP_BALLISTIC, FILTERS_PER_TRACK } from '../../src/control/filter-layout.js';
import { MODEL_BALLISTIC, MODEL_CV, TrackTable } from '../../src/control/track-table.js';
import { WeaponAssignment } from '../../src/control/weapon-assignment.js';
import { G, launcherConfig, operator } from './fixtures.js';
import { MiniWorld, runWorld } from './mini-world.js';

const circle = (id: string, eastM: number, northM: number, radiusM: number, value = 1) => ({
  id,
  area: { kind: 'circle' as const, eastM, northM, radiusM },
  minAltitudeM: 0,
  maxAltitudeM: 1000,
  value,
  keepOut: [],
});

/** Deterministic standard normals (LCG + Box–Muller). */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

t.test('probability of a Gaussian impact inside an area matches closed forms', async (t) => {
  const geo = new AssetProbability([
    circle('big', 0, 0, 1000),
    circle('small', 0, 0, 100),
    {
      ...circle('square', 0, 0, 1),
      area: {
        kind: 'polygon',
        vertices: [
          { eastM: -500, northM: -500 },
          { eastM: 500, northM: -500 },
          { eastM: 500, northM: 500 },
          { eastM: -500, northM: 500 },
        ],
      },
    },
  ]);
  t.ok(geo.probability(0, 0, 0, 100, 0, 100) > 0.999, 'a tight ellipse in the middle');
  t.ok(Math.abs(geo.probability(0, 1000, 0, 100, 0, 100) - 0.5) < 0.1, 'centred on the edge: about half');
  t.equal(geo.probability(0, 50_000, 0, 100, 0, 100), 0, 'far away');
  // Isotropic Gaussian centred on a small disc: P = 1 - exp(-R²/2σ²).
  const sigma = 1000;
  const exact = 1 - Math.exp(-(100 * 100) / (2 * sigma * sigma));
  const p = geo.probability(1, 0, 0, sigma * sigma, 0, sigma * sigma);
  t.ok(Math.abs(p - exact) / exact < 0.05, `small disc: ${p} vs ${exact}`);
  // Independent axes on a square: P = (2Φ(500/σ) − 1)², σ = 400 → 0.6290
  const q = geo.probability(2, 0, 0, 400 * 400, 0, 400 * 400);
  t.ok(Math.abs(q - 0.622) < 0.03, `square: ${q}`);
});

t.test('the IPP covariance is the track covariance carried through the ballistic model (vs Monte Carlo)', async (t) => {
  const config = makeControlConfig({
    radars: [{ id: 'R1' }],
    launchers: [launcherConfig('L1', 0, 0)],
    defendedAssets: [circle('a', 0, 0, 500)],
    tracking: { maxTracks: 4 },
  });
  const table = new TrackTable(4, 1);
  const slot = table.allocate(0);
  table.model[slot] = MODEL_BALLISTIC;
  table.iff[slot] = 2;
  const f = table.filters;
  const o = slot * FILTERS_PER_TRACK;
  const x = { e: 20_000, ve: -600, n: 5_000, vn: -150, u: 15_000, vu: -300 };
  const P = { pp: 400, pv: 30, vv: 25 };
  f.set([x.e, x.ve, P.pp, P.pv, P.vv], o + FILTER_EAST);
  f.set([x.n, x.vn, P.pp, P.pv, P.vv], o + FILTER_NORTH);
  f.set([x.u, x.vu, P.pp, P.pv, P.vv], o + FILTER_UP_BALLISTIC);
  const ev = new ThreatEvaluator(config);
  ev.evaluate(table);
  t.equal(ev.kind[slot], THREAT_IMPACT);
  const tau = (x.vu + Math.sqrt(x.vu * x.vu + 2 * G * x.u)) / G;
  t.ok(Math.abs(ev.ippEastM[slot]! - (x.e + x.ve * tau)) < 1e-6, 'IPP east');
  t.ok(Math.abs(ev.impactAtUs[slot]! - tau * 1e6) < 1, 'time of impact');
  // Monte Carlo: sample the per-axis Gaussian states, impact each exactly.
  const z = normals(7);
  const chol = (s: number) => {
    const l11 = Math.sqrt(P.pp);
    const l21 = P.pv / l11;
    const l22 = Math.sqrt(P.vv - l21 * l21);
    const a = z();
    const b = z();
    return [l11 * a, l21 * a + l22 * b, s] as const;
  };
  const N = 20_000;
  let se = 0;
  let sn = 0;
  let see = 0;
  let snn = 0;
  let sen = 0;
  for (let i = 0; i < N; i++) {
    const [de, dve] = chol(0);
    const [dn, dvn] = chol(0);
    const [du, dvu] = chol(0);
    const u = x.u + du;
    const vu = x.vu + dvu;
    const tt = (vu + Math.sqrt(vu * vu + 2 * G * u)) / G;
    const ie = x.e + de + (x.ve + dve) * tt;
    const inn = x.n + dn + (x.vn + dvn) * tt;
    se += ie;
    sn += inn;
    see += ie * ie;
    snn += inn * inn;
    sen += ie * inn;
  }
  const me = se / N;
  const mn = sn / N;
  const mcEE = see / N - me * me;
  const mcNN = snn / N - mn * mn;
  const mcEN = sen / N - me * mn;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
  t.ok(rel(ev.ippVarEastM2[slot]!, mcEE) < 0.1, `var east ${ev.ippVarEastM2[slot]} vs MC ${mcEE}`);
  t.ok(rel(ev.ippVarNorthM2[slot]!, mcNN) < 0.1, `var north ${ev.ippVarNorthM2[slot]} vs MC ${mcNN}`);
  t.ok(rel(ev.ippCovM2[slot]!, mcEN) < 0.15, `cov ${ev.ippCovM2[slot]} vs MC ${mcEN}`);
});

t.test('a crossing track threatens an asset by its closest approach inside the altitude band', async (t) => {
  const config = makeControlConfig({
    radars: [{ id: 'R1' }],
    launchers: [launcherConfig('L1', 0, 0)],
    defendedAssets: [circle('low', 0, 0, 300, 5), circle('off', 0, 30_000, 300, 5)],
    tracking: { maxTracks: 4 },
  });
  const table = new TrackTable(4, 1);
  const slot = table.allocate(0);
  table.model[slot] = MODEL_CV;
  const o = slot * FILTERS_PER_TRACK;
  table.filters.set([20_000, -250, 100, 0, 4], o + FILTER_EAST);
  table.filters.set([0, 0, 100, 0, 4], o + FILTER_NORTH);
  table.filters.set([100, 0, 100, 0, 1], o + (FILTERS_PER_TRACK / 4) * 2);
  const ev = new ThreatEvaluator(config);
  ev.evaluate(table);
  t.equal(ev.kind[slot], THREAT_APPROACH);
  t.equal(ev.topAsset[slot], 0);
  t.ok(ev.probability[slot * 2]! > 0.5, `on course for the low asset: ${ev.probability[slot * 2]}`);
  t.equal(ev.probability[slot * 2 + 1], 0, 'the other asset is 30 km off the path');
  t.ok(Math.abs(ev.impactAtUs[slot]! - 80e6) < 1, 'closest approach in 80 s');
  table.filters[o + (FILTERS_PER_TRACK / 4) * 2] = 8000; // flying over at 8 km: above the band
  table.version[slot] = table.version[slot]! + 1;
  ev.evaluate(table);
  t.ok(ev.threatValue[slot]! < 1e-6, 'above the altitude band: no threat');
});

t.test('assignment: greedy then local search covers the threat only one launcher can reach', async (t) => {
  const w = new WeaponAssignment(4, 2);
  w.threats = 2;
  w.launchers = 2;
  w.weight.set([10, 5]);
  // A: launcher 0 earliest, 1 also; B: only launcher 0.
  w.interceptAtUs.set([1e6, 2e6, 1.5e6, Infinity]);
  w.solve(0);
  t.same([...w.launcherOf.slice(0, 2)], [0, -1], 'greedy alone leaves B uncovered');
  w.solve(16);
  t.same([...w.launcherOf.slice(0, 2)], [1, 0], 'local search moves A to launcher 1 and covers B');
  t.equal(w.lastMoves, 1);
  // Swap: the valuable threat gets the earlier intercept.
  w.weight.set([10, 1]);
  w.interceptAtUs.set([5e6, 9e6, 1e6, 2e6]);
  w.solve(0);
  const greedy = [...w.launcherOf.slice(0, 2)];
  w.solve(16);
  t.same(greedy, [0, 1]);
  t.same([...w.launcherOf.slice(0, 2)], [0, 1], 'no better swap: unchanged');
  w.interceptAtUs.set([9e6, 5e6, 1e6, 2e6]);
  w.solve(16);
  t.same([...w.launcherOf.slice(0, 2)], [1, 0], 'greedy already optimal here');
  // Replace: a heavier unassigned threat takes the only launcher.
  const r = new WeaponAssignment(2, 1);
  r.threats = 2;
  r.launchers = 1;
  r.weight.set([1, 9]);
  r.interceptAtUs.set([1e6, 2e6]);
  r.solve(4);
  t.same([...r.launcherOf], [-1, 0]);
});

function raidOfTwo(assignment: 'expected-value' | 'earliest-impact') {
  const config = makeControlConfig({
    radars: [{ id: 'R1' }, { id: 'R2' }],
    launchers: [launcherConfig('L1', 0, 0, { rounds: 1 })],
    defendedAssets: [circle('city', 3_000, 0, 1_000, 10)],
    doctrine: { assignment },
    tracking: { maxTracks: 64 },
    engagement: { maxEngagements: 16 },
  });
  const state = createControlState(config);
  // 0: lands in open ground first; 1: lands on the city a few seconds later.
  const world = new MiniWorld(config, [
    {
      truth: { eastM: 25_000, northM: 14_000, upM: 12_000, eastMps: -500, northMps: 0, upMps: 0, accelUpMps2: -G },
      iff: 'hostile',
    },
    {
      truth: { eastM: 28_000, northM: 0, upM: 14_000, eastMps: -450, northMps: 0, upMps: 0, accelUpMps2: -G },
      iff: 'hostile',
    },
  ]);
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 40_000_000,
    tickUs: 1_000,
    extra: (now) => (now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : []),
  });
  const planned = log.events.filter((e): e is EngagementEvent => e.kind === 'engagement' && e.transition === 'planned');
  return { planned, world, state };
}

t.test('one round, two ballistic threats: expected value saves the city, earliest impact does not', async (t) => {
  const ev = raidOfTwo('expected-value');
  const base = raidOfTwo('earliest-impact');
  t.ok(ev.planned.length >= 1 && base.planned.length >= 1, 'both doctrines plan');
  t.ok(ev.world.killed.has(1), 'expected value kills the threat to the city');
  t.notOk(base.world.killed.has(1), 'earliest impact spends its round on the open-ground threat');
  t.ok(base.world.killed.has(0));
});
