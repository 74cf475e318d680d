import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import t from 'tap';
import { NodeKey } from '../../src/bridge/node-key.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import {
  loadOperatorKeyFile,
  loadOperatorVerifierFile,
  OperatorKeyring,
  OPERATOR_KEYS_ENV,
} from '../../src/bridge/operator-keyring.js';
import type { OperatorPublicKey } from '../../src/bridge/operator-public-key.js';
import { tempDir } from './support/drive.js';

const SECRET = Buffer.alloc(32, 0x5c);
const SEED = Buffer.alloc(32, 0x3e);

t.test('Ed25519 key files: the private file signs (0600 only), the public file verifies', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'alice.key.json');
  const made = OperatorKey.fromSeed('alice-1', 'alice', SEED);
  t.equal(await made.write(file, false), join(dir.path, 'alice.pub.json'), 'the public file beside it');
  const key = await loadOperatorKeyFile(file);
  t.same([key.keyId, key.operator, key.algorithm], ['alice-1', 'alice', 'ed25519']);
  const signature = key.sign(Buffer.from('x'));
  const pub = await loadOperatorVerifierFile(join(dir.path, 'alice.pub.json'));
  t.equal(pub.check(Buffer.from('x'), signature), 'valid');
  t.equal(pub.check(Buffer.from('y'), signature), 'bad-signature');

  chmodSync(file, 0o644);
  await t.rejects(loadOperatorKeyFile(file), { code: 'key-file', message: /too open/ });
  t.equal((await loadOperatorKeyFile(file, true)).keyId, 'alice-1', 'allowed when asked');
  await t.rejects(made.write(file, false), { code: 'EEXIST' }, 'never overwrites unless asked');

  // A node is never given a private key; a signer is never given a public key.
  await t.rejects(loadOperatorVerifierFile(file), { code: 'key-file', message: /private key.*only public keys/ });
  await t.rejects(loadOperatorKeyFile(join(dir.path, 'alice.pub.json'), true), {
    code: 'key-file',
    message: /cannot sign/,
  });

  // A file whose public half is not its private key's is refused.
  const swapped = JSON.parse(made.toKeyFileText()) as Record<string, string>;
  swapped['publicKey'] = (OperatorKey.fromSeed('x', 'x', Buffer.alloc(32, 1)).public as OperatorPublicKey).publicKey;
  const swappedFile = join(dir.path, 'swapped.key.json');
  writeFileSync(swappedFile, JSON.stringify(swapped), { mode: 0o600 });
  await t.rejects(loadOperatorKeyFile(swappedFile), { code: 'key-file', message: /does not match/ });

  const bad = join(dir.path, 'bad.pub.json');
  writeFileSync(
    bad,
    JSON.stringify({ v: 1, kind: 'shieldlink-operator-public-key', keyId: 'b', operator: 'b', publicKey: 'abc' }),
  );
  await t.rejects(loadOperatorVerifierFile(bad), { code: 'key-file', message: /publicKey/ });
  writeFileSync(bad, 'garbage');
  await t.rejects(loadOperatorVerifierFile(bad), { code: 'key-file', message: /not JSON/ });
  const nodePub = join(dir.path, 'n.node.key.json');
  await NodeKey.generate('n').write(nodePub, false);
  await t.rejects(loadOperatorVerifierFile(join(dir.path, 'n.node.pub.json')), {
    code: 'key-file',
    message: /not an operator key/,
  });
  await t.rejects(loadOperatorKeyFile(join(dir.path, 'missing.json')), { code: 'key-file', message: /ENOENT/ });
});

t.test('legacy HMAC key files: refused by a keyring unless legacy HMAC is enabled', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'carol.key.json');
  const legacy = OperatorKey.fromSecret('carol-1', 'carol', SECRET);
  t.equal(await legacy.write(file, false), null, 'no public file for a shared secret');
  const key = await loadOperatorKeyFile(file);
  t.equal(key.algorithm, 'hmac-sha256');
  t.match(key.sign(Buffer.from('x')), /^[0-9a-f]{64}$/);
  await t.rejects(loadOperatorVerifierFile(file), { code: 'key-file', message: /legacy HMAC.*auth\.legacyHmac/ });
  const entry = await loadOperatorVerifierFile(file, { allowLegacyHmac: true });
  t.equal(entry.check(Buffer.from('x'), key.sign(Buffer.from('x'))), 'valid');
  chmodSync(file, 0o640);
  await t.rejects(loadOperatorVerifierFile(file, { allowLegacyHmac: true }), { code: 'key-file', message: /too open/ });
  // The file format from before Ed25519 (no kind) still loads as legacy.
  const old = join(dir.path, 'old.key.json');
  writeFileSync(old, JSON.stringify({ v: 1, keyId: 'old-1', operator: 'old', secret: SECRET.toString('hex') }), {
    mode: 0o600,
  });
  t.equal((await loadOperatorVerifierFile(old, { allowLegacyHmac: true })).algorithm, 'hmac-sha256');
  const bad = join(dir.path, 'bad.key.json');
  writeFileSync(bad, JSON.stringify({ v: 1, keyId: 'b', operator: 'b', secret: 'abcd' }), { mode: 0o600 });
  await t.rejects(loadOperatorKeyFile(bad), { code: 'key-file', message: /secret/ });
  t.throws(() => OperatorKey.fromSecret('short', 'x', Buffer.alloc(16)), { code: 'key-file' });
});

