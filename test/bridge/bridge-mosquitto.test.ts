import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { BridgeHealth } from '../../src/bridge/shieldlink-bridge.js';
import { runBridgeScenario, SCENARIO_NODE, startTestBridge } from './support/bridge-scenario.js';
import { tempDir } from './support/drive.js';
import { deviceState, engagementChange } from './support/fake-source.js';
import { Mosquitto } from './support/mosquitto.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { MqttCapture } from './support/mqtt-capture.js';
import { until } from './support/until.js';

/** Outage length in the outage test: CI-sized by default, the 10 s with SHIELDLINK_OUTAGE_MS=10000. */
const OUTAGE_MS = Number(process.env.SHIELDLINK_OUTAGE_MS ?? 1_500);

/** Every test here needs a real Mosquitto: skipped, with the reason, when it is not installed. */
const skip = skipUnlessTools('mosquitto');

t.test('against Mosquitto, MQTT 5 (negotiated)', { skip }, async (t) => {
  const dir = tempDir('shieldlink-mosquitto-');
  t.teardown(dir.cleanup);
  const broker = await Mosquitto.start(dir.path);
  t.teardown(() => broker.stop());
  await runBridgeScenario(t, broker.url, '5');
});

t.test('against Mosquitto, MQTT 3.1.1 (forced)', { skip }, async (t) => {
  const dir = tempDir('shieldlink-mosquitto-');
  t.teardown(dir.cleanup);
  const broker = await Mosquitto.start(dir.path);
  t.teardown(() => broker.stop());
  await runBridgeScenario(t, broker.url, '3.1.1', '3.1.1');
});

t.test(
  'kill -9 of the node leaves status retained offline (LWT); a restart republishes full state',
  { skip },
  async (t) => {
    const dir = tempDir('shieldlink-mosquitto-');
    t.teardown(dir.cleanup);
    const broker = await Mosquitto.start(dir.path);
    t.teardown(() => broker.stop());
    const spoolDir = tempDir();
    t.teardown(spoolDir.cleanup);

    const first = await startChild(broker.url, spoolDir.path);
    t.teardown(() => first.kill('SIGKILL'));
    const watcher = await MqttCapture.start(broker.url, `shieldlink/v1/${SCENARIO_NODE}/#`);
    t.teardown(() => watcher.stop());
    t.ok(await until(() => watcher.json('/status').some((s) => s.state === 'online')), 'birth seen');
    const firstBoot = watcher.json('/status').find((s) => s.state === 'online')!.bootId;

    first.kill('SIGKILL');
    t.ok(await until(() => watcher.json('/status').some((s) => s.state === 'offline')), 'LWT published');
    const late = await MqttCapture.start(broker.url, `shieldlink/v1/${SCENARIO_NODE}/status`);
    t.ok(await until(() => late.messages.length > 0));
    t.same(
      { ...late.json('/status')[0], at: null },
      { v: 1, state: 'offline', nodeId: SCENARIO_NODE, bootId: firstBoot, reason: 'connection-lost', at: null },
      'status retained offline, reason connection-lost',
    );
    t.ok(late.messages[0]!.retain);
    await late.stop();

    const deviceStatesBefore = watcher.on('/state').length;
    const second = await startChild(broker.url, spoolDir.path);
    t.teardown(() => second.kill('SIGKILL'));
    t.ok(
      await until(
        () =>
          watcher.json('/status').at(-1)?.state === 'online' && watcher.on('/state').length >= deviceStatesBefore + 2,
      ),
      'the restarted node is online again and has republished its device states',
    );
    t.not(watcher.json('/status').at(-1)!.bootId, firstBoot, 'a new boot id');
    second.kill('SIGKILL');
  },
);

t.test(
  `broker outage (${OUTAGE_MS} ms) mid-stream: 0 events lost, none reordered, full state republished`,
  { skip },
  async (t) => {
    const dir = tempDir('shieldlink-mosquitto-');
    t.teardown(dir.cleanup);
    const broker = await Mosquitto.start(dir.path);
    t.teardown(() => broker.stop());
    // A consumer with a persistent session (QoS 1, clean session off) survives the broker restart.
    const consumer = await MqttCapture.start(broker.url, `shieldlink/v1/${SCENARIO_NODE}/#`, {
      clientId: 'outage-consumer',
      clean: false,
    });
    t.teardown(() => consumer.stop());
    const spoolDir = tempDir();
    t.teardown(spoolDir.cleanup);
    const { bridge, source, clock } = await startTestBridge(broker.url, spoolDir.path);
    t.teardown(() => bridge.stop());
    const healthSeen: BridgeHealth[] = [];
    bridge.onHealthChange((h) => healthSeen.push(h));
    await bridge.whenConnected();
    const sink = source.sink!;
    sink.deviceState(deviceState('radar-1', clock.nowUs()));
    sink.deviceState(deviceState('launcher-1', clock.nowUs()));

    // Produce engagement events steadily (every 2 ms) across the outage.
    let produced = 0;
    const producer = setInterval(() => sink.engagement(engagementChange(++produced, clock.nowUs())), 2);
    t.teardown(() => clearInterval(producer));
    await until(() => produced >= 300);
    const statesBefore = consumer.on('/state').length;
    await broker.stop();
    await until(() => bridge.health().connection === 'connecting');
    const producedAtStop = produced;
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    t.ok(produced - producedAtStop > 100, `${produced - producedAtStop} events produced during the outage`);
    t.ok(bridge.health().degraded.includes('disconnected'), 'degraded visible locally during the outage');
    t.ok(bridge.health().spooledRecords > 0, 'events went to the spool');
    await broker.restart();
    await bridge.whenConnected();
    await until(() => produced >= producedAtStop + Math.round(OUTAGE_MS / 2) + 300);
    clearInterval(producer);
    await bridge.whenIdle();
    t.ok(
      await until(() => {
        const seqs = new Set<unknown>();
        for (const m of consumer.messages)
          if (m.topic.includes('/engagements/')) seqs.add(JSON.parse(m.payload.toString()).seq);
        return seqs.size >= produced;
      }, 60_000),
      'the consumer received every event',
    );
    const seqs = consumer.messages
      .filter((m) => m.topic.includes('/engagements/'))
      .map((m) => (JSON.parse(m.payload.toString()) as { seq: number }).seq);
    const first = seqs.filter((s, i) => seqs.indexOf(s) === i);
    t.same(
      first,
      Array.from({ length: produced }, (_, i) => i + 1),
      `all ${produced} events, in order`,
    );
    t.comment(`${produced} events, ${seqs.length - first.length} duplicates after the outage (at-least-once)`);
    t.ok(consumer.on('/state').length >= statesBefore + 2, 'device states republished after reconnect');
    const birth = consumer
      .json('/status')
      .filter((s) => s.state === 'online')
      .at(-1)!;
    const lastOutage = (birth.bridge as { lastOutage: unknown; outages: number }).lastOutage;
    t.ok(lastOutage !== null, 'the birth after reconnect shows the outage on MQTT');
    t.equal((birth.bridge as { outages: number }).outages, 1);
    t.ok(healthSeen.some((h) => h.mode === 'catching-up') && bridge.health().mode === 'live', 'caught up, live again');
    t.equal(bridge.health().droppedRecords, 0);
  },
);

async function startChild(url: string, dir: string): Promise<ChildProcess> {
  const script = fileURLToPath(new URL('./support/bridge-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, url, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bridge child exited early (${code})`)));
  });
  return child;
}
