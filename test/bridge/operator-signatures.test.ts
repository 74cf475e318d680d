import { createHmac, generateKeyPairSync, sign as rawSign, verify as rawVerify } from 'node:crypto';
import fc from 'fast-check';
import t from 'tap';
import { commandSigningBytes } from '../../src/bridge/canonical-json.js';
import { signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKey } from '../../src/bridge/operator-key.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { OperatorPublicKey } from '../../src/bridge/operator-public-key.js';
import { commandRequest } from '../../src/bridge/schemas/command-request.js';
import type { CommandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { commandHarness, KEYS, NODE } from './support/command-harness.js';

// Operator commands signed with Ed25519: only the holder of the private key can sign, the node
// holds public keys, and every way of getting a command past it without the key is refused
// with a typed reason and audited.

const safe = (id: string) => ({ id, verb: 'safe' as const, args: { launcherId: 'launcher-1' } });
const reasonOf = (r: CommandResultPayload | undefined): string | undefined =>
  r === undefined ? undefined : r.status === 'rejected' ? r.reason : r.status;

t.test('an Ed25519 signature is what RFC 8032 says, checked by Node crypto directly', async (t) => {
  const command = signCommand({ ...safe('x1'), node: NODE }, KEYS.alice, { timestampMs: 1, nonce: 'n'.repeat(22) });
  t.match(command.signature, /^[A-Za-z0-9_-]{86}$/, '64 bytes, base64url');
  const pub = KEYS.alice.public as OperatorPublicKey;
  const jwkKey = { key: { kty: 'OKP', crv: 'Ed25519', x: pub.publicKey }, format: 'jwk' } as const;
  t.ok(rawVerify(null, commandSigningBytes(command), jwkKey, Buffer.from(command.signature, 'base64url')));
  t.ok(commandRequest.safeParse(command).success, 'the schema takes it');
  // Deterministic (RFC 8032 §5.1.6): the same key and bytes, the same signature.
  t.equal(
    signCommand({ ...safe('x1'), node: NODE }, KEYS.alice, { timestampMs: 1, nonce: 'n'.repeat(22) }).signature,
    command.signature,
  );
});

t.test("a command signed by A verifies only against A's public key", async (t) => {
  const command = signCommand({ ...safe('a1'), node: NODE }, KEYS.alice, { timestampMs: 1, nonce: 'a'.repeat(22) });
  const bytes = commandSigningBytes(command);
  t.equal(KEYS.alice.public.check(bytes, command.signature), 'valid');
  for (const other of [KEYS.alice2, KEYS.bob, KEYS.mallory]) {
    t.equal(other.public.check(bytes, command.signature), 'bad-signature', `not under ${other.keyId}`);
  }
  // The node's keyring holds public keys: it cannot sign, and a private key is refused outright.
  const ring = new OperatorKeyring([KEYS.alice.public, KEYS.bob.public]);
  t.notOk('sign' in ring.get('alice-1')!, 'a keyring entry has no way to sign');
  t.throws(() => new OperatorKeyring([KEYS.alice as never]), { code: 'key-file', message: /public keys/ });
});

t.test('forged, wrong-key, algorithm-confused and replayed commands: refused, typed, audited', async (t) => {
  const h = commandHarness();
  const good = h.sign(safe('ok'), KEYS.alice);
  h.send(good);
  await h.settle();
  const pub = KEYS.alice.public as OperatorPublicKey;
  const unsigned = { ...good, id: 'conf-1', nonce: 'c'.repeat(22) } as Record<string, unknown>;
  const bytes = commandSigningBytes(unsigned);
  const cases: Array<[string, Record<string, unknown>, string]> = [
    // A forger without the key: a random 64-byte signature in the right form.
    [
      'forged',
      { ...h.sign(safe('f1'), KEYS.alice), signature: Buffer.alloc(64, 7).toString('base64url') },
      'bad-signature',
    ],
    // Signed by another operator's (or an outsider's) key, claiming alice's key id.
    ['wrong key', { ...h.sign(safe('w1'), KEYS.bob), keyId: 'alice-1' }, 'bad-signature'],
    ['outsider key', { ...h.sign(safe('w2'), KEYS.mallory), keyId: 'alice-1' }, 'bad-signature'],
    // Algorithm confusion: HMAC keyed with alice's PUBLIC key (which anyone has).
    [
      'HMAC with the public key as secret',
      {
        ...unsigned,
        signature: createHmac('sha256', Buffer.from(pub.publicKey, 'base64url')).update(bytes).digest('hex'),
      },
      'algorithm-mismatch',
    ],
    [
      'HMAC with a legacy key of the same id',
      h.sign(safe('conf-2'), OperatorKey.fromSecret('alice-1', 'alice', Buffer.alloc(32, 9))),
      'algorithm-mismatch',
    ],
    ['replayed', good, 'replayed'],
  ];
  for (const [, command] of cases) h.send(command);
  await h.settle();
  t.equal(h.executor.executed.length, 1, 'only the genuine command ran');
  t.equal(reasonOf(h.resultsFor('ok')[0]), 'completed', 'the genuine command');
  for (const [name, command, reason] of cases) {
    t.equal(reasonOf(h.resultsFor(String(command['id'])).at(-1)), reason, `${name}: ${reason}`);
  }
  const confused = h.results.find((r) => r.result.id === 'conf-1')!.result;
  t.match(confused, { status: 'rejected', reason: 'algorithm-mismatch', detail: "key 'alice-1' is ed25519" });
  // Audited: one unauthenticated command record and one outcome with the reason, per message.
  for (const [name, command, reason] of cases) {
    const id = String(command['id']);
    const records = h.audits.filter(
      (a) => (a.kind === 'command' && a.id === id) || (a.kind === 'outcome' && a.result.id === id),
    );
    const mine = name === 'replayed' ? records.slice(2) : records;
    t.match(
      mine,
      [
        { kind: 'command', authenticated: false, keyId: 'alice-1' },
        { kind: 'outcome', result: { status: 'rejected', reason } },
      ],
      `${name}: audited`,
    );
  }
});

t.test('a legacy HMAC keyring entry refuses an Ed25519 signature (and still takes HMAC)', async (t) => {
  const legacy = OperatorKey.fromSecret('carol-1', 'carol', Buffer.alloc(32, 0xc1));
  const h = commandHarness({}, new OperatorKeyring([legacy.public]));
  const asEd25519 = OperatorKey.fromSeed('carol-1', 'carol', Buffer.alloc(32, 0xc1));
  h.send(h.sign(safe('l1'), legacy));
  h.send(h.sign(safe('l2'), asEd25519));
  await h.settle();
  t.equal(reasonOf(h.resultsFor('l1')[0]), 'completed', 'the legacy HMAC command runs');
  t.equal(reasonOf(h.resultsFor('l2')[0]), 'algorithm-mismatch', 'an Ed25519 signature is not tried as HMAC');
});

const idArb = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,20}$/);
const draftArb = fc.oneof(
  fc.record({ id: idArb, verb: fc.constant('safe' as const), args: fc.record({ launcherId: idArb }) }),
  fc.record({ id: idArb, verb: fc.constant('arm' as const), args: fc.record({ launcherId: idArb }) }),
  fc.record({ id: idArb, verb: fc.constant('hold-fire' as const), args: fc.record({ trackId: idArb }) }),
  fc.record({
    id: idArb,
    verb: fc.constant('set-weapons-control' as const),
    args: fc.record({ status: fc.constantFrom('hold' as const, 'tight' as const, 'free' as const) }),
  }),
  fc.record({
    id: idArb,
    verb: fc.constant('set-radar-mode' as const),
    args: fc.record({ radarId: idArb, mode: fc.stringMatching(/^[a-z][a-z-]{0,11}$/) }),
  }),
);
const signOptionsArb = fc.record({
  timestampMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  nonce: fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
});

