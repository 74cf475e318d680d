/**
 * The evaluator's own 5-sigma test before any per-pair work (docs/decisions/0041) may only skip
 * pairs the full computation gives probability exactly 0: it never drops a threatened asset, and
 * every output of the evaluator is the same double as the reference evaluator's, which sends
 * every pair through AssetProbability.
 */
import fc from 'fast-check';
import t from 'tap';
import { AssetProbability, PRUNE_SIGMAS } from '../../src/control/asset-probability.js';
import type { DefendedAssetConfig, GroundArea } from '../../src/control/defended-assets.js';
import {
  FILTER_EAST,
  FILTER_NORTH,
  FILTER_UP_BALLISTIC,
  FILTER_UP_CV,
  FILTERS_PER_TRACK,
} from '../../src/control/filter-layout.js';
import { makeControlConfig } from '../../src/control/index.js';
import { ThreatEvaluator } from '../../src/control/threat-evaluator.js';
import { IFF_FRIENDLY, IFF_HOSTILE, MODEL_BALLISTIC, MODEL_CV, TrackTable } from '../../src/control/track-table.js';
import { launcherConfig } from './fixtures.js';
import { ReferenceThreatEvaluator } from './reference-threat-evaluator.js';

const coord = fc.double({ min: -40_000, max: 40_000, noNaN: true });
/** Variances from degenerate (0, negative: floored) to kilometres². */
const variance = fc.oneof(
  fc.constantFrom(0, -1, 0.5, 1),
  fc.double({ min: 1, max: 1e4, noNaN: true }),
  fc.double({ min: 1e4, max: 1e8, noNaN: true }),
);

const areaArb: fc.Arbitrary<GroundArea> = fc.oneof(
  fc.record({
    kind: fc.constant('circle' as const),
    eastM: coord,
    northM: coord,
    radiusM: fc.double({ min: 1, max: 5_000, noNaN: true }),
  }),
  fc
    .record({
      eastM: coord,
      northM: coord,
      radii: fc.array(fc.double({ min: 10, max: 5_000, noNaN: true }), { minLength: 3, maxLength: 8 }),
    })
    .map(({ eastM, northM, radii }) => ({
      kind: 'polygon' as const,
      vertices: radii.map((r, i) => ({
        eastM: eastM + r * Math.cos((2 * Math.PI * i) / radii.length),
        northM: northM + r * Math.sin((2 * Math.PI * i) / radii.length),
      })),
    })),
);

const assetArb: fc.Arbitrary<DefendedAssetConfig> = fc.record({
  id: fc.constant('a'),
  area: areaArb,
  minAltitudeM: fc.constant(0),
  maxAltitudeM: fc.double({ min: 100, max: 20_000, noNaN: true }),
  value: fc.integer({ min: 1, max: 10 }),
  keepOut: fc.constant([]),
});

interface TrackSpec {
  readonly ballistic: boolean;
  readonly friendly: boolean;
  readonly axes: readonly (readonly [number, number, number, number, number])[];
}

const axisArb = (pos: fc.Arbitrary<number>, vel: fc.Arbitrary<number>) =>
  fc.tuple(pos, vel, variance, fc.double({ min: -1e4, max: 1e4, noNaN: true }), variance);

const trackArb: fc.Arbitrary<TrackSpec> = fc.record({
  ballistic: fc.boolean(),
  friendly: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  axes: fc.tuple(
    axisArb(fc.double({ min: -120_000, max: 120_000, noNaN: true }), fc.double({ min: -1500, max: 1500, noNaN: true })),
    axisArb(fc.double({ min: -120_000, max: 120_000, noNaN: true }), fc.double({ min: -1500, max: 1500, noNaN: true })),
    axisArb(fc.double({ min: 0, max: 60_000, noNaN: true }), fc.double({ min: -1500, max: 800, noNaN: true })),
  ),
});

