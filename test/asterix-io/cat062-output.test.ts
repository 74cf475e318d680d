/**
 * The CAT062 output on its own: one update per configured period (not per picture), the node's
 * SAC/SIC and service id, every item the output promises, I080 SIM set only for simulated data,
 * TSB/TSE at a track's first and last record, and I500 estimated accuracies from the tracker's
 * covariance (the radar's declared accuracy only when the picture has no covariance for it).
 */
import t from 'tap';
import { AsterixDecoder, type AsterixFields, type AsterixRecord } from '../../src/asterix/index.js';
import { Cat062Output } from '../../src/asterix-io/cat062-output.js';
import type { TrackSnapshot } from '../../src/control/control-snapshots.js';
import type { TrackCovarianceSnapshot } from '../../src/control/threat-snapshot.js';
import { LocalFrame } from '../../src/geo/index.js';
import type { BusyTickRecord, CoreSnapshot } from '../../src/session/tick-record-codec.js';

const FRAME = new LocalFrame({ latDeg: 43.5, lonDeg: 16.4, heightM: 120 });

function track(trackId: number, overrides: Partial<TrackSnapshot> = {}): TrackSnapshot {
  return {
    trackId,
    estimateTimeUs: 0,
    eastM: 1000 * trackId,
    northM: 2000,
    upM: 3000,
    eastMps: 10,
    northMps: -5,
    upMps: 0,
    confirmed: true,
    destroyed: false,
    radarTracks: [{ radarId: 'r1', radarTrackId: trackId }],
    ...overrides,
  } as TrackSnapshot;
}

function covariance(trackId: number): TrackCovarianceSnapshot {
  return {
    trackId,
    estimateTimeUs: 0,
    eastM: 0,
    northM: 0,
    upM: 0,
    varEastM2: 100,
    varNorthM2: 400,
    varUpM2: 30.48 * 30.48,
    varEastMps2: 4,
    varNorthMps2: 9,
    varUpMps2: 1,
  };
}

function harness(simulated: boolean): { output: Cat062Output; sent: { hostUs: number; records: AsterixRecord[] }[] } {
  const sent: { hostUs: number; records: AsterixRecord[] }[] = [];
  const output = new Cat062Output({
    sac: 25,
    sic: 77,
    serviceId: 3,
    periodUs: 1_000_000,
    simulated,
    frame: FRAME,
    timeOfDayS: (hostUs) => 36_000 + hostUs / 1e6,
    send: (datagram, hostUs) => sent.push({ hostUs, records: new AsterixDecoder().decodeAll(datagram).records }),
  });
  return { output, sent };
}

const snapshot = (nowUs: number, tracks: TrackSnapshot[], covariances?: TrackCovarianceSnapshot[]) =>
  ({ nowUs, tracks, ...(covariances ? { covariances } : {}) }) as unknown as CoreSnapshot['snapshot'];

t.test('one update per configured period, with SAC/SIC, I015 and every promised item', async (t) => {
  const { output, sent } = harness(true);
  for (let nowUs = 0; nowUs <= 5_000_000; nowUs += 200_000)
    output.onSnapshot(snapshot(nowUs, [track(1), track(2)], [covariance(1), covariance(2)]));
  t.same(
    sent.map((block) => block.hostUs),
    [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000],
    'every 1 s though the picture comes every 0.2 s',
  );
  t.equal(output.counters.records, 12);
  const record = sent[0]!.records[0]!;
  t.same([...record.items.keys()].sort(), ['010', '015', '040', '070', '080', '100', '105', '130', '185', '500']);
  t.same(record.items.get('010'), { SAC: 25, SIC: 77 });
  t.same(record.items.get('015'), { SI: 3 });
  t.match(record.items.get('080'), { SIM: 1, TSB: 1, TSE: 0, CNF: 0 });
  t.match(sent[1]!.records[0]!.items.get('080'), { TSB: 0 });
});

t.test('I080 SIM is clear for live data; a track leaving the picture ends with TSE', async (t) => {
  const { output, sent } = harness(false);
  output.onSnapshot(snapshot(0, [track(1), track(2)]));
  output.onSnapshot(snapshot(1_000_000, [track(1)]));
  t.ok(sent.flatMap((block) => block.records).every((r) => (r.items.get('080') as AsterixFields)['SIM'] === 0));
  const second = sent[1]!.records;
  t.equal(second.length, 2);
  t.match(second[1]!.items.get('040'), { TRN: 2 });
  t.match(second[1]!.items.get('080'), { TSE: 1 });
});

t.test("I500 carries the tracker's covariance, else the radar's declared accuracy", async (t) => {
  const { output, sent } = harness(true);
  output.onBusyTick({
    tick: 1,
    nowUs: 0,
    inputs: [{ kind: 'track-measurement', radarId: 'r1', radarTrackId: 2, positionSigmaM: 55, velocitySigmaMps: 7 }],
    commands: [],
    events: [],
  } as unknown as BusyTickRecord);
  output.onSnapshot(snapshot(0, [track(1), track(2)], [covariance(1)]));
  const [withCovariance, declared] = sent[0]!.records;
  t.same(withCovariance!.items.get('500'), {
    APC: { X: 10, Y: 20 },
    AGA: 100,
    ATV: { X: 2, Y: 3 },
  });
  t.same(declared!.items.get('500'), { APC: { X: 55, Y: 55 }, ATV: { X: 7, Y: 7 } });
});
