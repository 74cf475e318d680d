import fc from 'fast-check';
import t from 'tap';
import type { DefendedAsset, EnuPoint, PredictedImpact, TrackState } from '../../src/ledger/ledger-entry.js';
import { assetAt, predictImpact } from '../../src/ledger/predict-impact.js';

/**
 * The ground point of a track (where it comes down) is the same object, member for member and in
 * the same order, as the spread-built one it replaced: `{ ...point, atUs, assetId }`.
 */
function groundBefore(
  track: TrackState,
  gravityMps2: number,
  assets: readonly DefendedAsset[],
): PredictedImpact | null {
  const a = track.model === 'ballistic' ? -Math.abs(gravityMps2) : 0;
  const z = track.upM;
  const vz = track.upMps;
  let tauS = Infinity;
  if (z <= 0) tauS = 0;
  else if (a < 0) tauS = (-vz - Math.sqrt(vz * vz - 2 * a * z)) / a;
  else if (vz < 0) tauS = -z / vz;
  if (tauS > 600) return null;
  const point: EnuPoint = {
    eastM: track.eastM + track.eastMps * tauS,
    northM: track.northM + track.northMps * tauS,
    upM: 0,
  };
  return { ...point, atUs: Math.round(track.estimateTimeUs + tauS * 1e6), assetId: assetAt(point, assets) };
}

const coord = fc.double({ min: -1e5, max: 1e5, noNaN: true });
const speed = fc.double({ min: -3000, max: 3000, noNaN: true });

t.test('a ballistic track comes down where the spread-built ground point said', async (t) => {
  fc.assert(
    fc.property(
      fc.record({ eastM: coord, northM: coord, upM: fc.double({ min: -100, max: 50_000, noNaN: true }) }),
      fc.record({ eastMps: speed, northMps: speed, upMps: speed }),
      fc.double({ min: 0, max: 1e9, noNaN: true }),
      fc.array(fc.record({ eastM: coord, northM: coord, radiusM: fc.double({ min: 1, max: 1e5, noNaN: true }) }), {
        maxLength: 3,
      }),
      (at, v, estimateTimeUs, discs) => {
        const track: TrackState = {
          ...at,
          ...v,
          trackId: 1,
          estimateTimeUs,
          iff: 'hostile',
          model: 'ballistic',
          quality: 90,
          operatorPriority: false,
          firstSeen: null,
        };
        const assets: DefendedAsset[] = discs.map((d, k) => ({
          id: `a${k}`,
          position: { eastM: d.eastM, northM: d.northM, upM: 0 },
          radiusM: d.radiusM,
          source: 'config',
        }));
        const now = predictImpact(track, 9.80665, assets);
        const before = groundBefore(track, 9.80665, assets);
        return JSON.stringify(now) === JSON.stringify(before) && Object.is(now?.eastM, before?.eastM);
      },
    ),
    { numRuns: 2000 },
  );
  t.pass();
});