function buildTable(tracks: readonly TrackSpec[]): TrackTable {
  const table = new TrackTable(tracks.length, 1);
  for (const spec of tracks) {
    const slot = table.allocate(0);
    table.model[slot] = spec.ballistic ? MODEL_BALLISTIC : MODEL_CV;
    table.iff[slot] = spec.friendly ? IFF_FRIENDLY : IFF_HOSTILE;
    table.hits[slot] = 5;
    const o = slot * FILTERS_PER_TRACK;
    table.filters.set(spec.axes[0]!, o + FILTER_EAST);
    table.filters.set(spec.axes[1]!, o + FILTER_NORTH);
    table.filters.set(spec.axes[2]!, o + (spec.ballistic ? FILTER_UP_BALLISTIC : FILTER_UP_CV));
  }
  return table;
}

const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

t.test('the pre-filter rejects only pairs whose probability is exactly 0', async (t) => {
  let rejected = 0;
  let kept = 0;
  fc.assert(
    fc.property(
      assetArb,
      coord,
      coord,
      variance,
      fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      variance,
      (asset, meanE, meanN, see, sen, snn) => {
        const geo = new AssetProbability([asset]);
        // The test exactly as the evaluator makes it (ballistic: after setEllipse).
        geo.probability(0, meanE, meanN, see, sen, snn); // runs setEllipse on these inputs
        const dE = meanE - geo.centerEastM[0]!;
        const dN = meanN - geo.centerNorthM[0]!;
        const reach = geo.radiusM[0]! + PRUNE_SIGMAS * geo.sigmaMaxM();
        // The crossing-track form computes the largest sigma itself: it must be the same double.
        const own = Math.sqrt(Math.max(see >= 1 ? see : 1, snn >= 1 ? snn : 1));
        if (!Object.is(own, geo.sigmaMaxM())) return false;
        const p = geo.probability(0, meanE, meanN, see, sen, snn);
        if (dE * dE + dN * dN > reach * reach) {
          rejected++;
          return Object.is(p, 0);
        }
        kept++;
        return true;
      },
    ),
    { numRuns: 20_000 },
  );
  t.ok(rejected > 0 && kept > 0, `both outcomes exercised (${rejected} rejected, ${kept} kept)`);
});

t.test('every output is the same double as the reference evaluator, which has no pre-filter', async (t) => {
  let threatened = 0;
  fc.assert(
    fc.property(
      fc.array(assetArb, { minLength: 1, maxLength: 24 }),
      fc.array(trackArb, { minLength: 1, maxLength: 40 }),
      (assets, tracks) => {
        const config = makeControlConfig({
          radars: [{ id: 'R1' }],
          launchers: [launcherConfig('L1', 0, 0)],
          defendedAssets: assets.map((a, i) => ({ ...a, id: `asset-${i}` })),
          tracking: { maxTracks: tracks.length },
        });
        const table = buildTable(tracks);
        const fast = new ThreatEvaluator(config);
        const reference = new ReferenceThreatEvaluator(config);
        fast.evaluate(table, true);
        reference.evaluate(table, true);
        for (let s = 0; s < tracks.length; s++) if (fast.threatValue[s]! > 0) threatened++;
        const pairs: [ArrayBufferView, ArrayBufferView][] = [
          [fast.kind, reference.kind],
          [fast.threatValue, reference.threatValue],
          [fast.impactAtUs, reference.impactAtUs],
          [fast.ippEastM, reference.ippEastM],
          [fast.ippNorthM, reference.ippNorthM],
          [fast.ippVarEastM2, reference.ippVarEastM2],
          [fast.ippCovM2, reference.ippCovM2],
          [fast.ippVarNorthM2, reference.ippVarNorthM2],
          [fast.probability, reference.probability],
          [fast.topAsset, reference.topAsset],
        ];
        return pairs.every(([a, b]) => bytes(a).equals(bytes(b)));
      },
    ),
    { numRuns: 400 },
  );
  t.ok(threatened > 0, `threatened tracks exercised (${threatened})`);
});
