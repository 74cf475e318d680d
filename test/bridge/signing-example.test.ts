import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import t from 'tap';
import { commandSigningBytes } from '../../src/bridge/canonical-json.js';
import { signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import { commandRequest } from '../../src/bridge/schemas/command-request.js';

/** The worked example of docs/mqtt.md §Signing, recomputed. */
const SECRET_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const CANONICAL =
  '{"args":{"launcherId":"launcher-1"},"id":"example-1","keyId":"alice-1","node":"bench-1","nonce":"c2hpZWxkbGluay1ub25jZQ","timestamp":1767225600000,"v":1,"verb":"safe"}';
const SIGNATURE = '5540342dd07c5a673c2d35c5c7edafa20c567decd6da3edafb328558d84ace80';

t.test('the worked example in docs/mqtt.md is right', async (t) => {
  const doc = readFileSync(new URL('../../docs/mqtt.md', import.meta.url), 'utf8');
  for (const text of [SECRET_HEX, CANONICAL, SIGNATURE])
    t.ok(doc.includes(text), `docs/mqtt.md shows ${text.slice(0, 24)}...`);

  // Independently of our code: plain HMAC over the documented canonical bytes.
  t.equal(createHmac('sha256', Buffer.from(SECRET_HEX, 'hex')).update(CANONICAL).digest('hex'), SIGNATURE);

  // And through the signer.
  const key = OperatorKey.fromSecret('alice-1', 'alice', Buffer.from(SECRET_HEX, 'hex'));
  const signed = signCommand(
    { id: 'example-1', node: 'bench-1', verb: 'safe', args: { launcherId: 'launcher-1' } },
    key,
    { timestampMs: 1767225600000, nonce: 'c2hpZWxkbGluay1ub25jZQ' },
  );
  t.equal(commandSigningBytes(signed).toString('utf8'), CANONICAL);
  t.equal(signed.signature, SIGNATURE);
  t.ok(key.verify(Buffer.from(CANONICAL), SIGNATURE));
  t.notOk(key.verify(Buffer.from(CANONICAL), SIGNATURE.replace(/^5/, '6')));

  // The example message in the doc (first JSON block that has a signature) verifies too.
  const block = /```json\n(\{\n {2}"v": 1,\n {2}"id": "example-1"[\s\S]*?\})\n```/.exec(doc);
  t.ok(block, 'the example command is in the doc');
  const message = commandRequest.parse(JSON.parse(block![1]!));
  t.equal(message.signature, SIGNATURE);
  t.ok(key.verify(commandSigningBytes(message), message.signature));
});
