import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import t from 'tap';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import { loadOperatorKeyFile, OperatorKeyring, OPERATOR_KEYS_ENV } from '../../src/bridge/operator-keyring.js';
import { tempDir } from './support/drive.js';

const SECRET = Buffer.alloc(32, 0x5c);

t.test('key files: load, refuse open permissions, refuse bad content', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'alice.key.json');
  writeFileSync(file, OperatorKey.fromSecret('alice-1', 'alice', SECRET).toKeyFileText(), { mode: 0o600 });
  const key = await loadOperatorKeyFile(file);
  t.equal(key.keyId, 'alice-1');
  t.equal(key.operator, 'alice');
  t.equal(key.mac(Buffer.from('x')).length, 32);

  chmodSync(file, 0o644);
  if (process.platform !== 'win32') {
    await t.rejects(loadOperatorKeyFile(file), { code: 'key-file', message: /too open/ });
  }
  t.equal((await loadOperatorKeyFile(file, true)).keyId, 'alice-1', 'allowed when asked');

  const bad = join(dir.path, 'bad.key.json');
  writeFileSync(bad, JSON.stringify({ v: 1, keyId: 'b', operator: 'b', secret: 'abcd' }), { mode: 0o600 });
  await t.rejects(loadOperatorKeyFile(bad), { code: 'key-file', message: /secret/ });
  await t.rejects(loadOperatorKeyFile(join(dir.path, 'missing.json')), { code: 'key-file', message: /ENOENT/ });
  t.throws(() => OperatorKey.fromSecret('short', 'x', Buffer.alloc(16)), { code: 'key-file' });
});

t.test('keyring from a directory and the environment; duplicate ids refused', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const keys = join(dir.path, 'keys');
  mkdirSync(keys);
  writeFileSync(join(keys, 'a.key.json'), OperatorKey.fromSecret('alice-1', 'alice', SECRET).toKeyFileText(), {
    mode: 0o600,
  });
  writeFileSync(join(keys, 'notes.txt'), 'ignored');
  const ring = await OperatorKeyring.load({
    directory: keys,
    environment: { [OPERATOR_KEYS_ENV]: `bob-1:bob:${Buffer.alloc(32, 1).toString('hex')}` },
  });
  t.same(ring.keyIds().sort(), ['alice-1', 'bob-1']);
  t.equal(ring.get('bob-1')?.operator, 'bob');
  await t.rejects(OperatorKeyring.load({ environment: { [OPERATOR_KEYS_ENV]: 'nonsense' } }), {
    code: 'key-environment',
  });
  t.throws(
    () => new OperatorKeyring([OperatorKey.fromSecret('k', 'a', SECRET).public, OperatorKey.fromSecret('k', 'b', SECRET).public]),
    { code: 'key-file' },
  );
  t.equal((await OperatorKeyring.load({})).size, 0, 'an empty keyring is valid (and rejects everything)');
});

t.test('secrets never show in JSON, inspect, or string conversion', async (t) => {
  const key = OperatorKey.fromSecret('alice-1', 'alice', SECRET);
  const ring = new OperatorKeyring([key]);
  const renderings = [
    JSON.stringify(key),
    JSON.stringify(ring),
    inspect(key),
    inspect(ring),
    inspect({ key, ring }, { depth: 5 }),
    String(key),
  ];
  for (const text of renderings) {
    t.notOk(text.includes(SECRET.toString('hex')), `no hex secret in ${text.slice(0, 40)}`);
    t.notOk(text.includes(SECRET.toString('base64')), 'no base64 secret');
    t.notOk(text.includes('92,92,92'), 'no byte list');
  }
  t.match(inspect(key), /redacted/);
});
