/**
 * One CAT048 report to one measurement, item by item: I110 (measured 3D height) is preferred to
 * I090; I090's flight level is used only validated and not garbled; I200 turns into the
 * velocity; I170 CNF lowers the quality, GHO (ghost) is refused; I020 TST/RAB (test target,
 * field monitor) are refused; the measurement's sigmas come from the radar's declared
 * accuracies (range and azimuth at the plot's range, velocity).
 */
import t from 'tap';
import { cat048ReportOf } from '../../firmware-sim/asterix/cat048-report.js';
import { AsterixDecoder, type AsterixRecord, encodeBlock } from '../../src/asterix/index.js';
import { type Cat048RadarContext, cat048Measurement } from '../../src/asterix-io/cat048-measurement.js';
import { LocalFrame } from '../../src/geo/index.js';

const SITE = new LocalFrame({ latDeg: 45.8, lonDeg: 15.97, heightM: 0 });
const SOURCE = { sac: 25, sic: 13 };
const CTX: Cat048RadarContext = {
  radarFrame: SITE,
  benchFrame: SITE,
  ...SOURCE,
  rangeSigmaM: 30,
  azimuthSigmaDeg: 0.05,
  velocitySigmaMps: 5,
  acceptSimulated: true,
  timeOfDayS: (hostUs) => 36_000 + hostUs / 1e6,
};
const TARGET = { trackNumber: 9, eastM: 30_000, northM: 40_000, upM: 6000, eastMps: 0, northMps: 150 };

function report(edit: (record: AsterixRecord) => void = () => undefined): AsterixRecord {
  const [record] = new AsterixDecoder().decodeAll(
    encodeBlock(48, [cat048ReportOf(TARGET, SITE, SITE, SOURCE, 36_000)]),
  ).records;
  edit(record!);
  return record!;
}

function measured(record: AsterixRecord) {
  const result = cat048Measurement(record, 0, CTX);
  if (result.kind !== 'measurement') throw new Error(`expected a measurement, got ${JSON.stringify(result)}`);
  return result;
}

const heightOf = (position: { eastM: number; northM: number; upM: number }): number =>
  SITE.geodeticOf(position).heightM;

t.test(
  'I110 measured height is preferred; I090 flight level is the fallback, validated and ungarbled only',
  async (t) => {
    const both = measured(
      report((r) => {
        r.items.set('110', { '3DH': 20_000 }); // 6096 m measured
        r.items.set('090', { V: 0, G: 0, FL: 330 }); // 10058.4 m by flight level
      }),
    );
    t.ok(Math.abs(heightOf(both.position) - 6096) < 1, `I110 used: ${heightOf(both.position).toFixed(1)} m`);
    const byFlightLevel = measured(
      report((r) => {
        r.items.delete('110');
        r.items.set('090', { V: 0, G: 0, FL: 330 });
      }),
    );
    t.ok(
      Math.abs(heightOf(byFlightLevel.position) - 10_058.4) < 1,
      `I090 FL 330 as 10058.4 m: ${heightOf(byFlightLevel.position).toFixed(1)} m`,
    );
    for (const [V, G] of [
      [1, 0],
      [0, 1],
    ] as const) {
      const record = report((r) => {
        r.items.delete('110');
        r.items.set('090', { V, G, FL: 330 });
      });
      t.same(cat048Measurement(record, 0, CTX), { kind: 'refused', reason: 'no-height' }, `V=${V} G=${G}`);
    }
  },
);

t.test('I040 and I200 give position and velocity; sigmas are the declared accuracies', async (t) => {
  const m = measured(report());
  t.ok(Math.hypot(m.position.eastM - 30_000, m.position.northM - 40_000) < 10, 'position within the items');
  t.ok(Math.abs(m.velocity.eastM) < 0.5 && Math.abs(m.velocity.northM - 150) < 0.5, 'I200 150 m/s north');
  const rangeM = (report().items.get('040') as { RHO: number }).RHO * 1852;
  t.equal(m.positionSigmaM, Math.hypot(30, (rangeM * 0.05 * Math.PI) / 180), 'range and cross-range sigma');
  t.equal(m.velocitySigmaMps, 5);
  t.equal(m.trackNumber, 9);
  t.equal(m.quality, 100, 'confirmed track');
});

t.test('I170 CNF tentative lowers the quality; GHO ghost tracks are refused', async (t) => {
  t.equal(measured(report((r) => r.items.set('170', { CNF: 1, RAD: 0, DOU: 0, MAH: 0, CDM: 0 }))).quality, 50);
  const ghost = report((r) =>
    r.items.set('170', { CNF: 0, RAD: 0, DOU: 0, MAH: 0, CDM: 0, TRE: 0, GHO: 1, SUP: 0, TCC: 0 }),
  );
  t.same(cat048Measurement(ghost, 0, CTX), { kind: 'refused', reason: 'ghost' });
});

t.test('I020 test targets and field monitors are refused; SIM only when not accepted', async (t) => {
  const descriptor = { TYP: 5, SIM: 0, RDP: 0, SPI: 0, RAB: 0, TST: 0, ERR: 0, XPP: 0, ME: 0, MI: 0, FOEFRI: 0 };
  t.equal(
    cat048Measurement(
      report((r) => r.items.set('020', descriptor)),
      0,
      CTX,
    ).kind,
    'measurement',
  );
  t.same(
    cat048Measurement(
      report((r) => r.items.set('020', { ...descriptor, TST: 1 })),
      0,
      CTX,
    ),
    {
      kind: 'refused',
      reason: 'test-target',
    },
  );
  t.same(
    cat048Measurement(
      report((r) => r.items.set('020', { ...descriptor, RAB: 1 })),
      0,
      CTX,
    ),
    {
      kind: 'refused',
      reason: 'test-target',
    },
  );
  t.same(cat048Measurement(report(), 0, { ...CTX, acceptSimulated: false }), { kind: 'refused', reason: 'simulated' });
  t.equal(cat048Measurement(report(), 0, CTX).kind, 'measurement', 'SIM accepted on a simulated bench');
});
