import fc from 'fast-check';
import t from 'tap';
import { LocalFrame, ecefToGeodetic } from '../../src/geo/index.js';
import {
  GeofenceTest,
  PartnerRelease,
  RELEASABLE_FIELDS,
  type ReleasePolicy,
  type TrackForRelease,
  sharedTrackEntry,
  upperIndex,
} from '../../src/sharing/index.js';

/**
 * The release policy, fail-closed, for random tracks and random policies: every entry that leaves
 * satisfies the policy that let it out (identity listed, inside the geofence, quantised, only the
 * fields named), and no partner-derived or fused track ever leaves (no data incest).
 */

const IDENTITIES = ['hostile', 'friendly', 'unknown', 'pending'] as const;
const QUALITIES = ['good', 'suspect', 'stale', 'simulated'] as const;

const site = fc.record({
  latDeg: fc.double({ min: -60, max: 60, noNaN: true }),
  lonDeg: fc.double({ min: -170, max: 170, noNaN: true }),
  heightM: fc.double({ min: 0, max: 500, noNaN: true }),
});

const enu = (h: number, v: number) =>
  fc.record({
    eastM: fc.double({ min: -h, max: h, noNaN: true }),
    northM: fc.double({ min: -h, max: h, noNaN: true }),
    upM: fc.double({ min: -v, max: v, noNaN: true }),
  });

const track = (i: number) =>
  fc.record({
    trackId: fc.constant(`T${i}`),
    validAtMs: fc.integer({ min: 1.7e12, max: 1.9e12 }),
    identity: fc.constantFrom(...IDENTITIES),
    quality: fc.constantFrom(...QUALITIES),
    positionEnuM: enu(400_000, 20_000),
    velocityEnuMps: enu(1_500, 500),
    covarianceEnu: fc.option(
      fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 21, maxLength: 21 }),
      {
        nil: undefined,
      },
    ),
    sensors: fc.array(fc.constantFrom('radar-1', 'radar-2', 'asterix-3'), { minLength: 0, maxLength: 3 }),
    origin: fc.constantFrom('local', 'local', 'partner', 'fused'),
  }) as fc.Arbitrary<TrackForRelease>;

const tracks = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => track(i))));

/** A policy whose geofence lies around the site (offsets in degrees). */
const policyNear = (s: { latDeg: number; lonDeg: number }) => {
  const near = fc.record({
    latDeg: fc.double({ min: Math.max(-89, s.latDeg - 3), max: Math.min(89, s.latDeg + 3), noNaN: true }),
    lonDeg: fc.double({ min: Math.max(-179, s.lonDeg - 3), max: Math.min(179, s.lonDeg + 3), noNaN: true }),
  });
  const geofence = fc.oneof(
    fc.record({ circle: fc.record({ center: near, radiusM: fc.double({ min: 1_000, max: 500_000, noNaN: true }) }) }),
    fc.record({ polygon: fc.array(near, { minLength: 3, maxLength: 8 }) }),
  );
  return fc.record({
    identities: fc.subarray([...IDENTITIES]),
    geofence,
    positionQuantumM: fc.double({ min: 1, max: 5_000, noNaN: true }),
    velocityQuantumMps: fc.double({ min: 0.1, max: 50, noNaN: true }),
    maxRateHz: fc.double({ min: 0.05, max: 50, noNaN: true }),
    fields: fc.subarray([...RELEASABLE_FIELDS]),
  }) as fc.Arbitrary<ReleasePolicy>;
};

const scene = site.chain((s) => fc.tuple(fc.constant(s), policyNear(s), tracks));

function nearMultiple(x: number, q: number): boolean {
  const n = x / q;
  return Math.abs(n - Math.round(n)) < 1e-6 * Math.max(1, Math.abs(n));
}

