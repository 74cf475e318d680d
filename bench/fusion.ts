/**
 * Track-to-track fusion: one update of 1,000 local × 1,000 partner tracks — intake, frames
 * (the partner reports in its own ENU, 80 km away), time alignment, gating, clustering, the
 * Jonker–Volgenant assignment per cluster, covariance intersection, joint ids, the joint picture
 * in the fuser's packed buffer (`TrackFuser.update`) — timed per update on one core (this
 * process), wall time and this process's CPU time (user + system, GC threads included) per
 * update. Goal: p99 ≤ 2 ms. Beside it, CPU per update when the picture is also copied out as
 * plain objects (`TrackFuser.fuse`, a quarter as many updates).
 *
 * Geometry: 300 targets both nodes see (in the overlap of their coverage, some in tight
 * formations so that clusters hold several tracks), 700 only the local node sees and 700 only
 * the partner sees, spread over 400 km × 400 km at 1–15 km altitude, 150–600 m/s. Local
 * position σ 20–150 m, partner σ 30–200 m, velocity σ 3–20 m/s, errors drawn from them;
 * partner reports 0–1.5 s old (latency), so every update predicts them forward. Each update is
 * a new scan (1 s later); the fuser keeps its joint ids across updates.
 *
 * Beside it, in the same run and on the same inputs: the gated cost matrix of the same update
 * solved by the dense O(n³) Hungarian method over the full 1,000 × 1,000 matrix, and the sparse
 * association alone (gating + clusters + JV) for a like-for-like comparison. The two totals are
 * checked equal (an error otherwise).
 *
 * Run on its own: `npx tsx bench/fusion.ts [--quick]` (or `node dist/bench/fusion.js`).
 */
import { loadavg } from 'node:os';
import { mulberry32 } from '../src/common/mulberry32.js';
import { LocalFrame } from '../src/geo/index.js';
import {
  Associator,
  CHI2_6DOF_99,
  type LocalTrack,
  type PartnerTrack,
  TrackFuser,
  solveDenseHungarian,
} from '../src/fusion/index.js';
import type { BenchFigure } from './bench-figure.js';
import { partMain } from './part-main.js';
import { summarize } from './percentiles.js';

const GOAL_MS = 2;
const SHARED = 300;
const PER_SIDE = 1_000;
const ALPHA = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const BRAVO = { latDeg: 52.55, lonDeg: 5.2, heightM: 40 };
const T0 = 1_760_000_000_000_000;

/** Options of {@link runFusionBench}. */
export interface FusionBenchOptions {
  quick: boolean;
}

interface Target {
  e: number;
  n: number;
  u: number;
  ve: number;
  vn: number;
  vu: number;
}

