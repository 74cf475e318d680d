import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import t from 'tap';
import { startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { loadOperatorKeyFile, loadOperatorVerifierFile, OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { ShieldlinkBridge } from '../../src/bridge/shieldlink-bridge.js';
import { NodeKey } from '../../src/bridge/node-key.js';
import { main } from '../../src/cli/main.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { tempDir } from './support/drive.js';
import { FakeSource } from './support/fake-source.js';
import { RecordingExecutor } from './support/recording-executor.js';

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

t.test(
  'keygen writes an Ed25519 key pair (private 0600, .pub.json beside) and never prints the private key',
  async (t) => {
    const dir = tempDir();
    t.teardown(dir.cleanup);
    const file = join(dir.path, 'alice.key.json');
    const r = await cli(['keygen', '--operator', 'alice', '--out', file]);
    t.equal(r.code, 0);
    t.equal(statSync(file).mode & 0o777, 0o600);
    const key = JSON.parse(readFileSync(file, 'utf8')) as {
      kind: string;
      keyId: string;
      publicKey: string;
      privateKey: string;
    };
    t.equal(key.kind, 'shieldlink-operator-key');
    t.match(key.keyId, /^alice-[0-9a-f]{6}$/);
    t.match(key.privateKey, /^[A-Za-z0-9_-]{43}$/);
    const pubFile = join(dir.path, 'alice.pub.json');
    t.equal(statSync(pubFile).mode & 0o777, 0o644, 'the public file is readable');
    const pub = JSON.parse(readFileSync(pubFile, 'utf8')) as Record<string, unknown>;
    t.same(pub, {
      v: 1,
      kind: 'shieldlink-operator-public-key',
      keyId: key.keyId,
      operator: 'alice',
      publicKey: key.publicKey,
    });
    t.notOk(readFileSync(pubFile, 'utf8').includes(key.privateKey), 'no private key in the public file');
    t.notOk(r.out.includes(key.privateKey) || r.err.includes(key.privateKey), 'private key not printed');
    t.match(r.out, /alice\.pub\.json/, 'says where the public key went');
    const signer = await loadOperatorKeyFile(file);
    const entry = await loadOperatorVerifierFile(pubFile);
    t.equal(entry.check(Buffer.from('m'), signer.sign(Buffer.from('m'))), 'valid', 'the pair belongs together');
    t.equal((await cli(['keygen', '--operator', 'alice', '--out', file])).code, 3, 'refuses to overwrite');
    t.equal((await cli(['keygen', '--operator', 'alice', '--out', file, '--force'])).code, 0, 'unless --force');
    t.equal((await cli(['keygen', '--out', file])).code, 2, '--operator required');
    t.equal(
      (await cli(['keygen', '--node', 'n-1', '--legacy-hmac', '--out', file])).code,
      2,
      '--node excludes --legacy-hmac',
    );

    const legacyFile = join(dir.path, 'carol.key.json');
    const legacy = await cli(['keygen', '--operator', 'carol', '--legacy-hmac', '--out', legacyFile]);
    t.equal(legacy.code, 0);
    t.match(legacy.out, /legacy HMAC/);
    const secret = JSON.parse(readFileSync(legacyFile, 'utf8')) as { kind: string; secret: string };
    t.same([secret.kind, secret.secret.length], ['shieldlink-operator-hmac-key', 64]);
    t.notOk(legacy.out.includes(secret.secret) || legacy.err.includes(secret.secret), 'secret not printed');
    t.equal(statSync(legacyFile).mode & 0o777, 0o600);
  },
);

t.test('schema prints or writes a JSON Schema per payload', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const printed = await cli(['schema']);
  t.equal(printed.code, 0);
  const all = JSON.parse(printed.out) as Record<string, { $schema: string; 'x-shieldlink-topic': string }>;
  t.same(Object.keys(all), [
    'status',
    'device-state',
    'tracks',
    'engagement-event',
    'metrics',
    'threats',
    'command-request',
    'command-result',
    'audit-record',
    'shared-tracks',
    'engagement-intents',
  ]);
  t.equal(all.status!.$schema, 'https://json-schema.org/draft/2020-12/schema');
  t.equal(all['device-state']!['x-shieldlink-topic'], 'shieldlink/v1/<node-id>/devices/<device-id>/state');
  const out = join(dir.path, 'schemas');
  t.equal((await cli(['schema', '--out', out])).code, 0);
  t.equal(readdirSync(out).length, 11);
  t.ok(JSON.parse(readFileSync(join(out, 'command-request.schema.json'), 'utf8')));
});

t.test('cmd signs, sends, waits and prints; exit codes 0/1/2/3', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const alice = join(dir.path, 'alice.key.json');
  const bob = join(dir.path, 'bob.key.json');
  const eve = join(dir.path, 'eve.key.json');
  for (const [name, file] of [
    ['alice', alice],
    ['bob', bob],
    ['eve', eve],
  ] as const) {
    t.equal((await cli(['keygen', '--operator', name, '--key-id', `${name}-1`, '--out', file])).code, 0);
  }
  const nodeKeyFile = join(dir.path, 'bench-7.node.key.json');
  t.equal((await cli(['keygen', '--node', 'bench-7', '--out', nodeKeyFile])).code, 0);
  const broker = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: null });
  t.teardown(() => broker.close());
  const executor = new RecordingExecutor();
  const bridge = new ShieldlinkBridge({
    nodeId: 'bench-7',
    broker: { url: broker.url },
    spoolFile: join(dir.path, 'spool'),
    // The node holds the operators' public keys only.
    keyring: new OperatorKeyring([
      await loadOperatorVerifierFile(join(dir.path, 'alice.pub.json')),
      await loadOperatorVerifierFile(join(dir.path, 'bob.pub.json')),
    ]),
    executor,
    clock: new RealClock(),
    wallClock: wallClockMs,
    nodeKey: await NodeKey.load(nodeKeyFile),
  });
  await bridge.start(new FakeSource());
  t.teardown(() => bridge.stop());
  await bridge.whenConnected();
  const nodePub = join(dir.path, 'bench-7.node.pub.json');
  const common = ['--broker', broker.url, '--node', 'bench-7', '--node-key', nodePub];

  const safe = await cli(['cmd', 'safe', '--launcher', 'launcher-1', ...common, '--key', alice, '--id', 'cli-1']);
  t.equal(safe.code, 0, safe.err);
  t.match(safe.out, /^completed safe id=cli-1 by alice/m);

  const json = await cli(['cmd', 'hold-fire', '--track', '12', ...common, '--key', bob, '--json']);
  t.equal(json.code, 0);
  const result = JSON.parse(json.out.trim()) as { status: string; verb: string; operators: string[] };
  t.same([result.status, result.verb, result.operators], ['completed', 'hold-fire', ['bob']]);

  const unknown = await cli(['cmd', 'safe', '--launcher', 'launcher-1', ...common, '--key', eve]);
  t.equal(unknown.code, 1);
  t.match(unknown.out, /rejected \(unknown-key\)/);

  const two = await cli(['cmd', 'set-weapons-control', 'free', ...common, '--key', alice, '--key2', bob]);
  t.equal(two.code, 0, two.out + two.err);
  t.match(two.out, /pending set-weapons-control/);
  t.match(two.out, /completed set-weapons-control id=\S+ by alice \+ bob/);

  const first = await cli(['cmd', 'arm', '--launcher', 'launcher-1', ...common, '--key', alice, '--id', 'arm-9']);
  t.equal(first.code, 0, 'pending is a success for the first operator');
  t.match(first.out, /pending arm id=arm-9 by alice: waiting for a second operator/);
  const second = await cli(['cmd', 'arm', '--launcher', 'launcher-1', ...common, '--key', bob, '--id', 'arm-9']);
  t.equal(second.code, 0);
  t.match(second.out, /completed arm id=arm-9 by alice \+ bob/);
  t.same(executor.executed.at(-1)?.operators, ['alice', 'bob']);

  t.equal(
    (await cli(['cmd', 'arm', '--launcher', 'l1', ...common, '--key', alice])).code,
    2,
    'arm without a second operator',
  );
  t.equal((await cli(['cmd', 'launch', ...common, '--key', alice])).code, 2, 'unknown verb');
  t.equal((await cli(['cmd', 'safe', ...common, '--key', alice])).code, 2, 'missing --launcher');
  t.equal((await cli(['cmd', 'safe', '--launcher', 'a/b', ...common, '--key', alice])).code, 2, 'bad id');
  t.equal(
    (
      await cli([
        'cmd',
        'safe',
        '--launcher',
        'l1',
        '--broker',
        'mqtt://127.0.0.1:1',
        '--node',
        'bench-7',
        '--node-key',
        nodePub,
        '--key',
        alice,
      ])
    ).code,
    3,
    'broker unreachable',
  );
  t.equal(
    (await cli(['cmd', 'safe', '--launcher', 'l1', ...common, '--key', join(dir.path, 'none')])).code,
    3,
    'no key file',
  );
});
