import t from 'tap';
import { StatePublisher } from '../../src/bridge/state-publisher.js';
import { deviceStatePayload } from '../../src/bridge/schemas/device-state-payload.js';
import { metricsPayload } from '../../src/bridge/schemas/metrics-payload.js';
import { trackSnapshotPayload } from '../../src/bridge/schemas/track-snapshot-payload.js';
import { TopicTree } from '../../src/bridge/topic-tree.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { FakeBrokerLink } from './support/fake-broker-link.js';
import { deviceState, trackPicture } from './support/fake-source.js';

const WALL = 1_900_000_000_000;

function setup() {
  const clock = new VirtualClock();
  const link = new FakeBrokerLink();
  link.start({ up: () => undefined, down: () => undefined, message: () => undefined });
  const topics = new TopicTree('node-a');
  const bridgeMetrics = {
    connection: 'connected' as const,
    mode: 'live' as const,
    queuedRecords: 0,
    inflightRecords: 0,
    spooledRecords: 0,
    spoolBytes: 0,
    publishedRecords: 0,
    ackedRecords: 0,
    spooledTotal: 0,
    droppedRecords: 0,
    stateMessages: 0,
    coalescedUpdates: 0,
    outages: 0,
    connects: 1,
    commandsReceived: 0,
    commandsRejected: 0,
    commandsPending: 0,
    commandsSuppressed: 0,
    foreignPublishes: 0,
  };
  const state = new StatePublisher(
    link,
    clock,
    () => WALL + clock.nowUs() / 1000,
    topics,
    'boot-1',
    () => bridgeMetrics,
    {
      trackRateHz: 10,
      metricsIntervalMs: 1000,
      deviceStaleAfterMs: 2000,
      staleCheckIntervalMs: 250,
    },
  );
  return { clock, link, topics, state };
}

t.test('device states: retained QoS 1, latest wins, age and wall times derived, schema-valid', async (t) => {
  const { clock, link, state } = setup();
  link.goUp();
  state.start();
  await clock.advance(1_000_000);
  state.deviceState(deviceState('radar-1', 900_000, { state: 'standby' }));
  state.deviceState(deviceState('radar-1', 950_000, { state: 'search' }));
  state.deviceState(deviceState('launcher 1/a', 990_000));
  await clock.advance(0);
  const devices = link.publishes.filter((p) => p.message.topic.includes('/devices/'));
  t.same(
    devices.map((p) => [p.message.topic, p.message.qos, p.message.retain]),
    [
      ['shieldlink/v1/node-a/devices/radar-1/state', 1, true],
      ['shieldlink/v1/node-a/devices/launcher%201%2Fa/state', 1, true],
    ],
  );
  const radar = deviceStatePayload.parse(JSON.parse(String(devices[0]!.message.payload)));
  t.equal(radar.state, 'search', 'latest wins');
  t.equal(radar.ageMs, 50);
  t.equal(radar.receivedAt, new Date(WALL + 950).toISOString());
  t.equal(radar.deviceTimeUs, 950_123);
  t.equal(state.counters.coalescedUpdates, 1);
  t.equal(deviceStatePayload.parse(JSON.parse(String(devices[1]!.message.payload))).deviceId, 'launcher 1/a');
  state.stop();
});

t.test('a device whose last frame is too old is republished stale (reason age), once', async (t) => {
  const { clock, link, state } = setup();
  link.goUp();
  state.start();
  state.deviceState(deviceState('launcher-1', 0));
  await clock.advance(1_900_000);
  const count = () => link.publishes.filter((p) => p.message.topic.includes('/devices/')).length;
  t.equal(count(), 1);
  await clock.advance(500_000);
  t.equal(count(), 2);
  const last = deviceStatePayload.parse(
    JSON.parse(String(link.publishes.filter((p) => p.message.topic.includes('/devices/')).at(-1)!.message.payload)),
  );
  t.equal(last.quality, 'stale');
  t.equal(last.qualityReason, 'age');
  await clock.advance(2_000_000);
  t.equal(count(), 2, 'not repeated while it stays stale');
  state.stop();
});

t.test('tracks: coalesced to the configured rate, QoS 0, not retained; metrics periodic', async (t) => {
  const { clock, link, state } = setup();
  link.goUp();
  state.start();
  for (let i = 0; i < 1000; i++) {
    state.tracks(trackPicture(i * 1000, 3));
    await clock.advance(1000); // 1 kHz producer for 1 s
  }
  const tracks = link.publishes.filter((p) => p.message.topic.endsWith('/tracks'));
  t.equal(tracks.length, 10, '10 Hz');
  t.same(
    tracks.map((p) => [p.message.qos, p.message.retain]),
    tracks.map(() => [0, false]),
  );
  const snapshots = tracks.map((p) => trackSnapshotPayload.parse(JSON.parse(String(p.message.payload))));
  t.same(
    snapshots.map((s) => s.seq),
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  );
  t.equal(snapshots[0]!.tracks.length, 3);
  const metrics = link.publishes.filter((p) => p.message.topic.endsWith('/metrics'));
  t.equal(metrics.length, 1);
  t.ok(metricsPayload.safeParse(JSON.parse(String(metrics[0]!.message.payload))).success);
  state.stop();
});

t.test('nothing is published or queued while disconnected; republishAll sends everything known', async (t) => {
  const { clock, link, state } = setup();
  state.start();
  state.deviceState(deviceState('radar-1', 0));
  state.deviceState(deviceState('launcher-1', 0));
  state.tracks(trackPicture(0, 2));
  await clock.advance(2_000_000);
  t.equal(link.publishes.length, 0);
  link.goUp();
  state.republishAll();
  await clock.advance(0);
  t.same(link.publishes.map((p) => p.message.topic.replace('shieldlink/v1/node-a/', '')).sort(), [
    'devices/launcher-1/state',
    'devices/radar-1/state',
    'metrics',
  ]);
  await clock.advance(100_000);
  t.ok(
    link.publishes.some((p) => p.message.topic.endsWith('/tracks')),
    'track picture at the next period',
  );
  state.stop();
});

t.test('non-finite numbers and odd names are made schema-safe', async (t) => {
  const { clock, link, state } = setup();
  link.goUp();
  state.start();
  state.deviceState(
    deviceState('radar-1', 0, { state: 'SEARCH MODE', link: '', counters: { a: Number.NaN, b: Infinity, c: 3 } }),
  );
  await clock.advance(0);
  const payload = deviceStatePayload.parse(JSON.parse(String(link.publishes[0]!.message.payload)));
  t.same(payload.counters, { a: null, b: null, c: 3 });
  t.equal(payload.state, 'search-mode');
  t.equal(payload.link, 'unknown');
  state.stop();
});
