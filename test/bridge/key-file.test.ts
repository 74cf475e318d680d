import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { generateBrokerCredentials, loadBrokerCredentials } from '../../src/bridge/broker-credentials.js';
import { KeyFileError, loadSecretKeyJson, readKeyFile, writeKeyFile } from '../../src/bridge/key-file.js';
import { NodeKey, NodePublicKey } from '../../src/bridge/node-key.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import { loadOperatorKeyFile } from '../../src/bridge/operator-keyring.js';
import { tempDir } from './support/drive.js';

// One loader reads every key file: operator keys, node keys and broker credentials. Each test
// below names the check it guards and goes through the loader and each of its users.

const SEED = Buffer.alloc(32, 0x3e);
const SECRET_MARK = 'AAAAsecretAAAA';
// Windows files carry no POSIX mode: the permission check does not apply there.
const POSIX_ONLY = { skip: process.platform === 'win32' ? 'Windows has no POSIX file modes' : false };

async function keyFiles(dir: string): Promise<{ node: string; nodePub: string; operator: string; broker: string }> {
  const node = join(dir, 'n1.node.key.json');
  await NodeKey.fromSeed('n1', SEED).write(node, false);
  const operator = join(dir, 'alice.key.json');
  await OperatorKey.fromSeed('alice-1', 'alice', SEED).write(operator, false);
  const broker = join(dir, 'n1.mqtt.json');
  await writeKeyFile(broker, JSON.stringify(generateBrokerCredentials('n1')), 0o600, false);
  return { node, nodePub: join(dir, 'n1.node.pub.json'), operator, broker };
}

function problem(name: KeyFileError['problem'], message: RegExp) {
  return { constructor: KeyFileError, code: 'key-file', problem: name, message };
}

t.test('a missing file is `missing` (ENOENT); any other read failure is `unreadable`', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const missing = join(dir.path, 'none.key.json');
  await t.rejects(
    readKeyFile(missing, 'node key'),
    problem('missing', /cannot read node key .*none\.key\.json \(ENOENT\)/),
  );
  await t.rejects(NodeKey.load(missing), problem('missing', /ENOENT/));
  await t.rejects(NodePublicKey.load(missing), problem('missing', /node public key/));
  await t.rejects(loadOperatorKeyFile(missing), problem('missing', /operator key/));
  await t.rejects(loadBrokerCredentials(missing), problem('missing', /broker credentials/));

  // A directory where the file should be is not "missing": loadOrCreate must not paper over it.
  const directory = join(dir.path, 'dir.node.key.json');
  mkdirSync(directory);
  await t.rejects(readKeyFile(directory, 'node key'), problem('unreadable', /\(EISDIR\)/));
  await t.rejects(NodeKey.loadOrCreate(directory, 'n1'), problem('unreadable', /EISDIR/));

  // Only `missing` makes a new key; the file made is then found.
  const made = await NodeKey.loadOrCreate(missing, 'n1');
  t.equal(made.created, true);
  t.equal((await NodeKey.loadOrCreate(missing, 'n1')).created, false);
  await t.rejects(NodeKey.loadOrCreate(missing, 'n2'), problem('mismatch', /key of node 'n1', not 'n2'/));
});

t.test(
  'a secret readable by group or others is `open-permissions`; 0600 and 0400 are accepted',
  POSIX_ONLY,
  async (t) => {
    const dir = tempDir();
    t.teardown(dir.cleanup);
    const files = await keyFiles(dir.path);
    for (const mode of [0o640, 0o604, 0o660, 0o644]) {
      for (const file of [files.node, files.operator, files.broker]) chmodSync(file, mode);
      const text = mode.toString(8);
      await t.rejects(
        loadSecretKeyJson(files.node, 'node key'),
        problem(
          'open-permissions',
          new RegExp(`node key readable by group or others: permissions ${text} are too open`),
        ),
      );
      await t.rejects(NodeKey.load(files.node), problem('open-permissions', /chmod 600\)/));
      await t.rejects(
        loadOperatorKeyFile(files.operator),
        problem('open-permissions', /or allow insecure permissions/),
      );
      await t.rejects(loadBrokerCredentials(files.broker), problem('open-permissions', /broker credentials/));
    }
    t.equal((await loadOperatorKeyFile(files.operator, true)).keyId, 'alice-1', 'allowed when asked');
    t.equal((await NodePublicKey.load(files.nodePub)).nodeId, 'n1', 'a public key may be readable by anyone');
    for (const mode of [0o600, 0o400]) {
      for (const file of [files.node, files.operator, files.broker]) chmodSync(file, mode);
      t.equal((await NodeKey.load(files.node)).nodeId, 'n1', `node key ${mode.toString(8)}`);
      t.equal((await loadOperatorKeyFile(files.operator)).keyId, 'alice-1', `operator key ${mode.toString(8)}`);
      t.equal((await loadBrokerCredentials(files.broker)).nodeId, 'n1', `credentials ${mode.toString(8)}`);
    }
  },
);

