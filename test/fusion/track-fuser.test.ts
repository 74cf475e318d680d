/**
 * The fusion pipeline end to end: association across sites, out-of-sequence partner data used
 * (predicted forward), bad partner data rejected with a reason and never thrown, results
 * independent of input order (ties by id), stable joint ids, pedigree on every joint track, and
 * a fused estimate that is consistent against truth (NEES) and better than either input.
 */
import fc from 'fast-check';
import t from 'tap';
import { LocalFrame } from '../../src/geo/index.js';
import { FusionConfigError, type PartnerTrack, TrackFuser } from '../../src/fusion/index.js';
import { local, partner } from './support.js';

const alphaSite = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const bravoSite = { latDeg: 52.6, lonDeg: 5.4, heightM: 40 };
const bravoFrame = { kind: 'enu', siteId: 'bravo', origin: bravoSite } as const;
const alpha = new LocalFrame(alphaSite);
const bravo = new LocalFrame(bravoSite);
const T0 = 1_760_000_000_000_000; // UTC µs

/** A target at alpha-ENU `pos` moving at `vel`, as bravo reports it (in bravo's ENU). */
function inBravo(pos: number[], vel: number[]): number[] {
  const p = bravo.enuFromFrame(alpha, { eastM: pos[0]!, northM: pos[1]!, upM: pos[2]! });
  const v = bravo.vectorFromFrame(alpha, { eastM: vel[0]!, northM: vel[1]!, upM: vel[2]! });
  return [p.eastM, p.northM, p.upM, v.eastM, v.northM, v.upM];
}

const fuser = (): TrackFuser => new TrackFuser({ site: alphaSite, ownNodeId: 'alpha' });

t.test('a target both nodes see is fused; targets one node sees stay single', async (t) => {
  const f = fuser();
  const locals = [
    local('L1', T0, [10_000, 5_000, 3_000, -200, 0, 0], 400),
    local('L2', T0, [-40_000, 0, 2_000, 0, 100, 0]),
  ];
  const partners = [
    partner('bravo', 'B7', T0, inBravo([10_020, 4_990, 3_005, -198, 2, 0], [-198, 2, 0]), bravoFrame),
    partner('bravo', 'B8', T0, inBravo([60_000, 60_000, 5_000, 0, 0, 0], [0, 0, 0]), bravoFrame),
  ];
  const out = f.fuse(T0, locals, partners);
  t.equal(out.tracks.length, 3);
  const [j1, j2, j3] = out.tracks;
  t.equal(j1!.source, 'fused');
  t.same(
    j1!.members.map((m) => `${m.kind}:${m.nodeId}/${m.trackId}`),
    ['local:alpha/L1', 'partner:bravo/B7'],
  );
  t.equal(j1!.identity, 'hostile', 'the partner calls it hostile');
  t.ok(j1!.covariance[0]! < 400, `fusing reduces the position variance (${j1!.covariance[0]})`);
  t.ok(Math.abs(j1!.state[0]! - 10_010) < 15, `fused east ${j1!.state[0]}`);
  t.equal(j2!.source, 'local');
  t.equal(j3!.source, 'partner');
  t.ok(Math.abs(j3!.state[0]! - 60_000) < 1e-3, 'the partner-only track is in alpha ENU');
  t.same(
    out.tracks.map((x) => x.jointId),
    [1, 2, 3],
  );
  t.equal(out.stats.fusedPairs, 1);
});

t.test('out-of-sequence partner data is predicted forward and used, not dropped', async (t) => {
  const f = fuser();
  const truthAt = (dtS: number): number[] => [20_000 - 250 * dtS, 0, 4_000, -250, 0, 0];
  f.fuse(T0 + 2_000_000, [local('L1', T0 + 2_000_000, truthAt(2))], []);
  // a partner report 1.5 s older than the last fusion time arrives now
  const late = partner('bravo', 'B1', T0 + 500_000, inBravo(truthAt(0.5), [-250, 0, 0]), bravoFrame);
  const out = f.fuse(T0 + 3_000_000, [local('L1', T0 + 3_000_000, truthAt(3))], [late]);
  t.equal(out.stats.outOfSequence, 1);
  t.equal(out.rejected.length, 0);
  t.equal(out.tracks.length, 1);
  t.equal(out.tracks[0]!.source, 'fused');
  t.equal(out.tracks[0]!.members[1]!.tovUs, T0 + 500_000, 'the member keeps its own time of validity');
  // a partner report slightly after the fusion time (clock offset) is retrodicted
  const early = partner('bravo', 'B1', T0 + 3_400_000, inBravo(truthAt(3.4), [-250, 0, 0]), bravoFrame);
  const out2 = f.fuse(T0 + 3_000_000, [local('L1', T0 + 3_000_000, truthAt(3))], [early]);
  t.equal(out2.stats.retrodicted, 1);
  t.equal(out2.tracks[0]!.source, 'fused');
});