t.test('every released entry satisfies its policy; no partner-derived or fused track leaves', async (t) => {
  let released = 0;
  let withheld = 0;
  fc.assert(
    fc.property(scene, ([s, policy, ts]) => {
      const frame = new LocalFrame(s);
      const release = new PartnerRelease('node-a', 'node-b', policy, frame);
      const result = release.release(ts, 1.8e12)!;
      const fence = new GeofenceTest(policy.geofence);
      const byId = new Map(ts.map((x) => [x.trackId, x]));
      const fields = new Set(policy.fields);
      withheld += Object.values(result.withheld).reduce((a, b) => a + (b ?? 0), 0);
      for (const e of result.entries) {
        released += 1;
        const src = byId.get(e.trackId)!;
        if (!sharedTrackEntry.safeParse(e).success) return false;
        if (src.origin !== 'local') return false; // no data incest
        if (e.pedigree.fused !== false || e.pedigree.node !== 'node-a') return false;
        if (!policy.identities.includes(src.identity)) return false;
        if (src.quality === 'stale') return false;
        const [x, y, z] = e.ecefM;
        if (!fence.contains(ecefToGeodetic({ x, y, z }))) return false;
        if (!e.ecefM.every((c) => nearMultiple(c, policy.positionQuantumM))) return false;
        const truth = frame.ecefOfEnu(src.positionEnuM);
        const err = Math.hypot(x - truth.x, y - truth.y, z - truth.z);
        if (err > (policy.positionQuantumM * Math.sqrt(3)) / 2 + 1e-6) return false;
        if ((e.ecefMps !== undefined) !== fields.has('velocity')) return false;
        if (e.ecefMps !== undefined && !e.ecefMps.every((c) => nearMultiple(c, policy.velocityQuantumMps)))
          return false;
        if (e.covariance !== undefined) {
          if (!fields.has('covariance') || !fields.has('velocity')) return false;
          // the precision claimed is never finer than the quantum (q²/12 added before rotation-invariant trace)
          const trace = [0, 1, 2].reduce((a, i) => a + e.covariance![upperIndex(i, i)]!, 0);
          const srcTrace = [0, 1, 2].reduce((a, i) => a + src.covarianceEnu![upperIndex(i, i)]!, 0);
          if (
            Math.abs(trace - srcTrace - (3 * policy.positionQuantumM ** 2) / 12) >
            1e-6 * Math.max(1, Math.abs(trace))
          ) {
            return false;
          }
        } else if (fields.has('covariance') && fields.has('velocity') && src.covarianceEnu !== undefined) return false;
        if ((e.identity !== undefined) !== fields.has('identity')) return false;
        if ((e.quality !== undefined) !== fields.has('quality')) return false;
        if (e.pedigree.sensors !== undefined && !fields.has('sensors')) return false;
        if (e.identity !== undefined && e.identity !== src.identity) return false;
      }
      return true;
    }),
    { numRuns: 300, seed: 17 },
  );
  t.ok(released > 100, `the generator releases tracks (${released}) ...`);
  t.ok(withheld > 100, `... and withholds others (${withheld})`);
});

t.test(
  'an empty policy releases nothing; a fused or partner track never leaves even when all else allows',
  async (t) => {
    const frame = new LocalFrame({ latDeg: 48, lonDeg: 11, heightM: 500 });
    const open: ReleasePolicy = {
      identities: ['hostile', 'unknown'],
      geofence: { circle: { center: { latDeg: 48, lonDeg: 11 }, radiusM: 1_000_000 } },
      positionQuantumM: 10,
      velocityQuantumMps: 1,
      maxRateHz: 50,
      fields: [...RELEASABLE_FIELDS],
    };
    const base: TrackForRelease = {
      trackId: 'T1',
      validAtMs: 1.8e12,
      identity: 'hostile',
      quality: 'good',
      positionEnuM: { eastM: 1000, northM: 2000, upM: 3000 },
      velocityEnuMps: { eastM: -200, northM: 0, upM: 0 },
      sensors: ['radar-1'],
      origin: 'local',
    };
    const all = new PartnerRelease('node-a', 'node-b', open, frame).release(
      [base, { ...base, trackId: 'T2', origin: 'fused' }, { ...base, trackId: 'T3', origin: 'partner' }],
      0,
    )!;
    t.same(
      all.entries.map((e) => e.trackId),
      ['T1'],
    );
    t.same(all.withheld, { 'not-local': 2 });
    const none = new PartnerRelease('node-a', 'node-b', { ...open, identities: [] }, frame).release([base], 0)!;
    t.same(none.entries, [], 'no identity named: nothing leaves');
    const bare = new PartnerRelease('node-a', 'node-b', { ...open, fields: [] }, frame).release([base], 0)!;
    t.same(
      Object.keys(bare.entries[0]!).sort(),
      ['ecefM', 'pedigree', 'trackId', 'validAt'],
      'no field named: the bare minimum',
    );
    t.same(bare.entries[0]!.pedigree, { node: 'node-a', fused: false });
    const far = new PartnerRelease(
      'node-a',
      'node-b',
      { ...open, geofence: { circle: { center: { latDeg: 48, lonDeg: 11 }, radiusM: 1_000 } } },
      frame,
    ).release([base], 0)!;
    t.same(far.withheld, { geofence: 1 }, 'outside the fence: withheld');
  },
);

t.test('the rate never exceeds maxRateHz', async (t) => {
  fc.assert(
    fc.property(
      fc.double({ min: 0.05, max: 50, noNaN: true }),
      fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 1, maxLength: 200 }),
      (rateHz, steps) => {
        const frame = new LocalFrame({ latDeg: 0, lonDeg: 0, heightM: 0 });
        const r = new PartnerRelease(
          'a',
          'b',
          {
            identities: [],
            geofence: { circle: { center: { latDeg: 0, lonDeg: 0 }, radiusM: 1000 } },
            positionQuantumM: 1,
            velocityQuantumMps: 1,
            maxRateHz: rateHz,
            fields: [],
          },
          frame,
        );
        let now = 1.8e12;
        let last = Number.NEGATIVE_INFINITY;
        for (const step of steps) {
          now += step;
          if (r.release([], now) !== null) {
            if (now - last < 1000 / rateHz) return false;
            last = now;
          }
        }
        return true;
      },
    ),
    { numRuns: 300, seed: 17 },
  );
  t.pass('300 random rates and call sequences');
});
