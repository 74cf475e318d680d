import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { MqttCapture } from '../bridge/support/mqtt-capture.js';
import { Mosquitto } from '../bridge/support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';

// The MQTT bridge: against Mosquitto, a separate client subscribed to shieldlink/v1/# sees
// the retained birth, device states, track snapshots and engagement events of a running
// scenario, and an unsigned command gets a `rejected` result.
const skip = skipUnlessTools('mosquitto');

t.test('a running scenario is visible on a real broker and unsigned commands are rejected', { skip }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-broker-'));
  const broker = await Mosquitto.start(dir);
  t.teardown(() => broker.stop());
  const capture = await MqttCapture.start(broker.url, 'shieldlink/v1/#');
  t.teardown(() => capture.stop());
  const loaded = await loadBenchConfig('hil-configs/sim.yaml');
  let sentUnsigned = false;
  const result = await runBench({
    loaded,
    scenarioFile: 'hil-configs/scenarios/single-ballistic.yaml',
    virtualTime: true,
    broker: broker.url,
    recordFile: join(dir, 'run.run'),
    onBridge: () => {
      const client = mqtt.connect(broker.url, { protocolVersion: 4 });
      client.on('connect', () => {
        client.publish(
          'shieldlink/v1/sim-1/commands/set-weapons-control',
          JSON.stringify({
            v: 1,
            id: 'forged-1',
            node: 'sim-1',
            verb: 'set-weapons-control',
            args: { status: 'free' },
          }),
          { qos: 1 },
          () => {
            sentUnsigned = true;
            client.end();
          },
        );
      });
    },
  });
  t.equal(result.summary.intercepted, 1);
  t.equal(result.summary.safety.firesWithoutAuthorization, 0, 'the forged FREE authorized nothing');
  // Let the last messages arrive.
  const lastState = () =>
    (JSON.parse(capture.on('/status').at(-1)?.payload.toString() ?? '{}') as { state?: string }).state;
  for (
    let i = 0;
    i < 100 && (!sentUnsigned || capture.on('/commands/result').length === 0 || lastState() !== 'offline');
    i++
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  const births = capture.json('/status');
  t.ok(
    births.some((b) => b.state === 'online' || b.online === true || 'softwareVersion' in b),
    'birth seen',
  );
  t.ok(capture.on('/devices/radar-1/state').length > 0, 'radar state seen');
  t.ok(capture.on('/devices/launcher-1/state').length > 0, 'launcher state seen');
  t.ok(capture.on('/tracks').length > 0, 'track snapshots seen');
  const engagementEvents = capture.messages.filter((m) => m.topic.includes('/engagements/'));
  t.ok(engagementEvents.length >= 3, `engagement events seen (${engagementEvents.length})`);
  const seqs = engagementEvents.map((m) => (JSON.parse(m.payload.toString()) as { seq: number }).seq);
  t.same(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'in order',
  );
  const results = capture.json('/commands/result').filter((r) => r.id === 'forged-1');
  t.equal(results.length, 1, 'the unsigned command got exactly one result');
  t.equal(results[0]?.status, 'rejected');
  const retainedStatus = capture.on('/status').at(-1);
  t.ok(
    retainedStatus !== undefined && JSON.parse(retainedStatus.payload.toString()).state !== 'online',
    'offline after stop',
  );
});
