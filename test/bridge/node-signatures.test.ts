import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PassThrough } from 'node:stream';
import mqtt, { type MqttClient } from 'mqtt';
import t, { type Test } from 'tap';
import { generateBrokerCredentials } from '../../src/bridge/broker-credentials.js';
import type { CommandExecutor } from '../../src/bridge/command-executor.js';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { NodeKey, NodePublicKey } from '../../src/bridge/node-key.js';
import { loadOperatorKeyFile, OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { auditRecordPayload, type AuditRecord } from '../../src/bridge/schemas/audit-record-payload.js';
import { statusPayload } from '../../src/bridge/schemas/status-payload.js';
import { ShieldlinkBridge } from '../../src/bridge/shieldlink-bridge.js';
import { main } from '../../src/cli/main.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { tempDir } from './support/drive.js';
import { deviceState, FakeSource } from './support/fake-source.js';
import { RecordingExecutor } from './support/recording-executor.js';
import { Mosquitto, MOSQUITTO_SKIP, mosquittoBinary } from './support/mosquitto.js';
import { until } from './support/until.js';
import { writeFile } from 'node:fs/promises';

const NODE = 'bench-9';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await main(args, { stdout, stderr, stdin: new PassThrough(), isTty: false });
  return { code, out, err };
}

async function client(t: Test, url: string, user?: { username: string; password: string }): Promise<MqttClient> {
  const c = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0, ...(user ?? {}) });
  t.teardown(() => c.endAsync(true));
  return c;
}

t.test('node keys: sign and verify, tamper and foreign keys fail, files are 0600 and checked', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const key = NodeKey.generate(NODE);
  const other = NodeKey.generate(NODE);
  const signed = key.signPayload({ v: 1, id: 'c-1', status: 'completed', at: '2030-01-01T00:00:00.000Z', x: 0.5 });
  t.equal(key.public.verifyPayload(signed), 'valid');
  t.equal(key.public.verifyPayload({ ...signed, status: 'rejected' }), 'bad-signature', 'tampered');
  t.equal(key.public.verifyPayload({ ...signed, id: 'c-2' }), 'bad-signature', 'moved to another command id');
  t.equal(other.public.verifyPayload(signed), 'bad-signature', 'another key');
  t.equal(key.public.verifyPayload({ ...signed, nodeSig: undefined }), 'unsigned');
  t.equal(key.public.verifyPayload({ ...signed, nodeSig: 'x' }), 'bad-signature');
  t.equal(key.public.verifyPayload(JSON.parse(JSON.stringify(signed))), 'valid', 'survives the JSON round trip');
  t.notMatch(JSON.stringify({ key }), /privateKey|"d"/);
  const file = join(dir.path, `${NODE}.node.key.json`);
  const pubFile = await key.write(file, false);
  t.equal((await NodeKey.load(file)).keyId, key.keyId);
  t.equal((await NodePublicKey.load(pubFile)).keyId, key.keyId);
  t.equal((await NodePublicKey.load(file)).keyId, key.keyId, 'the key file serves as public key too');
  await t.rejects(key.write(file, false), 'never overwritten');
  const { chmod } = await import('node:fs/promises');
  await chmod(file, 0o644);
  await t.rejects(NodeKey.load(file), { code: 'key-file', message: /readable by group or others/ });
  const swapped = join(dir.path, 'swapped.key.json');
  const text = JSON.parse(key.toKeyFileText()) as Record<string, string>;
  await writeFile(swapped, JSON.stringify({ ...text, publicKey: other.public.publicKey }), { mode: 0o600 });
  await t.rejects(NodeKey.load(swapped), { code: 'key-file' });
});

t.test('the worked example of docs/mqtt.md verifies', async (t) => {
  const seed = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
  const publicKey = 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg';
  const key = NodeKey.fromJson(
    JSON.stringify({
      v: 1,
      kind: 'shieldlink-node-key',
      nodeId: 'bench-1',
      keyId: NodePublicKey.fromRaw('bench-1', publicKey).keyId,
      publicKey,
      privateKey: seed.toString('base64url'),
    }),
    'example',
  );
  const result = {
    v: 1,
    nodeId: 'bench-1',
    id: 'example-1',
    verb: 'safe',
    operators: ['alice'],
    detail: null,
    at: '2026-01-01T00:00:00.020Z',
    status: 'completed',
  };
  const signature = 'wChWROeGSgCAcmb-UcrjceVyB-QS55vhTm8ZcpIxb2QYs6CUIgxPkjSU-juSH0yrrIpWHC43Y1HVU5F1cN8HBg';
  t.equal(key.signPayload(result).nodeSig, signature);
  const doc = readFileSync(new URL('../../docs/mqtt.md', import.meta.url), 'utf8');
  t.ok(doc.includes(`"nodeSig": "${signature}"`), 'the Results example carries it');
  t.ok(doc.includes(publicKey) && doc.includes(seed.toString('hex')));
  t.equal(key.public.verifyPayload({ ...result, nodeSig: signature }), 'valid');
});