t.test('text that is not JSON is `not-json`, and the message never quotes the file', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'bad.key.json');
  writeFileSync(file, `{"privateKey": "${SECRET_MARK}"`, { mode: 0o600 });
  for (const load of [
    () => loadSecretKeyJson(file, 'node key'),
    () => NodeKey.load(file),
    () => NodePublicKey.load(file),
    () => loadOperatorKeyFile(file),
    () => loadBrokerCredentials(file),
  ]) {
    const error = await load().then(
      () => null,
      (e: unknown) => e,
    );
    t.match(error, problem('not-json', /bad\.key\.json: not JSON$/));
    t.notMatch((error as Error).message, SECRET_MARK, 'no content in the message');
  }
});

t.test('a file that fails its schema is `invalid`, naming the member', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const files = await keyFiles(dir.path);
  const edit = (file: string, member: string, value: unknown): void => {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    raw[member] = value;
    writeFileSync(file, JSON.stringify(raw), { mode: 0o600 });
  };
  edit(files.node, 'privateKey', 'short');
  await t.rejects(NodeKey.load(files.node), problem('invalid', /privateKey: expected 32 bytes, base64url/));
  edit(files.operator, 'extra', 1);
  await t.rejects(loadOperatorKeyFile(files.operator), problem('invalid', /Unrecognized key/));
  edit(files.broker, 'nodeId', '');
  await t.rejects(loadBrokerCredentials(files.broker), problem('invalid', /nodeId/));
  writeFileSync(files.nodePub, '[]');
  await t.rejects(NodePublicKey.load(files.nodePub), problem('invalid', /n1\.node\.pub\.json: key: /));
});

t.test('a key file of another kind is `wrong-kind`, named as such, not as a schema failure', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const files = await keyFiles(dir.path);
  await t.rejects(
    NodeKey.load(files.operator),
    problem('wrong-kind', /not a node key \(kind "shieldlink-operator-key"\)/),
  );
  await t.rejects(NodePublicKey.load(files.operator), problem('wrong-kind', /not a node key/));
  chmodSync(files.nodePub, 0o600);
  await t.rejects(NodeKey.load(files.nodePub), problem('wrong-kind', /public key cannot sign/));
  await t.rejects(
    loadOperatorKeyFile(files.node),
    problem('wrong-kind', /not an operator key \(kind "shieldlink-node-key"\)/),
  );
  await t.rejects(
    loadOperatorKeyFile(join(dir.path, 'alice.pub.json'), true),
    problem('wrong-kind', /a public key cannot sign/),
  );
});

t.test('parts that do not belong together are `mismatch`', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const files = await keyFiles(dir.path);
  const other = JSON.parse(NodeKey.fromSeed('n1', Buffer.alloc(32, 1)).toKeyFileText()) as Record<string, string>;
  const swap = (file: string): void => {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    raw['publicKey'] = other['publicKey']!;
    writeFileSync(file, JSON.stringify(raw), { mode: 0o600 });
  };
  swap(files.node);
  await t.rejects(NodeKey.load(files.node), problem('mismatch', /public key or keyId does not match/));
  swap(files.operator);
  await t.rejects(loadOperatorKeyFile(files.operator), problem('mismatch', /does not match the private key/));
  swap(files.nodePub);
  await t.rejects(NodePublicKey.load(files.nodePub), problem('mismatch', /keyId does not match the public key/));
});

t.test('writeKeyFile sets the mode whatever the umask, and never overwrites unless asked', POSIX_ONLY, async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'w.key.json');
  const umask = process.umask(0o077);
  try {
    await writeKeyFile(file, 'a', 0o644, false);
  } finally {
    process.umask(umask);
  }
  t.equal((await readKeyFile(file, 'x')).mode & 0o777, 0o644, 'a public key file is 0644 under umask 077');
  await t.rejects(writeKeyFile(file, 'b', 0o600, false), { code: 'EEXIST' });
  await writeKeyFile(file, 'b', 0o600, true);
  t.equal(readFileSync(file, 'utf8'), 'b');
});
