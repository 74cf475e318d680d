import t from 'tap';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { auditRecordPayload } from '../../src/bridge/schemas/audit-record-payload.js';
import { commandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import type { CommandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { commandHarness, KEY_SECRETS, KEYS, NODE } from './support/command-harness.js';

/** `reason` for rejections, `timed_out:<stage>` for timeouts, else the status. */
const word = (r: CommandResultPayload | undefined): string | undefined =>
  r === undefined
    ? undefined
    : r.status === 'rejected'
      ? r.reason
      : r.status === 'timed_out'
        ? `timed_out:${r.stage}`
        : r.status;

const free = (id: string) => ({ id, verb: 'set-weapons-control' as const, args: { status: 'free' as const } });
const safe = (id: string) => ({ id, verb: 'safe' as const, args: { launcherId: 'launcher-1' } });

t.test('a valid single-operator command executes once and completes, id echoed', async (t) => {
  const h = commandHarness();
  h.send(h.sign(safe('c1'), KEYS.alice));
  await h.settle();
  t.equal(h.executor.executed.length, 1);
  const cmd = h.executor.executed[0]!;
  t.same(
    { id: cmd.id, verb: cmd.verb, args: cmd.args, operators: cmd.operators, keyIds: cmd.keyIds },
    { id: 'c1', verb: 'safe', args: { launcherId: 'launcher-1' }, operators: ['alice'], keyIds: ['alice-1'] },
  );
  t.same(
    h.resultsFor('c1').map((r) => r.status),
    ['completed'],
  );
  for (const { result } of h.results) t.ok(commandResultPayload.safeParse(result).success, 'result matches its schema');
});

t.test('fail closed: with no keys configured every command is rejected', async (t) => {
  const h = commandHarness({}, new OperatorKeyring([]));
  h.send(h.sign(safe('c1'), KEYS.alice));
  h.send({ id: 'c2', verb: 'safe' });
  await h.settle();
  t.equal(h.executor.executed.length, 0);
  t.same(
    h.results.map((r) => [r.result.id, r.result.status, r.result.status === 'rejected' && r.result.reason]),
    [
      ['c1', 'rejected', 'no-keys-configured'],
      ['c2', 'rejected', 'no-keys-configured'],
    ],
  );
});

t.test('each bad command gets rejected with its reason and never executes', async (t) => {
  const h = commandHarness();
  const good = h.sign(safe('base'), KEYS.alice);
  const cases: [string, () => void, string][] = [
    ['unsigned', () => h.send({ ...h.sign(safe('u1'), KEYS.alice), signature: undefined }), 'unsigned'],
    ['wrong key', () => h.send({ ...h.sign(safe('w1'), KEYS.mallory), keyId: 'alice-1' }), 'bad-signature'],
    ['unknown key id', () => h.send(h.sign(safe('k1'), KEYS.mallory)), 'unknown-key'],
    [
      'tampered args',
      () => h.send({ ...h.sign(safe('t1'), KEYS.alice), args: { launcherId: 'launcher-2' } }),
      'bad-signature',
    ],
    ['stale (old)', () => h.send(h.sign(safe('s1'), KEYS.alice, -5_001)), 'stale'],
    ['stale (future)', () => h.send(h.sign(safe('s2'), KEYS.alice, 5_001)), 'stale'],
    ['wrong node', () => h.send(h.sign({ ...safe('n1'), node: 'node-b' }, KEYS.alice)), 'wrong-node'],
    ['verb mismatch', () => h.send(h.sign(safe('v1'), KEYS.alice), 'arm'), 'verb-mismatch'],
    ['unknown verb', () => h.raw('launch-everything', JSON.stringify({ ...good, id: 'x1' })), 'unknown-verb'],
    ['malformed JSON', () => h.raw('safe', '{"id":"m1",'), 'malformed-json'],
    ['not an object', () => h.raw('safe', '[1,2,3]'), 'invalid-payload'],
    ['extra member', () => h.send({ ...h.sign(safe('e1'), KEYS.alice), extra: 1 }), 'invalid-payload'],
    ['fractional timestamp', () => h.send({ ...h.sign(safe('f1'), KEYS.alice), timestamp: 1.5 }), 'invalid-payload'],
    ['too large', () => h.raw('safe', JSON.stringify({ id: 'big1', pad: 'x'.repeat(9000) })), 'payload-too-large'],
  ];
  for (const [name, act, reason] of cases) {
    const before = h.results.length;
    act();
    await h.settle();
    const got = h.results.slice(before).map((r) => r.result);
    t.equal(got.length, 1, `${name}: one result`);
    t.equal(got[0]?.status, 'rejected', `${name}: rejected`);
    t.equal(word(got[0]), reason, `${name}: reason ${reason}`);
  }
  t.equal(h.executor.executed.length, 0, 'nothing executed');
  t.equal(
    h.resultsFor(null).length,
    3,
    'unreadable ids (malformed, not an object, too large) are answered with id null',
  );
});

t.test('boundary: exactly 5 s of skew is still fresh', async (t) => {
  const h = commandHarness();
  h.send(h.sign(safe('b1'), KEYS.alice, -5_000));
  h.send(h.sign(safe('b2'), KEYS.alice, 5_000));
  await h.settle();
  t.equal(h.executor.executed.length, 2);
});

t.test('a replayed command is rejected; a repeated id with a fresh nonce too', async (t) => {
  const h = commandHarness();
  const command = h.sign(safe('r1'), KEYS.alice);
  h.send(command);
  await h.settle();
  await h.clock.advance(1_000_000); // a second later: still fresh, so only the nonce catches it
  h.send(command);
  h.send(h.sign(safe('r1'), KEYS.alice));
  await h.settle();
  t.equal(h.executor.executed.length, 1);
  t.same(h.resultsFor('r1').map(word), ['completed', 'replayed', 'duplicate-id']);
  // After the freshness window the replay is stale (the nonce may be forgotten by then).
  await h.clock.advance(11_000_000);
  h.send(command);
  await h.settle();
  t.equal(word(h.resultsFor('r1').at(-1)), 'stale');
});

t.test(
  'FREE with one operator: pending, then rejected no-second-operator after the window, never executed',
  async (t) => {
    const h = commandHarness();
    h.send(h.sign(free('f1'), KEYS.alice));
    await h.settle();
    const first = h.resultsFor('f1')[0]!;
    t.same(first, {
      v: 1,
      nodeId: NODE,
      id: 'f1',
      verb: 'set-weapons-control',
      operators: ['alice'],
      detail: null,
      at: first.at,
      status: 'pending',
      awaiting: 'second-operator',
      expiresAt: new Date(Date.parse(first.at) + 30_000).toISOString(),
    });
    await h.clock.advance(29_999_000);
    t.equal(h.resultsFor('f1').length, 1, 'still pending inside the window');
    await h.clock.advance(2_000);
    t.equal(word(h.resultsFor('f1').at(-1)), 'no-second-operator');
    t.equal(h.executor.executed.length, 0);
    // A late second signature finds the id finished.
    h.send(h.sign(free('f1'), KEYS.bob));
    await h.settle();
    t.equal(word(h.resultsFor('f1').at(-1)), 'duplicate-id');
    t.equal(h.executor.executed.length, 0);
    t.notOk(
      h.results.some((r) => r.result.status === 'accepted' || r.result.status === 'completed'),
      'never accepted',
    );
  },
);

t.test('FREE by one operator holding two keys is rejected same-operator', async (t) => {
  const h = commandHarness();
  h.send(h.sign(free('f2'), KEYS.alice));
  h.send(h.sign(free('f2'), KEYS.alice2));
  await h.settle();
  t.same(h.resultsFor('f2').map(word), ['pending', 'same-operator']);
  t.equal(h.executor.executed.length, 0);
});

t.test('FREE and ARM with two distinct operators execute once with both operators', async (t) => {
  const h = commandHarness();
  h.send(h.sign(free('f3'), KEYS.alice));
  await h.clock.advance(10_000_000);
  h.send(h.sign(free('f3'), KEYS.bob));
  h.send(h.sign({ id: 'a1', verb: 'arm', args: { launcherId: 'launcher-1' } }, KEYS.bob));
  h.send(h.sign({ id: 'a1', verb: 'arm', args: { launcherId: 'launcher-1' } }, KEYS.alice2));
  await h.settle();
  t.same(
    h.executor.executed.map((c) => [c.id, c.verb, c.operators, c.keyIds]),
    [
      ['f3', 'set-weapons-control', ['alice', 'bob'], ['alice-1', 'bob-1']],
      ['a1', 'arm', ['bob', 'alice'], ['bob-1', 'alice-2']],
    ],
  );
  t.same(
    h.resultsFor('f3').map((r) => [r.status, r.operators]),
    [
      ['pending', ['alice']],
      ['completed', ['alice', 'bob']],
    ],
  );
});

t.test('a second signature on different args or verb is rejected and the window stays open', async (t) => {
  const h = commandHarness();
  h.send(h.sign({ id: 'a2', verb: 'arm', args: { launcherId: 'launcher-1' } }, KEYS.alice));
  h.send(h.sign({ id: 'a2', verb: 'arm', args: { launcherId: 'launcher-2' } }, KEYS.bob));
  h.send(h.sign(free('a2'), KEYS.bob));
  h.send(h.sign({ id: 'a2', verb: 'safe', args: { launcherId: 'launcher-1' } }, KEYS.bob));
  h.send(h.sign({ id: 'a2', verb: 'arm', args: { launcherId: 'launcher-1' } }, KEYS.bob));
  await h.settle();
  t.same(h.resultsFor('a2').map(word), [
    'pending',
    'two-operator-mismatch',
    'two-operator-mismatch',
    'duplicate-id',
    'completed',
  ]);
  t.equal(h.executor.executed.length, 1);
});

t.test('executor outcomes: progress, completion, rejection, timeouts, late and malformed outcomes', async (t) => {
  const h = commandHarness({ commandTimeoutMs: 1_000 });
  let release: (() => void) | null = null;
  h.executor.respond = async (command, progress) => {
    switch (command.id) {
      case 'p1':
        progress({ status: 'accepted' });
        return { status: 'completed' };
      case 'p2':
        return { status: 'rejected', reason: 'unknown-track' };
      case 'p3':
        return new Promise(() => undefined); // never settles
      case 'p4':
        progress({ status: 'accepted' });
        await new Promise<void>((resolve) => (release = resolve));
        return { status: 'completed' };
      case 'p5':
        throw new Error('boom');
      default:
        return { status: 'rejected', reason: 'Not A Word!' };
    }
  };
  for (const id of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6']) {
    h.send(h.sign({ id, verb: 'hold-fire', args: { trackId: '7' } }, KEYS.alice));
  }
  await h.settle();
  await h.clock.advance(1_000_000);
  (release as (() => void) | null)?.();
  await h.settle();
  const summary = (id: string) => h.resultsFor(id).map(word);
  t.same(summary('p1'), ['accepted', 'completed']);
  t.same(summary('p2'), ['unknown-track']);
  t.same(summary('p3'), ['timed_out:execution']);
  t.same(summary('p4'), ['accepted', 'timed_out:completion']);
  t.same(summary('p5'), ['executor-error']);
  t.same(summary('p6'), ['executor-error']);
  const late = h.audits.filter((a) => a.kind === 'outcome' && a.late);
  t.equal(late.length, 1, 'the outcome after the timeout is audited as late');
});

t.test('republish is handled by the bridge, not the executor', async (t) => {
  const h = commandHarness();
  h.send(h.sign({ id: 'rp1', verb: 'republish', args: {} }, KEYS.bob));
  await h.settle();
  t.equal(h.republished, 1);
  t.equal(h.executor.executed.length, 0);
  t.same(
    h.resultsFor('rp1').map((r) => r.status),
    ['completed'],
  );
});

t.test('MQTT 5 response topics are honoured unless they point into the node tree', async (t) => {
  const h = commandHarness();
  h.raw('safe', JSON.stringify(h.sign(safe('rt1'), KEYS.alice)), 'operators/console-7/replies');
  h.raw('safe', JSON.stringify(h.sign(safe('rt2'), KEYS.alice)), `shieldlink/v1/${NODE}/replies/console-7`);
  h.raw('safe', JSON.stringify(h.sign(safe('rt3'), KEYS.alice)), `shieldlink/v1/${NODE}/status`);
  h.raw('safe', JSON.stringify(h.sign(safe('rt4'), KEYS.alice)), 'operators/+/replies');
  await h.settle();
  t.same(
    h.results.map((r) => r.replyTo?.topic ?? null),
    ['operators/console-7/replies', `shieldlink/v1/${NODE}/replies/console-7`, null, null],
  );
  t.equal(h.results[0]!.replyTo!.correlationData!.toString(), 'corr');
});

t.test('every message and outcome is audited, in order, without key material or signatures', async (t) => {
  const h = commandHarness();
  const signed = h.sign(safe('au1'), KEYS.alice);
  h.send(signed);
  h.send(h.sign(free('au2'), KEYS.bob));
  h.raw('safe', 'garbage');
  await h.settle();
  t.same(
    h.audits.map((a) => a.seq),
    h.audits.map((_, i) => i + 1),
  );
  t.equal(h.audits.filter((a) => a.kind === 'command').length, 3, 'one command record per message');
  t.equal(h.audits.filter((a) => a.kind === 'outcome').length, 3, 'one outcome record per result');
  for (const id of ['au1', 'au2', null]) {
    const command = h.audits.findIndex((a) => a.kind === 'command' && a.id === id);
    const outcome = h.audits.findIndex((a) => a.kind === 'outcome' && a.result.id === id);
    t.ok(command >= 0 && command < outcome, `${id}: the command is audited before its outcome`);
  }
  for (const a of h.audits) t.ok(auditRecordPayload.safeParse(a).success, 'audit record matches its schema');
  const first = h.audits[0]!;
  t.equal(first.kind === 'command' && first.authenticated, true);
  t.equal(first.kind === 'command' && first.operator, 'alice');
  const text = JSON.stringify(h.audits);
  t.notOk(text.includes(signed.signature), 'no signature in the audit');
  for (const secret of KEY_SECRETS) {
    t.notOk(text.includes(secret.toString('hex')), 'no key (hex) in the audit');
    t.notOk(text.includes(secret.toString('base64')), 'no key (base64) in the audit');
  }
});

t.test('busy limits: too many running commands or waiting approvals are rejected busy', async (t) => {
  const h = commandHarness({ maxRunningCommands: 2, maxPendingApprovals: 1 });
  h.executor.respond = () => new Promise(() => undefined);
  for (const id of ['q1', 'q2', 'q3']) h.send(h.sign({ id, verb: 'hold-fire', args: { trackId: '1' } }, KEYS.alice));
  h.send(h.sign(free('q4'), KEYS.alice));
  h.send(h.sign(free('q5'), KEYS.alice));
  await h.settle();
  t.equal(h.executor.executed.length, 2);
  t.equal(word(h.resultsFor('q3')[0]), 'busy');
  t.equal(word(h.resultsFor('q5')[0]), 'busy');
  h.handler.shutdown();
  t.equal(h.resultsFor('q1').at(-1)?.status, 'timed_out');
  t.equal(word(h.resultsFor('q4').at(-1)), 'shutting-down');
});