t.test(
  'a foreign retained status or device state is overwritten within 1 s and recorded (Aedes, MQTT 3.1.1)',
  async (t) => {
    // An open broker (no ACL): the case where the broker does not stop the forgery.
    const broker = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: null });
    t.teardown(() => broker.close());
    await foreignRetained(t, broker.url, true);
  },
);

t.test(
  'the same on Mosquitto over MQTT 5 (no-local subscriptions: no echo of its own)',
  { skip: mosquittoBinary() === null ? MOSQUITTO_SKIP : false },
  async (t) => {
    const dir = tempDir();
    t.teardown(dir.cleanup);
    const broker = await Mosquitto.start(dir.path);
    t.teardown(() => broker.stop());
    await foreignRetained(t, broker.url, false);
  },
);

/**
 * `replayIsForeign`: on MQTT 3.1.1 the node sees its own publishes come back and so can tell a
 * replay of its current status from its own echo; on MQTT 5 (no-local) a byte-identical repeat of
 * its latest payload is harmless and not counted.
 */
async function foreignRetained(t: Test, url: string, replayIsForeign: boolean): Promise<void> {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const broker = { url };
  const nodeKey = NodeKey.generate(NODE);
  const audits: AuditRecord[] = [];
  const source = new FakeSource();
  const bridge = new ShieldlinkBridge({
    nodeId: NODE,
    broker: { url: broker.url },
    spoolFile: join(dir.path, 'spool'),
    keyring: new OperatorKeyring([]),
    executor: new RecordingExecutor(),
    audit: { record: (r) => audits.push(r) },
    clock: new RealClock(),
    wallClock: wallClockMs,
    nodeKey,
  });
  await bridge.start(source);
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  source.sink!.deviceState(deviceState('launcher-1', 1000));
  const root = `shieldlink/v1/${NODE}`;
  const watcher = await client(t, broker.url);
  const latest = new Map<string, string>();
  const arrivals: { topic: string; at: number; text: string }[] = [];
  watcher.on('message', (topic, payload) => {
    latest.set(topic, payload.toString());
    arrivals.push({ topic, at: performance.now(), text: payload.toString() });
  });
  await watcher.subscribeAsync(`${root}/#`, { qos: 1 });
  await until(() => latest.has(`${root}/status`) && latest.has(`${root}/devices/launcher-1/state`));
  const own = (topic: string): boolean =>
    latest.get(topic) !== undefined && nodeKey.public.verifyPayload(JSON.parse(latest.get(topic)!)) === 'valid';
  t.ok(own(`${root}/status`), 'the birth is signed by the node');
  t.ok(own(`${root}/devices/launcher-1/state`), 'device states are signed by the node');
  const oldStatus = latest.get(`${root}/status`)!;

  const attacker = await client(t, broker.url);
  const forgedStatus = JSON.stringify({
    v: 1,
    state: 'offline',
    nodeId: NODE,
    bootId: 'x',
    reason: 'shutdown',
    at: null,
  });
  const forgedState = JSON.stringify({
    ...JSON.parse(latest.get(`${root}/devices/launcher-1/state`)!),
    state: 'armed',
  });
  const t0 = performance.now();
  await attacker.publishAsync(`${root}/status`, forgedStatus, { qos: 1, retain: true });
  await attacker.publishAsync(`${root}/devices/launcher-1/state`, forgedState, { qos: 1, retain: true });
  await attacker.publishAsync(`${root}/devices/ghost/state`, forgedState, { qos: 1, retain: true });
  // A replay of the node's own earlier, validly signed status is foreign too (it is not the latest).
  await until(() => own(`${root}/status`) && own(`${root}/devices/launcher-1/state`));
  const restoredMs = performance.now() - t0;
  t.comment(`node's own payloads back ${restoredMs.toFixed(1)} ms after the forgeries`);
  t.ok(restoredMs < 1_000, `re-asserted within 1 s (${restoredMs.toFixed(1)} ms)`);

  // What a client connecting now gets as retained: the node's own, signed.
  const late = await client(t, broker.url);
  const retained = new Map<string, string>();
  late.on('message', (topic, payload) => retained.set(topic, payload.toString()));
  await late.subscribeAsync(`${root}/#`, { qos: 1 });
  await until(() => retained.has(`${root}/status`) && retained.has(`${root}/devices/launcher-1/state`));
  const status = statusPayload.parse(JSON.parse(retained.get(`${root}/status`)!));
  t.equal(status.state, 'online');
  t.equal(nodeKey.public.verifyPayload(status), 'valid');
  t.equal(JSON.parse(retained.get(`${root}/devices/launcher-1/state`)!).state, 'safe');
  await until(() => !retained.has(`${root}/devices/ghost/state`) || retained.get(`${root}/devices/ghost/state`) === '');
  t.notOk(retained.get(`${root}/devices/ghost/state`), 'a device the node does not have is cleared');

  if (replayIsForeign) {
    await attacker.publishAsync(`${root}/status`, oldStatus, { qos: 1, retain: true });
    await until(() => audits.filter((r) => r.kind === 'foreign-publish').length === 4);
  }

  const foreign = audits.filter((r) => r.kind === 'foreign-publish');
  t.same(
    foreign.map((r) => [r.topic.slice(root.length), r.action]),
    [
      ['/status', 'reasserted'],
      ['/devices/launcher-1/state', 'reasserted'],
      ['/devices/ghost/state', 'cleared'],
      ...(replayIsForeign ? [['/status', 'reasserted']] : []),
    ],
    'every forgery recorded',
  );
  for (const r of foreign) t.ok(auditRecordPayload.safeParse(r).success);
  t.equal(bridge.metricsSnapshot().foreignPublishes, replayIsForeign ? 4 : 3);
}

