import { createPrivateKey, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import type { OperatorPublicKey } from '../../src/bridge/operator-public-key.js';
import { simulatedOperatorKey } from '../../src/session/operator-command-path.js';
import { runBench } from '../../src/compose/run-bench.js';
import { loadBenchConfig } from '../../src/config/load-bench-config.js';
import { MqttCapture } from '../bridge/support/mqtt-capture.js';
import { runCli } from './support/cli-process.js';

/**
 * No key material in logs, recordings or MQTT traffic. A bench runs with operator keys configured
 * (auth.keysDir: two operators' Ed25519 public keys and, with auth.legacyHmac, one legacy HMAC
 * key), scripted operators signing with their simulated Ed25519 keys, and the node's own Ed25519
 * key; the run file, the truth log, the summary, every MQTT message a `#` subscriber saw, the
 * run's log lines and the CLI process's stdout/stderr are searched for every private key (the
 * operators' seeds, which the node never holds, the simulated operators' seeds and the node's
 * seed, which it does) and every HMAC secret, as hex, base64, base64url, PEM (PKCS#8) and raw
 * bytes.
 */

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The raw 32-byte seed of an Ed25519 private key file's text. */
const seedOf = (keyFileText: string): Buffer =>
  Buffer.from((JSON.parse(keyFileText) as { privateKey: string }).privateKey, 'base64url');

interface Secret {
  readonly keyId: string;
  readonly bytes: Buffer;
}

function needles(secret: Secret): Array<[string, Buffer]> {
  const b = secret.bytes;
  return [
    ['hex', Buffer.from(b.toString('hex'))],
    ['HEX', Buffer.from(b.toString('hex').toUpperCase())],
    ['base64', Buffer.from(b.toString('base64').replace(/=+$/, ''))],
    ['base64url', Buffer.from(b.toString('base64url'))],
    ['raw', b],
    // A leak of half a key is a leak too.
    ['hex-half', Buffer.from(b.subarray(0, 16).toString('hex'))],
    // An Ed25519 seed written as a PKCS#8 PEM body (its first line holds the whole seed).
    ['pem', Buffer.from(Buffer.concat([PKCS8_ED25519_PREFIX, b]).toString('base64').slice(0, 64))],
  ];
}

function leaks(haystack: Buffer, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (const [form, needle] of needles(secret)) if (haystack.includes(needle)) found.push(`${secret.keyId}:${form}`);
  }
  return found;
}

/** `seed` of hil-configs/scenarios/single-ballistic.yaml (the simulated operators' keys derive from it). */
const SCENARIO_SEED = 1;

async function benchWithKeys(): Promise<{ dir: string; config: string; secrets: Secret[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'sl-keys-'));
  const keysDir = join(dir, 'keys');
  await mkdir(keysDir, { mode: 0o700 });
  const secrets: Secret[] = [];
  for (const operator of ['op-a', 'op-b']) {
    // The operator keeps the private key; the node's keysDir gets the public key only.
    const bytes = randomBytes(32);
    const key = OperatorKey.fromSeed(`${operator}-net`, operator, bytes);
    await writeFile(join(keysDir, `${operator}.pub.json`), (key.public as OperatorPublicKey).toPublicFileText());
    secrets.push({ keyId: key.keyId, bytes });
  }
  // A legacy HMAC operator: its shared secret is in the keyring, so the node holds it.
  const hmacBytes = randomBytes(32);
  const hmac = OperatorKey.fromSecret('op-c-hmac', 'op-c', hmacBytes);
  await writeFile(join(keysDir, 'op-c.key.json'), hmac.toKeyFileText(), { mode: 0o600 });
  secrets.push({ keyId: hmac.keyId, bytes: hmacBytes });
  // The scenario's scripted operators sign with simulated Ed25519 keys held by the process.
  for (const operator of ['op-a', 'op-b']) {
    const key = simulatedOperatorKey(SCENARIO_SEED, operator);
    secrets.push({ keyId: key.keyId, bytes: seedOf(key.toKeyFileText()) });
  }
  const config = join(dir, 'bench.yaml');
  await writeFile(
    config,
    [
      'node: { id: keys-1 }',
      `scenario: ${resolve('hil-configs/scenarios/single-ballistic.yaml')}`,
      'simulator: { enabled: true, placement: in-process }',
      'broker:',
      '  embedded: { host: 127.0.0.1, port: 0, wsPort: 0 }',
      `auth: { keysDir: ${keysDir}, legacyHmac: true }`,
      `output: { dir: ${join(dir, 'runs')} }`,
      '',
    ].join('\n'),
  );
  return { dir, config, secrets };
}

