import { execFileSync } from 'node:child_process';
import { createHmac, createPublicKey, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { commandSigningBytes } from '../../src/bridge/canonical-json.js';
import { signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import type { OperatorPublicKey } from '../../src/bridge/operator-public-key.js';
import { commandRequest } from '../../src/bridge/schemas/command-request.js';
import { skipUnlessTools, toolPath } from '../support/require-tool.js';
import { tempDir } from './support/drive.js';

/** The worked examples of docs/mqtt.md §Signing (Ed25519, and legacy HMAC), recomputed. */
const SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const PUBLIC_KEY = 'A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg';
const CANONICAL =
  '{"args":{"launcherId":"launcher-1"},"id":"example-1","keyId":"alice-1","node":"bench-1","nonce":"c2hpZWxkbGluay1ub25jZQ","timestamp":1767225600000,"v":1,"verb":"safe"}';
const SIGNATURE = 'maU_SBI5CPXbnb8rhGtMlwnDgh8G32oFajxqO_6-yJ7jp_HMGZTqAxHtdbah1W5NC2TKuw0h8rcwVLyMI1k4Cg';
const HMAC_SIGNATURE = '5540342dd07c5a673c2d35c5c7edafa20c567decd6da3edafb328558d84ace80';
const doc = readFileSync(new URL('../../docs/mqtt.md', import.meta.url), 'utf8');
const draft = { id: 'example-1', node: 'bench-1', verb: 'safe' as const, args: { launcherId: 'launcher-1' } };
const options = { timestampMs: 1767225600000, nonce: 'c2hpZWxkbGluay1ub25jZQ' };

t.test('the Ed25519 worked example in docs/mqtt.md is right', async (t) => {
  for (const text of [SEED_HEX, PUBLIC_KEY, CANONICAL, SIGNATURE])
    t.ok(doc.includes(text), `docs/mqtt.md shows ${text.slice(0, 24)}...`);

  // Independently of our signer: Node's Ed25519 verify over the documented canonical bytes.
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: PUBLIC_KEY }, format: 'jwk' });
  t.ok(verify(null, Buffer.from(CANONICAL), publicKey, Buffer.from(SIGNATURE, 'base64url')));

  const key = OperatorKey.fromSeed('alice-1', 'alice', Buffer.from(SEED_HEX, 'hex'));
  t.equal((key.public as OperatorPublicKey).publicKey, PUBLIC_KEY);
  const signed = signCommand(draft, key, options);
  t.equal(commandSigningBytes(signed).toString('utf8'), CANONICAL);
  t.equal(signed.signature, SIGNATURE);
  t.equal(key.public.check(Buffer.from(CANONICAL), SIGNATURE), 'valid');
  t.equal(key.public.check(Buffer.from(CANONICAL), SIGNATURE.replace(/^m/, 'n')), 'bad-signature');

  // The example message in the doc (first JSON block of example-1) verifies too.
  const block = /```json\n(\{\n {2}"v": 1,\n {2}"id": "example-1"[\s\S]*?\})\n```/.exec(doc);
  t.ok(block, 'the example command is in the doc');
  const message = commandRequest.parse(JSON.parse(block![1]!));
  t.equal(message.signature, SIGNATURE);
  t.equal(key.public.check(commandSigningBytes(message), message.signature), 'valid');
});

t.test('OpenSSL verifies the documented Ed25519 signature', { skip: skipUnlessTools('openssl') }, async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(PUBLIC_KEY, 'base64url')]);
  const pem = `-----BEGIN PUBLIC KEY-----\n${spki.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  writeFileSync(join(dir.path, 'alice.pub.pem'), pem);
  writeFileSync(join(dir.path, 'canonical.json'), CANONICAL);
  writeFileSync(join(dir.path, 'sig.bin'), Buffer.from(SIGNATURE, 'base64url'));
  const args = ['pkeyutl', '-verify', '-pubin', '-inkey', 'alice.pub.pem', '-rawin', '-in', 'canonical.json'];
  const out = execFileSync(toolPath('openssl'), [...args, '-sigfile', 'sig.bin'], { cwd: dir.path }).toString();
  t.match(out, /Signature Verified Successfully/);
  writeFileSync(join(dir.path, 'canonical.json'), CANONICAL.replace('launcher-1', 'launcher-2'));
  t.throws(() => execFileSync(toolPath('openssl'), [...args, '-sigfile', 'sig.bin'], { cwd: dir.path, stdio: 'pipe' }));
});

t.test('the legacy HMAC worked example in docs/mqtt.md is right', async (t) => {
  t.ok(doc.includes(HMAC_SIGNATURE), 'docs/mqtt.md shows the legacy signature');
  t.equal(createHmac('sha256', Buffer.from(SEED_HEX, 'hex')).update(CANONICAL).digest('hex'), HMAC_SIGNATURE);
  const key = OperatorKey.fromSecret('alice-1', 'alice', Buffer.from(SEED_HEX, 'hex'));
  t.equal(signCommand(draft, key, options).signature, HMAC_SIGNATURE);
  t.ok(key.verify(Buffer.from(CANONICAL), HMAC_SIGNATURE));
  t.equal(key.public.check(Buffer.from(CANONICAL), SIGNATURE), 'algorithm-mismatch');
});
