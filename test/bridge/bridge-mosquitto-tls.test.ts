import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import t from 'tap';
import { OperatorClient } from '../../src/bridge/operator-client.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { ShieldlinkBridge } from '../../src/bridge/shieldlink-bridge.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { tempDir } from './support/drive.js';
import { deviceState, FakeSource } from './support/fake-source.js';
import { Mosquitto } from './support/mosquitto.js';
import { findTool, skipUnlessTools } from '../support/require-tool.js';
import { RecordingExecutor } from './support/recording-executor.js';
import { until } from './support/until.js';

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd', 'openssl');
const PASSWD = findTool('mosquitto_passwd') ?? 'mosquitto_passwd';

/** A CA and a server certificate for 127.0.0.1, made with the openssl CLI. */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=shieldlink-test-ca',
  );
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

t.test('TLS (mqtts, CA file) with username and password against Mosquitto', { skip }, async (t) => {
  const dir = tempDir('shieldlink-tls-');
  t.teardown(dir.cleanup);
  const files = makeCertificates(dir.path);
  const passwords = join(dir.path, 'passwd');
  execFileSync(PASSWD, ['-b', '-c', passwords, 'bench-node', 'n0de-secret'], { stdio: 'ignore' });
  execFileSync(PASSWD, ['-b', passwords, 'operator', '0p-secret'], { stdio: 'ignore' });
  const broker = await Mosquitto.start(dir.path, {
    tls: true,
    anonymous: false,
    listenerLines: [
      `cafile ${files.ca}`,
      `certfile ${files.cert}`,
      `keyfile ${files.key}`,
      `password_file ${passwords}`,
    ],
  });
  t.teardown(() => broker.stop());

  const source = new FakeSource();
  const bridge = new ShieldlinkBridge({
    nodeId: 'tls-node',
    broker: { url: broker.url, username: 'bench-node', password: 'n0de-secret', tls: { caFile: files.ca } },
    spoolFile: join(dir.path, 'spool'),
    keyring: new OperatorKeyring([]),
    executor: new RecordingExecutor(),
    clock: new RealClock(),
    wallClock: wallClockMs,
  });
  await bridge.start(source);
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  t.equal(bridge.health().protocol, '5');
  source.sink!.deviceState(deviceState('radar-1', 0));

  const reader = await mqtt.connectAsync(broker.url, {
    ca: [readFileSync(files.ca)],
    username: 'operator',
    password: '0p-secret',
    reconnectPeriod: 0,
  });
  t.teardown(() => reader.endAsync(true));
  const topics: string[] = [];
  reader.on('message', (topic) => topics.push(topic));
  await reader.subscribeAsync('shieldlink/v1/tls-node/#', { qos: 1 });
  t.ok(await until(() => topics.includes('shieldlink/v1/tls-node/devices/radar-1/state')), 'state arrives over TLS');

  // Without the CA the certificate is refused; with a wrong password the broker refuses.
  const clock = new RealClock();
  await t.rejects(
    OperatorClient.connect({
      broker: { url: broker.url, username: 'operator', password: '0p-secret' },
      nodeId: 'tls-node',
      clock,
      wallClock: wallClockMs,
    }),
    { code: 'broker-unavailable' },
  );
  await t.rejects(
    OperatorClient.connect({
      broker: { url: broker.url, username: 'operator', password: 'wrong', tls: { caFile: files.ca } },
      nodeId: 'tls-node',
      clock,
      wallClock: wallClockMs,
    }),
    { code: 'broker-unavailable' },
  );
  const ok = await OperatorClient.connect({
    broker: { url: broker.url, username: 'operator', password: '0p-secret', tls: { caFile: files.ca } },
    nodeId: 'tls-node',
    clock,
    wallClock: wallClockMs,
  });
  await ok.close();
});
