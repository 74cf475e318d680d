import mqtt from 'mqtt';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { runBridgeScenario, SCENARIO_NODE, startTestBridge } from './support/bridge-scenario.js';
import { tempDir } from './support/drive.js';
import { deviceState } from './support/fake-source.js';
import { until } from './support/until.js';

t.test('against the embedded Aedes broker (MQTT 3.1.1)', async (t) => {
  const broker = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: 0 });
  t.teardown(() => broker.close());
  await runBridgeScenario(t, broker.url, '3.1.1');
});

t.test('a browser-style WebSocket client sees the retained state through the embedded broker', async (t) => {
  const broker = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: 0 });
  t.teardown(() => broker.close());
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const { bridge, source, clock } = await startTestBridge(broker.url, dir.path);
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  source.sink!.deviceState(deviceState('radar-1', clock.nowUs()));
  await until(() => bridge.metricsSnapshot().stateMessages > 0);
  t.ok(broker.wsUrl?.startsWith('ws://127.0.0.1:'));
  const ws = await mqtt.connectAsync(broker.wsUrl!, { protocolVersion: 4, reconnectPeriod: 0 });
  t.teardown(() => ws.endAsync(true));
  const seen: string[] = [];
  ws.on('message', (topic) => seen.push(topic));
  await ws.subscribeAsync(`shieldlink/v1/${SCENARIO_NODE}/#`, { qos: 1 });
  t.ok(await until(() => seen.includes(`shieldlink/v1/${SCENARIO_NODE}/devices/radar-1/state`)));
  t.ok(seen.includes(`shieldlink/v1/${SCENARIO_NODE}/status`));
});

t.test('the embedded broker refuses a port in use with a typed error', async (t) => {
  const first = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: null });
  t.teardown(() => first.close());
  await t.rejects(startEmbeddedBroker({ allowAnonymous: true, port: first.port, wsPort: null }), {
    code: 'broker-config',
  });
});