t.test('shieldlink cmd refuses a forged result (exit 1, says why) and accepts the signed one', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const keysDir = join(dir.path, 'keys');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(keysDir, { mode: 0o700 });
  const alice = join(dir.path, 'alice.key.json');
  t.equal((await cli(['keygen', '--operator', 'alice', '--key-id', 'alice-1', '--out', alice])).code, 0);
  const nodeKeyFile = join(keysDir, `${NODE}.node.key.json`);
  t.equal((await cli(['keygen', '--node', NODE, '--out', nodeKeyFile])).code, 0);
  const credentials = generateBrokerCredentials(NODE);
  const credentialsFile = join(keysDir, `${NODE}.mqtt.json`);
  await writeFile(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  // The default setup: the authenticated embedded broker. The attacker holds an operator login
  // (operators may write commands/+, which also matches commands/result).
  const broker = await startEmbeddedBroker({ port: 0, wsPort: null, credentials });
  t.teardown(() => broker.close());

  // The node takes commands but never finishes this one: only a forger could say "completed".
  const hanging: CommandExecutor = { execute: () => new Promise(() => undefined) };
  const executor = new RecordingExecutor();
  let hang = true;
  const bridge = new ShieldlinkBridge({
    nodeId: NODE,
    broker: { url: broker.url, ...credentials.users.node },
    spoolFile: join(dir.path, 'spool'),
    keyring: new OperatorKeyring([(await loadOperatorKeyFile(alice)).public]),
    executor: { execute: (c, p) => (hang ? hanging.execute(c, p) : executor.execute(c, p)) },
    clock: new RealClock(),
    wallClock: wallClockMs,
    nodeKey: await NodeKey.load(nodeKeyFile),
    commands: { commandTimeoutMs: 60_000 },
  });
  await bridge.start(new FakeSource());
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();

  const forger = await client(t, broker.url, credentials.users.operator);
  await forger.subscribeAsync(`shieldlink/v1/${NODE}/commands/safe`, { qos: 1 });
  forger.on('message', (_topic, payload) => {
    const command = JSON.parse(payload.toString()) as { id: string };
    const forged = {
      v: 1,
      nodeId: NODE,
      id: command.id,
      verb: 'safe',
      operators: ['alice', 'bob'],
      detail: null,
      at: new Date(wallClockMs()).toISOString(),
      status: 'completed',
    };
    forger.publish(`shieldlink/v1/${NODE}/commands/result`, JSON.stringify(forged), { qos: 1 });
    forger.publish(
      `shieldlink/v1/${NODE}/commands/result`,
      JSON.stringify({ ...forged, nodeSig: NodeKey.generate(NODE).signPayload(forged).nodeSig }),
      { qos: 1 },
    );
  });

  const args = [
    'cmd',
    'safe',
    '--launcher',
    'launcher-1',
    '--credentials',
    credentialsFile,
    '--key',
    alice,
    '--broker',
    broker.url,
  ];
  const forgedRun = await cli([...args, '--id', 'f-1', '--timeout-ms', '1500']);
  t.equal(forgedRun.code, 1, 'non-zero exit');
  t.notMatch(forgedRun.out, /completed/, 'never prints the forged completion');
  t.match(forgedRun.err, /refused a 'completed' result for f-1 .*not signed by the node/);
  t.match(forgedRun.err, /refused a 'completed' result for f-1 .*signature is not the node key/);

  hang = false;
  forger.removeAllListeners('message');
  const honest = await cli([...args, '--id', 'f-2']);
  t.equal(honest.code, 0, honest.out + honest.err);
  t.match(honest.out, /^completed safe id=f-2 by alice/m);
  t.equal(executor.executed.length, 1);

  t.equal(
    (await cli(['cmd', 'safe', '--launcher', 'l-1', '--broker', broker.url, '--node', NODE, '--key', alice])).code,
    2,
    'no node key: usage error',
  );
});