t.test('property: any command verifies under its signer only; any bit flip in the signature breaks it', async (t) => {
  fc.assert(
    fc.property(draftArb, signOptionsArb, fc.nat(), (draft, options, bit) => {
      const command = signCommand({ ...draft, node: NODE }, KEYS.alice, options);
      const bytes = commandSigningBytes(command);
      if (!commandRequest.safeParse(command).success) return false;
      if (KEYS.alice.public.check(bytes, command.signature) !== 'valid') return false;
      if (KEYS.bob.public.check(bytes, command.signature) !== 'bad-signature') return false;
      const raw = Buffer.from(command.signature, 'base64url');
      raw[Math.floor(bit / 8) % 64]! ^= 1 << (bit % 8);
      return KEYS.alice.public.check(bytes, raw.toString('base64url')) === 'bad-signature';
    }),
    { numRuns: 500 },
  );
  t.pass('500 random commands');
});

t.test('property: any change to a signed payload member breaks the signature', async (t) => {
  fc.assert(
    fc.property(draftArb, signOptionsArb, draftArb, (draft, options, other) => {
      const command = signCommand({ ...draft, node: NODE }, KEYS.alice, options);
      const changed = { ...command, verb: other.verb, args: other.args, id: other.id } as Record<string, unknown>;
      const same =
        other.verb === draft.verb && JSON.stringify(other.args) === JSON.stringify(draft.args) && other.id === draft.id;
      const verdict = KEYS.alice.public.check(commandSigningBytes(changed), command.signature);
      return same ? verdict === 'valid' : verdict === 'bad-signature';
    }),
    { numRuns: 300 },
  );
  t.pass('300 random edits');
});

t.test('property: through the command handler, a flipped signature bit is refused, never executed', async (t) => {
  await fc.assert(
    fc.asyncProperty(draftArb, fc.nat(), async (draft, bit) => {
      const h = commandHarness();
      const command = h.sign({ ...draft, id: `p-${draft.id}` }, KEYS.bob);
      const raw = Buffer.from(command.signature, 'base64url');
      raw[Math.floor(bit / 8) % 64]! ^= 1 << (bit % 8);
      h.send({ ...command, signature: raw.toString('base64url') });
      await h.settle();
      const result = h.results[0]?.result;
      return h.executor.executed.length === 0 && reasonOf(result) === 'bad-signature';
    }),
    { numRuns: 200 },
  );
  t.pass('200 flipped signatures');
});

t.test('an Ed25519 key made elsewhere (Node generateKeyPair) interoperates', async (t) => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const key = OperatorKey.fromSeed('dave-1', 'dave', Buffer.from(jwk.d!, 'base64url'));
  t.equal((key.public as OperatorPublicKey).publicKey, jwk.x, 'the same public key from the seed');
  const bytes = Buffer.from('{"any":"bytes"}');
  t.equal(key.sign(bytes), rawSign(null, bytes, privateKey).toString('base64url'), 'the same signature');
});