t.test('keyring from a directory and the environment; duplicate ids refused', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const keys = join(dir.path, 'keys');
  mkdirSync(keys);
  writeFileSync(
    join(keys, 'a.pub.json'),
    (OperatorKey.fromSeed('alice-1', 'alice', SEED).public as OperatorPublicKey).toPublicFileText(),
  );
  writeFileSync(join(keys, 'notes.txt'), 'ignored');
  await NodeKey.generate('bench-1').write(join(keys, 'bench-1.node.key.json'), false); // the node's own: skipped
  const bobPublic = (OperatorKey.fromSeed('bob-1', 'bob', Buffer.alloc(32, 1)).public as OperatorPublicKey).publicKey;
  const ring = await OperatorKeyring.load({
    directory: keys,
    environment: { [OPERATOR_KEYS_ENV]: `bob-1:bob:${bobPublic}` },
  });
  t.same(ring.keyIds().sort(), ['alice-1', 'bob-1']);
  t.same([ring.get('bob-1')?.operator, ring.get('bob-1')?.algorithm], ['bob', 'ed25519']);

  // A legacy HMAC file in the directory: refused, unless legacy HMAC is enabled.
  writeFileSync(join(keys, 'c.key.json'), OperatorKey.fromSecret('carol-1', 'carol', SECRET).toKeyFileText(), {
    mode: 0o600,
  });
  await t.rejects(OperatorKeyring.load({ directory: keys }), { code: 'key-file', message: /legacy HMAC/ });
  t.equal(
    (await OperatorKeyring.load({ directory: keys, allowLegacyHmac: true })).get('carol-1')?.algorithm,
    'hmac-sha256',
  );

  const legacyEnv = { [OPERATOR_KEYS_ENV]: `d-1:dan:${SECRET.toString('hex')}` };
  await t.rejects(OperatorKeyring.load({ environment: legacyEnv }), {
    code: 'key-environment',
    message: /legacy HMAC/,
  });
  t.equal((await OperatorKeyring.load({ environment: legacyEnv, allowLegacyHmac: true })).size, 1);
  await t.rejects(OperatorKeyring.load({ environment: { [OPERATOR_KEYS_ENV]: 'nonsense' } }), {
    code: 'key-environment',
  });
  await t.rejects(OperatorKeyring.load({ environment: { [OPERATOR_KEYS_ENV]: 'a:b:not+base64' } }), {
    code: 'key-environment',
  });
  await t.rejects(OperatorKeyring.load({ directory: join(dir.path, 'missing') }), {
    code: 'key-file',
    message: /ENOENT/,
  });
  const k = OperatorKey.fromSeed('k', 'a', SEED).public;
  t.throws(() => new OperatorKeyring([k, OperatorKey.fromSeed('k', 'b', SECRET).public]), { code: 'key-file' });
  t.equal((await OperatorKeyring.load({})).size, 0, 'an empty keyring is valid (and rejects everything)');
});

t.test('private key material never shows in JSON, inspect, or string conversion', async (t) => {
  for (const [key, material] of [
    [OperatorKey.fromSeed('alice-1', 'alice', SEED), SEED],
    [OperatorKey.fromSecret('carol-1', 'carol', SECRET), SECRET],
  ] as const) {
    const ring = new OperatorKeyring([key.public]);
    const renderings = [
      JSON.stringify(key),
      JSON.stringify(key.public),
      JSON.stringify(ring),
      inspect(key),
      inspect(key.public),
      inspect(ring),
      inspect({ key, ring }, { depth: 5 }),
      String(key),
    ];
    for (const text of renderings) {
      for (const form of [
        material.toString('hex'),
        material.toString('base64url'),
        material.toString('base64').replace(/=+$/, ''),
      ])
        t.notOk(text.includes(form), `no key material in ${text.slice(0, 40)}`);
      t.notOk(text.includes(material.join(',')), 'no byte list');
    }
    t.match(inspect(key), /redacted/);
  }
});