function targets(random: () => number): { shared: Target[]; localOnly: Target[]; partnerOnly: Target[] } {
  const make = (e0: number, n0: number, spread: number): Target => {
    const heading = random() * 2 * Math.PI;
    const speed = 150 + random() * 450;
    return {
      e: e0 + (random() - 0.5) * spread,
      n: n0 + (random() - 0.5) * spread,
      u: 1_000 + random() * 14_000,
      ve: speed * Math.sin(heading),
      vn: speed * Math.cos(heading),
      vu: (random() - 0.5) * 20,
    };
  };
  const shared: Target[] = [];
  // the overlap: a 120 km box between the sites; a third in formations of 2–6 (1–3 km apart)
  while (shared.length < SHARED) {
    if (random() < 0.33) {
      const lead = make(30_000, 25_000, 120_000);
      const size = 2 + Math.floor(random() * 5);
      for (let k = 0; k < size && shared.length < SHARED; k++)
        shared.push({ ...lead, e: lead.e + (random() - 0.5) * 3_000, n: lead.n + (random() - 0.5) * 3_000 });
    } else shared.push(make(30_000, 25_000, 120_000));
  }
  const localOnly = Array.from({ length: PER_SIDE - SHARED }, () => make(-120_000, -80_000, 250_000));
  const partnerOnly = Array.from({ length: PER_SIDE - SHARED }, () => make(160_000, 130_000, 250_000));
  return { shared, localOnly, partnerOnly };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** One scan's inputs at `tUs`. */
function scan(
  all: { shared: Target[]; localOnly: Target[]; partnerOnly: Target[] },
  tUs: number,
  random: () => number,
  alpha: LocalFrame,
  bravo: LocalFrame,
): { locals: LocalTrack[]; partners: PartnerTrack[] } {
  const dtS = (tUs - T0) / 1e6;
  const at = (g: Target, lagS: number): number[] => [
    g.e + g.ve * (dtS - lagS),
    g.n + g.vn * (dtS - lagS),
    g.u + g.vu * (dtS - lagS),
    g.ve,
    g.vn,
    g.vu,
  ];
  const cov = (sp: number, sv: number): number[] => {
    const c = new Array<number>(36).fill(0);
    for (let i = 0; i < 3; i++) {
      c[i * 7] = sp * sp;
      c[(i + 3) * 7] = sv * sv;
    }
    return c;
  };
  const locals: LocalTrack[] = [];
  [...all.shared, ...all.localOnly].forEach((g, k) => {
    const sp = 20 + random() * 130;
    const sv = 3 + random() * 17;
    const x = at(g, 0).map((v, i) => v + (i < 3 ? sp : sv) * gaussian(random));
    locals.push({
      kind: 'local',
      trackId: `L${k}`,
      tovUs: tUs,
      state: x,
      covariance: cov(sp, sv),
      identity: 'hostile',
      quality: 0.9,
      pedigree: { nodeId: 'alpha', sensorId: 'R1', fused: false },
    });
  });
  const partners: PartnerTrack[] = [];
  [...all.shared, ...all.partnerOnly].forEach((g, k) => {
    const sp = 30 + random() * 170;
    const sv = 3 + random() * 17;
    const lagS = random() * 1.5;
    const truth = at(g, lagS);
    const p = bravo.enuFromFrame(alpha, { eastM: truth[0]!, northM: truth[1]!, upM: truth[2]! });
    const v = bravo.vectorFromFrame(alpha, { eastM: truth[3]!, northM: truth[4]!, upM: truth[5]! });
    // errors drawn in bravo's own axes, where its covariance is diagonal
    const x = [p.eastM, p.northM, p.upM, v.eastM, v.northM, v.upM].map(
      (value, i) => value + (i < 3 ? sp : sv) * gaussian(random),
    );
    partners.push({
      kind: 'partner',
      trackId: `B${k}`,
      tovUs: tUs - Math.round(lagS * 1e6),
      frame: { kind: 'enu', siteId: 'bravo', origin: BRAVO },
      state: x,
      covariance: cov(sp, sv),
      identity: 'hostile',
      quality: 0.7,
      pedigree: { nodeId: 'bravo', sensorId: 'S1', fused: false },
    });
  });
  return { locals, partners };
}

const ms = (ns: bigint): number => Number(ns) / 1e6;

/** Measure; resolves to the figures (update p50/p99, CPU per update, sparse vs dense association). */
export async function runFusionBench(options: FusionBenchOptions): Promise<BenchFigure[]> {
  const random = mulberry32(0xf0510);
  const alpha = new LocalFrame(ALPHA);
  const bravo = new LocalFrame(BRAVO);
  const all = targets(random);
  const frames = options.quick ? 20 : 60;
  const inputs = Array.from({ length: frames }, (_, k) => scan(all, T0 + k * 1_000_000, random, alpha, bravo));
  const updates = options.quick ? 200 : 1_000;
  const load = [loadavg()[0]!, 0];

  // full updates: the fuser runs the scans in time order; a new fuser each pass over the frames
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let fuser = new TrackFuser({ site: ALPHA, ownNodeId: 'alpha' });
  let fused = 0;
  let gated = 0;
  let largest = 0;
  // warm-up (JIT): one pass
  for (let k = 0; k < frames; k++) fuser.fuse(T0 + k * 1_000_000, inputs[k]!.locals, inputs[k]!.partners);
  const cpuStart = process.cpuUsage();
  for (let u = 0; u < updates; u++) {
    const k = u % frames;
    if (k === 0) fuser = new TrackFuser({ site: ALPHA, ownNodeId: 'alpha' });
    const { locals, partners } = inputs[k]!;
    const cpuBefore = process.cpuUsage();
    const start = process.hrtime.bigint();
    const out = fuser.update(T0 + k * 1_000_000, locals, partners);
    times.push(ms(process.hrtime.bigint() - start));
    const used = process.cpuUsage(cpuBefore);
    cpuTimes.push((used.user + used.system) / 1000);
    fused += out.stats.fusedPairs;
    gated += out.stats.gatedPairs;
    largest = Math.max(largest, out.stats.largestCluster);
    if (out.picture.count < PER_SIDE) throw new Error('fusion bench: tracks lost');
  }
  const cpu = process.cpuUsage(cpuStart);
  const update = summarize(times);
  const updateCpu = summarize(cpuTimes);

  // the same updates with the joint picture copied out as plain objects (`fuse`), CPU only
  const objectCpuTimes: number[] = [];
  for (let u = 0; u < updates / 4; u++) {
    const k = u % frames;
    if (k === 0) fuser = new TrackFuser({ site: ALPHA, ownNodeId: 'alpha' });
    const cpuBefore = process.cpuUsage();
    const out = fuser.fuse(T0 + k * 1_000_000, inputs[k]!.locals, inputs[k]!.partners);
    const used = process.cpuUsage(cpuBefore);
    objectCpuTimes.push((used.user + used.system) / 1000);
    if (out.tracks.length < PER_SIDE) throw new Error('fusion bench: tracks lost');
  }
  const objectCpu = summarize(objectCpuTimes);

  // association alone, sparse vs dense, on the same aligned inputs (the fuser's own packing is
  // internal: re-align with a fuser and read its gated pairs through a fresh associator)
  const sparseTimes: number[] = [];
  const denseTimes: number[] = [];
  const denseRuns = options.quick ? 1 : 3;
  const probe = new TrackFuser({ site: ALPHA, ownNodeId: 'alpha' });
  const packed = packInputs(probe, inputs[0]!, T0);
  const associator = new Associator();
  let sparseTotal = 0;
  for (let r = 0; r < 50 + (options.quick ? 100 : 500); r++) {
    const start = process.hrtime.bigint();
    associator.gate(packed.local, packed.partner, 0, packed.partner.count, CHI2_6DOF_99);
    let total = 0;
    associator.assign(packed.local.count, 0, packed.partner.count, CHI2_6DOF_99, (_i, _j, d2) => {
      total += d2 - CHI2_6DOF_99;
    });
    if (r >= 50) sparseTimes.push(ms(process.hrtime.bigint() - start));
    sparseTotal = total;
  }
  let denseTotal = 0;
  for (let r = 0; r < denseRuns; r++) {
    const start = process.hrtime.bigint();
    associator.gate(packed.local, packed.partner, 0, packed.partner.count, CHI2_6DOF_99);
    const n = packed.local.count;
    const m = packed.partner.count;
    const cost = new Float64Array(n * m);
    const edges = associator.edges;
    for (let e = 0; e < edges.count; e++) cost[edges.local[e]! * m + edges.partner[e]!] = edges.cost[e]! - CHI2_6DOF_99;
    const rowToCol = new Int32Array(n);
    solveDenseHungarian(cost, n, m, rowToCol);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const c = cost[i * m + rowToCol[i]!]!;
      if (c < 0) total += c;
    }
    denseTimes.push(ms(process.hrtime.bigint() - start));
    denseTotal = total;
  }
  if (Math.abs(sparseTotal - denseTotal) > 1e-6 * Math.max(1, Math.abs(denseTotal)))
    throw new Error(`fusion bench: sparse total ${sparseTotal} != dense total ${denseTotal}`);
  load[1] = loadavg()[0]!;
  const sparse = summarize(sparseTimes);
  const dense = summarize(denseTimes);
  const perUpdate = `${PER_SIDE} local × ${PER_SIDE} partner tracks, ${SHARED} shared targets`;
  const denseBaseline = `dense O(n³) Hungarian over the full ${PER_SIDE}×${PER_SIDE} gated matrix, same inputs, median of ${denseRuns}`;
  return [
    {
      name: 'fusion.update.p99',
      value: update.p99,
      unit: 'ms',
      goal: `<= ${GOAL_MS} ms`,
      baseline: denseBaseline,
      baselineValue: dense.p50,
    },
    { name: 'fusion.update.p50', value: update.p50, unit: 'ms', baseline: denseBaseline, baselineValue: dense.p50 },
    { name: 'fusion.update.cpu-mean', value: (cpu.user + cpu.system) / 1000 / updates, unit: 'ms' },
    { name: 'fusion.update.cpu.p50', value: updateCpu.p50, unit: 'ms' },
    { name: 'fusion.update.cpu.p99', value: updateCpu.p99, unit: 'ms' },
    { name: 'fusion.update.objects.cpu.p50', value: objectCpu.p50, unit: 'ms' },
    {
      name: 'fusion.association.sparse.p50',
      value: sparse.p50,
      unit: 'ms',
      baseline: denseBaseline,
      baselineValue: dense.p50,
    },
    { name: 'fusion.association.sparse.p99', value: sparse.p99, unit: 'ms' },
    { name: 'fusion.association.dense.p50', value: dense.p50, unit: 'ms' },
    { name: 'fusion.fused-pairs-per-update', value: fused / updates, unit: 'pairs', baseline: perUpdate },
    { name: 'fusion.gated-pairs-per-update', value: gated / updates, unit: 'pairs' },
    { name: 'fusion.largest-cluster', value: largest, unit: 'tracks' },
    { name: 'fusion.load-average', value: (load[0]! + load[1]!) / 2, unit: 'load' },
  ];
}

