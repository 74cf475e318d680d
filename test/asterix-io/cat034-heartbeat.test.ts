/**
 * CAT034 as the ASTERIX radar's heartbeat, in virtual time: north markers (message type 1) and
 * sector crossings (type 2) keep the source active; another radar's markers, and other CAT034
 * messages (type 3, geographical filtering), do not; when they stop for `staleAfterUs` the
 * source goes stale (reported once per episode) and the next marker makes it active again.
 */
import t from 'tap';
import { type AsterixRecordInput, encodeBlock } from '../../src/asterix/index.js';
import { AsterixRadarSource } from '../../src/asterix-io/asterix-radar-source.js';
import { LocalFrame } from '../../src/geo/index.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

const FRAME = new LocalFrame({ latDeg: 45.8, lonDeg: 15.97, heightM: 110 });

function message(type: number, sic = 13): Uint8Array {
  const record: AsterixRecordInput = {
    category: 34,
    items: {
      '010': { SAC: 25, SIC: sic },
      '000': { MessageType: type },
      '030': { ToD: 36_000 },
      ...(type === 2 ? { '020': { SECTOR: 90 } } : {}),
    },
  };
  return encodeBlock(34, [record]);
}

t.test('north markers and sector crossings are the heartbeat; their silence is stale', async (t) => {
  const clock = new VirtualClock();
  const statuses: string[] = [];
  const source = new AsterixRadarSource({
    radarId: 'asterix-1',
    clock,
    context: {
      radarFrame: FRAME,
      benchFrame: FRAME,
      sac: 25,
      sic: 13,
      rangeSigmaM: 30,
      azimuthSigmaDeg: 0.05,
      velocitySigmaMps: 5,
      acceptSimulated: false,
      timeOfDayS: (hostUs) => 36_000 + hostUs / 1e6,
    },
    staleAfterUs: 2_000_000,
    emit: () => undefined,
    nextSeq: () => 1,
    onStatus: (status, atUs) => statuses.push(`${status}@${atUs / 1e6}s`),
  });
  source.startWithoutSocket();
  t.teardown(() => source.stop());
  t.equal(source.status, 'waiting');
  source.handleDatagram(message(3), clock.nowUs()); // geographical filtering: not a heartbeat
  source.handleDatagram(message(1, 99), clock.nowUs()); // another radar's north marker
  t.equal(source.status, 'waiting', 'neither another message type nor another radar counts');
  source.handleDatagram(message(1), clock.nowUs());
  t.equal(source.status, 'active');
  // sector crossings every second for 5 s keep it active
  for (let s = 1; s <= 5; s++) {
    await clock.advance(1_000_000);
    source.handleDatagram(message(2), clock.nowUs());
  }
  t.equal(source.status, 'active', 'sector crossings alone keep it active');
  await clock.advance(4_000_000);
  t.equal(source.status, 'stale', 'stale after 2 s of silence');
  await clock.advance(10_000_000);
  t.equal(source.counters.staleEpisodes, 1, 'one episode, reported once');
  source.handleDatagram(message(1), clock.nowUs());
  t.equal(source.status, 'active', 'back with the next north marker');
  t.equal(statuses.length, 3);
  t.match(statuses, [/^active@0s$/, /^stale@(7|7\.5)s$/, /^active@19s$/]);
  t.equal(source.counters.serviceMessages, 7);
});