t.test('the scan finds a key in every form it claims to', async (t) => {
  const key = OperatorKey.generate('k-1', 'k');
  const secret = { keyId: 'k-1', bytes: seedOf(key.toKeyFileText()) };
  const pem = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, secret.bytes]),
    format: 'der',
    type: 'pkcs8',
  }).export({ format: 'pem', type: 'pkcs8' });
  t.same(leaks(Buffer.from(`x${pem.toString()}y`), [secret]), ['k-1:pem'], 'an OpenSSL-written PEM');
  // A seed whose base64 holds no '+' or '/' reads the same in base64 and base64url (about one key in four).
  const sameInBoth = secret.bytes.toString('base64').replace(/=+$/, '') === secret.bytes.toString('base64url');
  t.same(
    leaks(Buffer.from(key.toKeyFileText()), [secret]),
    sameInBoth ? ['k-1:base64', 'k-1:base64url'] : ['k-1:base64url'],
    'the key file itself',
  );
  t.same(leaks(Buffer.concat([Buffer.from('a'), secret.bytes]), [secret]), ['k-1:raw']);
  t.same(leaks(Buffer.from(secret.bytes.toString('hex')), [secret]), ['k-1:hex', 'k-1:hex-half']);
});

t.test('a bench with operator key files: no secret in the recording, truth, MQTT traffic or logs', async (t) => {
  const { dir, config, secrets } = await benchWithKeys();
  const loaded = await loadBenchConfig(config);
  const logLines: string[] = [];
  // The broker and a `#` subscriber are up before the run starts, so every message is seen.
  const broker = await startEmbeddedBroker({ allowAnonymous: true, host: '127.0.0.1', port: 0, wsPort: null });
  t.teardown(() => broker.close());
  const mqtt = await MqttCapture.start(broker.url, '#', { protocolVersion: 4 });
  const result = await runBench({
    loaded,
    virtualTime: true,
    recordFile: join(dir, 'run.run'),
    truthFile: join(dir, 'run.truth.jsonl'),
    log: (line) => logLines.push(line),
    broker: broker.url,
  });
  await new Promise((done) => setImmediate(done));
  // The node's own Ed25519 key, made at start in keys/ beside the recording: in the scan too.
  const nodeKeyText = await readFile(join(dir, 'keys', 'keys-1.node.key.json'), 'utf8');
  secrets.push({ keyId: 'node:keys-1', bytes: seedOf(nodeKeyText) });
  const files = {
    recording: await readFile(join(dir, 'run.run')),
    truth: await readFile(join(dir, 'run.truth.jsonl')),
    summary: Buffer.from(JSON.stringify(result.summary)),
    log: Buffer.from(logLines.join('\n')),
    mqtt: Buffer.concat(mqtt.messages.flatMap((m) => [Buffer.from(m.topic), m.payload])),
  };
  await mqtt.client.endAsync();
  t.notOk(
    logLines.some((l) => /operator keys not loaded/.test(l)),
    'the configured keys (public and legacy HMAC) were loaded',
  );
  t.ok(mqtt.messages.length > 0, `the bridge published (${mqtt.messages.length} messages)`);
  t.comment(
    `searched ${Object.entries(files)
      .map(([k, v]) => `${k} ${v.length} B`)
      .join(
        ', ',
      )} (${mqtt.messages.length} MQTT messages) for ${secrets.length} private keys and secrets x 7 encodings`,
  );
  t.ok(files.recording.includes(Buffer.from('"audit"')), 'the recording holds audited commands');
  t.ok(files.recording.includes(Buffer.from('sim-op-a')), 'commands signed by the simulated operators were recorded');
  for (const [name, bytes] of Object.entries(files)) t.same(leaks(bytes, secrets), [], `no key material in ${name}`);
});

t.test('shieldlink run with key files: no secret on stdout or stderr', async (t) => {
  const { dir, config, secrets } = await benchWithKeys();
  const run = await runCli([
    'run',
    '--config',
    config,
    '--virtual-time',
    '--broker',
    'none',
    '--record',
    join(dir, 'cli.run'),
    '--json',
    '--verbose',
  ]);
  t.comment(`run exit ${run.code}; stdout ${run.stdout.length} B, stderr ${run.stderr.length} B`);
  t.equal(run.code, 0, run.stderr);
  t.same(leaks(Buffer.from(run.stdout + run.stderr), secrets), [], 'no key material in the process output');
  t.same(leaks(await readFile(join(dir, 'cli.run')), secrets), [], 'nor in its recording');
});