t.test('bad inputs are rejected with a reason and never throw', async (t) => {
  const f = fuser();
  const good = partner('bravo', 'B1', T0, inBravo([0, 0, 1000], [0, 0, 0]), bravoFrame);
  const notSpd = { ...good, trackId: 'B2', covariance: good.covariance.map((v, k) => (k === 0 ? -1 : v)) };
  const asym = { ...good, trackId: 'B3', covariance: good.covariance.map((v, k) => (k === 1 ? 5 : v)) };
  const future = { ...good, trackId: 'B4', tovUs: T0 + 10_000_000 };
  const stale = { ...good, trackId: 'B5', tovUs: T0 - 60_000_000 };
  const echo = { ...good, trackId: 'B6', pedigree: { ...good.pedigree, nodeId: 'alpha' } };
  const badSite = {
    ...good,
    trackId: 'B7',
    frame: { kind: 'enu', siteId: 'x', origin: { latDeg: 95, lonDeg: 0, heightM: 0 } },
  };
  const older = { ...good, tovUs: T0 - 1_000_000 };
  const out = f.fuse(
    T0,
    [local('L1', T0, [0, 0, 1000, 0, 0, 0]), local('L1', T0 - 5, [0, 0, 1000, 0, 0, 0])],
    [
      good,
      notSpd,
      asym,
      future,
      stale,
      echo,
      badSite as PartnerTrack,
      older,
      { nonsense: true } as unknown as PartnerTrack,
      null as unknown as PartnerTrack,
    ],
  );
  const reasons = out.rejected.map((r) => `${r.kind}:${r.trackId}:${r.reason}`).sort();
  t.same(reasons, [
    'local:L1:duplicate',
    'partner::malformed',
    'partner::malformed',
    'partner:B1:superseded',
    'partner:B2:bad-covariance',
    'partner:B3:bad-covariance',
    'partner:B4:future-dated',
    'partner:B5:stale',
    'partner:B6:malformed',
    'partner:B7:malformed',
  ]);
  t.equal(out.tracks.length, 1);
  t.equal(out.tracks[0]!.source, 'fused');
  fc.assert(
    fc.property(fc.array(fc.anything(), { maxLength: 8 }), (junk) => {
      const r = f.fuse(T0, junk as never, junk as never);
      return r.tracks.length === 0 && r.rejected.length === 2 * junk.length;
    }),
    { seed: 1720, numRuns: 300 },
  );
  t.throws(() => new TrackFuser({ site: alphaSite, ownNodeId: 'alpha', gateChi2: 0 }), FusionConfigError);
  t.throws(() => f.fuse(Number.NaN, [], []), FusionConfigError);
});

