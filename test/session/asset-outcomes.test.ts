import t from 'tap';
import { assetOutcomes } from '../../src/session/asset-outcomes.js';
import { formatDoctrineComparison } from '../../src/cli/doctrine-comparison.js';
import type { RunSummary } from '../../src/session/run-summary.js';

const city = {
  id: 'city',
  area: { kind: 'circle' as const, eastM: 0, northM: 0, radiusM: 1000 },
  minAltitudeM: 0,
  maxAltitudeM: 1000,
  value: 10,
  keepOut: [],
};
const sample = (targetId: string, tUs: number, eastM: number, upM: number, eastMps: number) => ({
  kind: 'target',
  tUs,
  targetId,
  iff: 'hostile',
  eastM,
  northM: 0,
  upM,
  eastMps,
  northMps: 0,
  upMps: 0,
});

t.test('asset leakers, harmless impacts, value saved and rounds, from truth', async (t) => {
  const truth = [
    {
      kind: 'run-start',
      tUs: 0,
      targets: ['a', 'b', 'c'].map((id) => ({ targetId: id, iff: 'hostile', targetKind: 'ballistic' })),
    },
    sample('a', 0, 10_000, 5_000, -10_000 / Math.sqrt((2 * 5_000) / 9.80665)), // lands on the city
    sample('b', 0, 30_000, 5_000, 0), // lands 30 km east: no asset
    sample('c', 0, 20_000, 5_000, -20_000 / Math.sqrt((2 * 5_000) / 9.80665)), // would land on the city
    { kind: 'launch', tUs: 1, executedUs: 1, commandId: 1 },
    { kind: 'closest-approach', tUs: 2, commandId: 1, targetId: 'b', missM: 5 },
    { kind: 'kill', tUs: 2, targetId: 'b', iff: 'hostile', commandId: 1 },
    { kind: 'launch', tUs: 3, executedUs: 3, commandId: 2 },
    { kind: 'closest-approach', tUs: 4, commandId: 2, targetId: 'c', missM: 5 },
    { kind: 'kill', tUs: 4, targetId: 'c', iff: 'hostile', commandId: 2 },
    {
      kind: 'impact',
      tUs: 32e6,
      targetId: 'a',
      iff: 'hostile',
      leaker: true,
      position: { eastM: 0, northM: 0, upM: 0 },
    },
  ];
  const o = assetOutcomes(truth, [city]);
  t.equal(o.assetThreats, 2, 'a and c aimed at the city; b at open ground');
  t.equal(o.leakers, 1);
  t.equal(o.groundImpacts, 0);
  t.equal(o.valueAtRisk, 20);
  t.equal(o.valueSaved, 10);
  t.equal(o.valueSavedRatio, 0.5);
  t.equal(o.roundsPerKill, 1);
  t.equal(o.roundsOnNoAssetThreats, 1, 'the round on b');
  t.equal(o.roundsOnNoAssetWhileAssetThreatUnengaged, 1, 'a flew unengaged and hit the city meanwhile');
});

t.test('the doctrine comparison puts each doctrine in its own column', async (t) => {
  const summary = (leakers: number) =>
    ({
      intercepted: 5,
      launches: 8,
      friendliesEngaged: 0,
      assets: {
        assetThreats: 5,
        leakers,
        groundImpacts: 7,
        valueAtRisk: 50,
        valueSaved: 50 - 10 * leakers,
        valueSavedRatio: 1 - leakers / 5,
        roundsPerKill: 1.6,
        roundsOnNoAssetThreats: 0,
        roundsOnNoAssetWhileAssetThreatUnengaged: 0,
      },
    }) as unknown as RunSummary;
  const table = formatDoctrineComparison([
    { doctrine: 'expected-value', summary: summary(0) },
    { doctrine: 'earliest-impact', summary: summary(4) },
  ]);
  t.match(table, /^doctrine\s+expected-value\s+earliest-impact$/m);
  t.match(table, /^asset leakers\s+0\s+4$/m);
  t.match(table, /^asset value saved, ratio\s+1\s+0\.20$/m);
});