/** The aligned, packed inputs of one update, as the fuser sees them before association. */
function packInputs(
  fuser: TrackFuser,
  input: { locals: LocalTrack[]; partners: PartnerTrack[] },
  tUs: number,
): {
  local: { count: number; state: Float64Array; cov: Float64Array };
  partner: { count: number; state: Float64Array; cov: Float64Array };
} {
  // the fused picture of locals alone and of partners alone gives each side aligned in alpha ENU
  const onlyLocal = fuser.fuse(tUs, input.locals, []).tracks;
  const onlyPartner = new TrackFuser({ site: ALPHA, ownNodeId: 'alpha' }).fuse(tUs, [], input.partners).tracks;
  const pack = (tracks: readonly { state: readonly number[]; covariance: readonly number[] }[]) => ({
    count: tracks.length,
    state: Float64Array.from(tracks.flatMap((x) => x.state)),
    cov: Float64Array.from(tracks.flatMap((x) => x.covariance)),
  });
  return { local: pack(onlyLocal), partner: pack(onlyPartner) };
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runFusionBench({ quick })).map(
    (f) =>
      `${f.name}: ${f.value.toFixed(3)} ${f.unit}` +
      (f.baselineValue === undefined ? '' : ` (baseline ${f.baselineValue.toFixed(3)} ${f.unit}: ${f.baseline})`),
  ),
);