t.test('input order does not matter; equal costs are broken by id', async (t) => {
  // two partner tracks exactly as far from one local track: the lower id (B1) wins
  const f1 = fuser();
  const l1 = local('L1', T0, [0, 0, 1000, 0, 0, 0]);
  const pa = partner('bravo', 'B1', T0, inBravo([10, 0, 1000], [0, 0, 0]), bravoFrame);
  const pb = partner('bravo', 'B2', T0, inBravo([-10, 0, 1000], [0, 0, 0]), bravoFrame);
  t.equal(f1.fuse(T0, [l1], [pa, pb]).tracks[0]!.members[1]!.trackId, 'B1');
  t.equal(fuser().fuse(T0, [l1], [pb, pa]).tracks[0]!.members[1]!.trackId, 'B1');
  // random pictures, shuffled: the same output
  const scenario = fc
    .array(
      fc.record({
        x: fc.integer({ min: -3000, max: 3000 }),
        y: fc.integer({ min: -3000, max: 3000 }),
        seenL: fc.boolean(),
        seenP: fc.boolean(),
        nx: fc.double({ min: -20, max: 20, noNaN: true }),
      }),
      { minLength: 1, maxLength: 25 },
    )
    .chain((targets) => {
      const locals = targets.flatMap((g, k) => (g.seenL ? [local(`L${k}`, T0, [g.x, g.y, 2000, 0, 0, 0])] : []));
      const partners = targets.flatMap((g, k) =>
        g.seenP
          ? [partner('bravo', `B${k}`, T0 - 300_000, inBravo([g.x + g.nx, g.y, 2000], [0, 0, 0]), bravoFrame)]
          : [],
      );
      return fc.tuple(
        fc.constant(locals),
        fc.constant(partners),
        fc.shuffledSubarray(locals, { minLength: locals.length }),
        fc.shuffledSubarray(partners, { minLength: partners.length }),
      );
    });
  fc.assert(
    fc.property(scenario, ([locals, partners, ls, ps]) => {
      const a = fuser().fuse(T0, locals, partners);
      const b = fuser().fuse(T0, ls, ps);
      return JSON.stringify(a) === JSON.stringify(b);
    }),
    { seed: 1721, numRuns: 200 },
  );
  t.pass();
});

t.test('joint ids are stable while members persist, deterministic, never reused', async (t) => {
  const f = fuser();
  const at = (s: number): number => T0 + s * 1_000_000;
  const L = (id: string, s: number, x: number) => local(id, at(s), [x, 0, 1000, 0, 0, 0]);
  const P = (id: string, s: number, x: number) =>
    partner('bravo', id, at(s), inBravo([x, 0, 1000], [0, 0, 0]), bravoFrame);
  const ids = (s: number, ls: ReturnType<typeof L>[], ps: ReturnType<typeof P>[]): Record<string, number> =>
    Object.fromEntries(f.fuse(at(s), ls, ps).tracks.map((j) => [j.members.map((m) => m.trackId).join('+'), j.jointId]));
  t.same(ids(0, [L('L1', 0, 0)], [P('B1', 0, 50_000)]), { L1: 1, B1: 2 });
  // L1 and B1 come together: the local's id is kept
  t.same(ids(1, [L('L1', 1, 0)], [P('B1', 1, 5)]), { 'L1+B1': 1 });
  // L1 disappears, B1 persists: the joint track keeps id 1 through its partner member
  t.same(ids(2, [], [P('B1', 2, 5)]), { B1: 1 });
  // a new local joins B1: still 1; a new partner track gets a fresh id (3, never 2 again)
  t.same(ids(3, [L('L9', 3, 0)], [P('B1', 3, 5), P('B2', 3, 90_000)]), { 'L9+B1': 1, B2: 3 });
  // split: the local keeps 1, the partner gets a new id
  t.same(ids(4, [L('L9', 4, 0)], [P('B1', 4, 40_000), P('B2', 4, 90_000)]), { L9: 1, B1: 4, B2: 3 });
});

