import t from 'tap';
import type { BridgeSink, LoopMetrics, TrackPicture } from '../../src/bridge/index.js';
import type { EngagementEvent } from '../../src/control/index.js';
import { releasableTracks } from '../../src/bridge/sharing-link.js';
import { BridgePublisher } from '../../src/session/bridge-publisher.js';
import type { CoreSnapshot } from '../../src/session/tick-record-codec.js';

function snapshot(nowUs: number, trackIds: number[]): CoreSnapshot['snapshot'] {
  return {
    nowUs,
    weaponsControlStatus: 'tight',
    tracks: trackIds.map(
      (trackId) =>
        ({
          trackId,
          radarTracks: [{ radarId: 'radar-1', radarTrackId: trackId }],
        }) as unknown as CoreSnapshot['snapshot']['tracks'][number],
    ),
    engagements: [],
    launchers: [],
  };
}

function recordingSink() {
  const pictures: TrackPicture[] = [];
  const metrics: LoopMetrics[] = [];
  const engagements: unknown[] = [];
  const sink: BridgeSink = {
    deviceState: () => undefined,
    tracks: (picture) => pictures.push(picture),
    engagement: (change) => engagements.push(change),
    metrics: (m) => metrics.push(m),
  };
  return { sink, pictures, metrics, engagements };
}

const birth = { softwareVersion: 't', configHash: 'h', startedAt: '2026-01-01T00:00:00.000Z', devices: [] };

t.test('without a gate every snapshot is forwarded', async (t) => {
  const publisher = new BridgePublisher({ birth, radars: new Map(), launchers: new Map(), simulated: true });
  const { sink, pictures, metrics } = recordingSink();
  publisher.attach(sink);
  for (let i = 0; i < 5; i++) publisher.onSnapshot(snapshot(i * 200_000, [i]));
  t.same(
    pictures.map((p) => p.hostTimeUs),
    [0, 200_000, 400_000, 600_000, 800_000],
  );
  t.equal(metrics.length, 5);
});

t.test('a gate holds snapshots back; flush forwards the latest one held; engagement events pass', async (t) => {
  let open = true;
  const publisher = new BridgePublisher({
    birth,
    radars: new Map(),
    launchers: new Map(),
    simulated: true,
    forwardSnapshot: () => open,
  });
  const { sink, pictures, engagements } = recordingSink();
  publisher.attach(sink);
  publisher.onSnapshot(snapshot(0, [1]));
  open = false;
  publisher.onSnapshot(snapshot(200_000, [1, 2]));
  publisher.onSnapshot(snapshot(400_000, [1, 2, 3]));
  const event = {
    kind: 'engagement',
    seq: 1,
    atUs: 400_000,
    engagementId: 1,
    trackId: 1,
    launcherId: 'l1',
    transition: 'planned',
  } as unknown as EngagementEvent;
  publisher.onBusyTick({ tick: 400, nowUs: 400_000, inputs: [], commands: [], events: [event] });
  t.same(
    pictures.map((p) => p.hostTimeUs),
    [0],
    'held back while the gate is shut',
  );
  t.equal(engagements.length, 1, 'engagement events are never held back');
  publisher.flush();
  t.same(
    pictures.map((p) => p.tracks.length),
    [1, 3],
    'flush sends the latest held-back picture',
  );
  publisher.flush();
  t.equal(pictures.length, 2, 'nothing held back any more: flush sends nothing');
});

t.test("a core track a partner feed touched is not this node's own: never tagged local, never released", async (t) => {
  const publisher = new BridgePublisher({ birth, radars: new Map(), launchers: new Map(), simulated: true });
  const { sink, pictures } = recordingSink();
  publisher.attach(sink);
  const track = (trackId: number, radarIds: string[]) =>
    ({
      trackId,
      radarTracks: radarIds.map((radarId, i) => ({ radarId, radarTrackId: i + 1 })),
    }) as unknown as CoreSnapshot['snapshot']['tracks'][number];
  publisher.onSnapshot({
    ...snapshot(0, []),
    tracks: [track(1, ['radar-1']), track(2, ['partner.node-b']), track(3, ['radar-1', 'partner.node-b'])],
  });
  t.same(
    pictures[0]!.tracks.map((v) => [v.trackId, v.detail?.['origin']]),
    [
      ['1', 'local'],
      ['2', 'partner'],
      ['3', 'fused'],
    ],
  );
  const released = releasableTracks(pictures[0]!, 0, 1_767_225_600_000).filter((r) => r.origin === 'local');
  t.same(
    released.map((r) => r.trackId),
    ['1'],
    'only the own-radar track is releasable',
  );
});
