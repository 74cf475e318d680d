import t from 'tap';
import { JointTrackFacts, associationDetail } from '../../src/bridge/joint-track-facts.js';
import { trackSnapshotPayload } from '../../src/bridge/schemas/track-snapshot-payload.js';
import { StatePublisher } from '../../src/bridge/state-publisher.js';
import { TopicTree } from '../../src/bridge/topic-tree.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { FakeBrokerLink } from './support/fake-broker-link.js';
import { trackPicture } from './support/fake-source.js';

const association = {
  trackId: '2',
  jointId: 7,
  fusedEastM: 1005,
  fusedNorthM: 2001,
  ownEastM: 1000,
  ownNorthM: 2000,
  partners: [{ nodeId: 'node-b', trackId: '42', eastM: 1010, northM: 2003 }],
};

t.test('a fused track goes out on `tracks` with its association in its detail; others unchanged', async (t) => {
  const clock = new VirtualClock();
  const link = new FakeBrokerLink();
  link.start({ up: () => undefined, down: () => undefined, message: () => undefined });
  const facts = new JointTrackFacts();
  const state = new StatePublisher(
    link,
    clock,
    () => 1_900_000_000_000 + clock.nowUs() / 1000,
    new TopicTree('node-a'),
    'boot-1',
    () => ({}) as never,
    { trackRateHz: 10, trackDetail: (id) => facts.of(id) },
  );
  link.goUp();
  state.start();
  facts.set([association]);
  state.tracks({
    ...trackPicture(1000, 3),
    tracks: trackPicture(1000, 3).tracks.map((x) => ({ ...x, detail: { origin: 'local' } })),
  });
  await clock.advance(200_000);
  const published = link.publishes.filter((p) => p.message.topic === 'shieldlink/v1/node-a/tracks');
  t.equal(published.length, 1);
  const payload = trackSnapshotPayload.parse(JSON.parse(String(published[0]!.message.payload)));
  t.same(payload.tracks[1]!.detail, {
    origin: 'local',
    jointId: 7,
    fusedEastM: 1005,
    fusedNorthM: 2001,
    ownEastM: 1000,
    ownNorthM: 2000,
    'partner.node-b.trackId': '42',
    'partner.node-b.eastM': 1010,
    'partner.node-b.northM': 2003,
  });
  t.same(payload.tracks[0]!.detail, { origin: 'local' }, 'a track not fused: its own detail only');
  facts.set([]);
  t.equal(facts.of('2'), undefined, 'the next update replaces every fact');
  state.stop();
});

t.test('a partner id too long for a detail key is left out, never truncated', async (t) => {
  const long = 'n'.repeat(60);
  const detail = associationDetail({
    ...association,
    partners: [...association.partners, { nodeId: long, trackId: '1', eastM: 0, northM: 0 }],
  });
  t.notOk(Object.keys(detail).some((k) => k.includes(long.slice(0, 40))));
  t.ok(Object.keys(detail).every((k) => k.length <= 64));
  t.equal(detail['partner.node-b.trackId'], '42');
});