t.test('the fused estimate is consistent against truth (NEES) and better than either input', async (t) => {
  // alpha measures well in east, bravo in north; errors drawn from the stated covariances
  let seed = 99;
  const gauss = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u1 = (seed + 1) / 2147483649;
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const u2 = seed / 2147483648;
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const diag = (v: number[]): number[] => {
    const c = new Array<number>(36).fill(0);
    v.forEach((x, i) => (c[i * 7] = x));
    return c;
  };
  const varL = [25, 900, 100, 4, 4, 4];
  const varP = [900, 25, 100, 4, 4, 4];
  let nees = 0;
  let errFused = 0;
  let errLocal = 0;
  const runs = 400;
  let missed = 0;
  for (let r = 0; r < runs; r++) {
    const truth = [1000 * r, 500, 3000, -100, 20, 0];
    const noisy = (v: number[]): number[] => truth.map((x, i) => x + Math.sqrt(v[i]!) * gauss());
    const l = { ...local(`L${r}`, T0, noisy(varL)), covariance: diag(varL) };
    const pAlpha = noisy(varP);
    const p = { ...partner('bravo', `B${r}`, T0, inBravo(pAlpha.slice(0, 3), pAlpha.slice(3)), bravoFrame) };
    // the partner's covariance, rotated into bravo's axes
    const rot = [0, 1, 2].map((k) =>
      bravo.vectorFromFrame(alpha, { eastM: k === 0 ? 1 : 0, northM: k === 1 ? 1 : 0, upM: k === 2 ? 1 : 0 }),
    );
    const R = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [rot[j]!.eastM, rot[j]!.northM, rot[j]!.upM][i]!));
    const cov = new Array<number>(36).fill(0);
    for (let bi = 0; bi < 2; bi++)
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let k = 0; k < 3; k++) s += R[i]![k]! * varP[bi * 3 + k]! * R[j]![k]!;
          cov[(bi * 3 + i) * 6 + bi * 3 + j] = s;
        }
    const out = new TrackFuser({ site: alphaSite, ownNodeId: 'alpha' }).fuse(T0, [l], [{ ...p, covariance: cov }]);
    const j = out.tracks[0]!;
    if (j.source !== 'fused') {
      missed++; // outside the 99 % gate: expected about 1 % of the time
      continue;
    }
    const e = j.state.map((x, i) => x - truth[i]!);
    // eᵀ P⁻¹ e via a tiny Gaussian elimination
    const a = j.covariance.slice();
    const b = e.slice();
    for (let c = 0; c < 6; c++)
      for (let rr = c + 1; rr < 6; rr++) {
        const m = a[rr * 6 + c]! / a[c * 6 + c]!;
        for (let k = c; k < 6; k++) a[rr * 6 + k]! -= m * a[c * 6 + k]!;
        b[rr]! -= m * b[c]!;
      }
    const y = new Array<number>(6).fill(0);
    for (let rr = 5; rr >= 0; rr--) {
      let s = b[rr]!;
      for (let k = rr + 1; k < 6; k++) s -= a[rr * 6 + k]! * y[k]!;
      y[rr] = s / a[rr * 6 + rr]!;
    }
    nees += e.reduce((s, v, i) => s + v * y[i]!, 0);
    errFused += e[0]! ** 2 + e[1]! ** 2;
    errLocal += (l.state[0]! - truth[0]!) ** 2 + (l.state[1]! - truth[1]!) ** 2;
  }
  t.ok(missed <= 0.04 * runs, `${missed} of ${runs} true pairs outside the gate`);
  const mean = nees / (runs - missed);
  // CI is conservative: mean NEES at or below the state dimension (6), not far below either
  t.ok(mean < 6 * 1.15 && mean > 1, `mean NEES ${mean.toFixed(2)} (dimension 6)`);
  t.ok(
    errFused < 0.5 * errLocal,
    `horizontal squared error fused ${errFused.toFixed(0)} vs local ${errLocal.toFixed(0)}`,
  );
});

t.test('two partner nodes: a local track takes at most one track of each, fused in node order', async (t) => {
  const f = fuser();
  const charlieSite = { latDeg: 51.9, lonDeg: 5.0, heightM: 0 };
  const charlieFrame = { kind: 'enu', siteId: 'charlie', origin: charlieSite } as const;
  const charlie = new LocalFrame(charlieSite);
  const inCharlie = (pos: number[]): number[] => {
    const p = charlie.enuFromFrame(alpha, { eastM: pos[0]!, northM: pos[1]!, upM: pos[2]! });
    return [p.eastM, p.northM, p.upM, 0, 0, 0];
  };
  const out = f.fuse(
    T0,
    [local('L1', T0, [0, 0, 2000, 0, 0, 0], 400), local('L2', T0, [30_000, 0, 2000, 0, 0, 0])],
    [
      partner('charlie', 'C1', T0, inCharlie([8, 0, 2000]), charlieFrame),
      partner('bravo', 'B1', T0, inBravo([-6, 0, 2000], [0, 0, 0]), bravoFrame),
      partner('bravo', 'B2', T0, inBravo([5, 3, 2000], [0, 0, 0]), bravoFrame),
      partner('charlie', 'C2', T0, inCharlie([30_004, 0, 2000]), charlieFrame),
    ],
  );
  t.same(
    out.tracks.map((j) => j.members.map((m) => `${m.nodeId}/${m.trackId}`).join('+')),
    ['alpha/L1+bravo/B2+charlie/C1', 'alpha/L2+charlie/C2', 'bravo/B1'],
  );
  t.equal(out.stats.fusedPairs, 3);
  t.equal(out.tracks[0]!.associationCost.length, 2);
  t.ok(out.tracks[0]!.covariance[0]! < 400, 'fusing two partners tightens the local track');
});
