import t from 'tap';
import type { MqttLogEntry } from '../../src/export/mqtt-log.js';
import { markReplayed, planReplay } from '../../src/export/replay-plan.js';
import { exportJsonSchemas } from '../../src/bridge/index.js';
import { statusPayload } from '../../src/bridge/schemas/status-payload.js';
import { deviceStatePayload } from '../../src/bridge/schemas/device-state-payload.js';

const entry = (tUs: number, topic: string, payload: unknown): MqttLogEntry => ({
  kind: 'publish',
  tUs,
  topic,
  qos: 1,
  retain: false,
  payload: JSON.stringify(payload),
});

t.test('marking: status replay flag, good/simulated quality becomes replayed, others untouched', async (t) => {
  const status = JSON.parse(
    markReplayed(
      'shieldlink/v1/n/status',
      Buffer.from('{"v":1,"state":"offline","nodeId":"n","bootId":"b","reason":"shutdown","at":null}'),
    ).toString(),
  ) as Record<string, unknown>;
  t.equal(status.replay, true);
  t.ok(statusPayload.safeParse(status).success, 'a replayed status is valid against its schema');
  const tracks = JSON.parse(
    markReplayed(
      'shieldlink/v1/n/tracks',
      Buffer.from('{"tracks":[{"quality":"good"},{"quality":"stale"},{"quality":"simulated"}]}'),
    ).toString(),
  ) as { tracks: { quality: string }[] };
  t.same(
    tracks.tracks.map((x) => x.quality),
    ['replayed', 'stale', 'replayed'],
  );
  t.equal(
    markReplayed('shieldlink/v1/n/metrics', Buffer.from('{"a":1}')).toString(),
    '{"a":1}',
    'no quality: unchanged',
  );
  t.equal(markReplayed('x', Buffer.from('not json')).toString(), 'not json', 'not JSON: unchanged');
  t.ok(deviceStatePayload.shape.quality.safeParse('replayed').success, 'replayed is a quality');
  t.match(JSON.stringify(exportJsonSchemas()['device-state']), /"replayed"/, 'and in the exported JSON Schema');
});

t.test('plan: window, pace, order kept', async (t) => {
  const log = [
    entry(500_000, 'a', { i: 0 }),
    entry(1_000_000, 'b', { i: 1 }),
    entry(1_000_000, 'c', { i: 2 }),
    entry(3_000_000, 'd', { i: 3 }),
    entry(5_000_000, 'e', { i: 4 }),
  ];
  const all = planReplay(log, { rate: 10 });
  t.same(
    all.map((p) => [p.topic, p.atUs]),
    [
      ['a', 0],
      ['b', 50_000],
      ['c', 50_000],
      ['d', 250_000],
      ['e', 450_000],
    ],
  );
  const window = planReplay(log, { rate: 2, fromS: 1, toS: 5 });
  t.same(
    window.map((p) => [p.topic, p.atUs]),
    [
      ['b', 0],
      ['c', 0],
      ['d', 1_000_000],
    ],
    '--from inclusive, --to exclusive, time from the first message of the window',
  );
  t.same(planReplay(log, { rate: 1, fromS: 9 }), [], 'an empty window');
});
