import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { COMMAND_VERBS, type CommandRequest } from '../../src/bridge/schemas/command-request.js';
import { commandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { commandHarness, KEYS } from './support/command-harness.js';

/**
 * Fuzzing the command handler: unsigned, wrong-key, replayed, stale,
 * single-operator FREE/ARM, mutated and random inputs. Each message must get exactly one
 * immediate answer, `rejected` (or `pending` for a lone FREE/ARM signature, which ends
 * `rejected: no-second-operator`), nothing may execute, nothing may throw. Seeded: set
 * SHIELDLINK_FUZZ_SEED / SHIELDLINK_FUZZ_RUNS to reproduce or run longer.
 */
const SEED = Number(process.env.SHIELDLINK_FUZZ_SEED ?? 20_250_105);
const RUNS = Number(process.env.SHIELDLINK_FUZZ_RUNS ?? 10_000);

type Attack =
  | { kind: 'bytes'; verb: string; bytes: Uint8Array }
  | { kind: 'json'; verb: string; value: unknown }
  | { kind: 'shaped'; value: Record<string, unknown> }
  | { kind: 'mutated'; base: number; mutation: Mutation }
  | { kind: 'replay'; index: number }
  | { kind: 'stale'; base: number; skewMs: number }
  | { kind: 'lone-operator'; arm: boolean; second: boolean };

type Mutation =
  | { op: 'drop'; key: string }
  | { op: 'set'; key: string; value: unknown }
  | { op: 'signature'; hex: string }
  | { op: 'foreign-key' }
  | { op: 'arg'; value: unknown };

// A topic level: no '/', '+', '#' (those are other topics or invalid), and not `result` (ignored).
const anyVerb = fc.oneof(
  fc.constantFrom(...COMMAND_VERBS),
  fc.string({ maxLength: 20 }).filter((v) => !/[/+#]/.test(v) && v !== 'result'),
);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(1.5, -0, 2 ** 60, '', 'x'.repeat(300), null, [], {}, '__proto__', '\u0000', '\ud800'),
);
const envelopeKeys = ['v', 'id', 'node', 'keyId', 'timestamp', 'nonce', 'verb', 'args', 'signature', 'extra'];

const attack: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({ kind: fc.constant('bytes' as const), verb: anyVerb, bytes: fc.uint8Array({ maxLength: 600 }) }),
  fc.record({ kind: fc.constant('json' as const), verb: anyVerb, value: fc.jsonValue({ maxDepth: 4 }) }),
  fc.record({
    kind: fc.constant('shaped' as const),
    value: fc.dictionary(fc.constantFrom(...envelopeKeys), anyValue, { maxKeys: 10 }),
  }),
  fc.record({
    kind: fc.constant('mutated' as const),
    base: fc.nat(49),
    mutation: fc.oneof(
      fc.record({
        op: fc.constant('drop' as const),
        key: fc.constantFrom(...envelopeKeys.filter((k) => k !== 'extra')),
      }),
      fc.record({ op: fc.constant('set' as const), key: fc.constantFrom(...envelopeKeys), value: anyValue }),
      fc.record({
        op: fc.constant('signature' as const),
        hex: fc.stringMatching(/^[0-9a-f]{64}$/),
      }),
      fc.record({ op: fc.constant('foreign-key' as const) }),
      fc.record({ op: fc.constant('arg' as const), value: anyValue }),
    ),
  }),
  fc.record({ kind: fc.constant('replay' as const), index: fc.nat(49) }),
  fc.record({
    kind: fc.constant('stale' as const),
    base: fc.nat(49),
    skewMs: fc.oneof(fc.integer({ min: 5_001, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -5_001 })),
  }),
  fc.record({ kind: fc.constant('lone-operator' as const), arm: fc.boolean(), second: fc.boolean() }),
);

t.test(`fuzzed commands: 0 accepted, 0 crashes, each answered (seed ${SEED}, ${RUNS} runs)`, async (t) => {
  const h = commandHarness();
  // Commands that were legitimately executed, to replay.
  const executedBefore: CommandRequest[] = [];
  for (let i = 0; i < 50; i++) {
    const command = h.sign({ id: `legit-${i}`, verb: 'hold-fire', args: { trackId: String(i) } }, KEYS.bob);
    executedBefore.push(command);
    h.send(command);
  }
  await h.settle();
  t.equal(h.executor.executed.length, 50, 'the 50 legitimate commands ran');
  const resultsBefore = h.results.length;
  let counter = 0;
  let pending = 0;
  const statuses = new Map<string, number>();

  const payloadOf = (a: Attack): { verb: string; payload: string | Buffer } => {
    const fresh = (n: number) =>
      h.sign({ id: `fz-${counter}-${n}`, verb: 'safe', args: { launcherId: `l${n}` } }, KEYS.alice, 0);
    switch (a.kind) {
      case 'bytes':
        return { verb: a.verb, payload: Buffer.from(a.bytes) };
      case 'json':
        return { verb: a.verb, payload: JSON.stringify(a.value) ?? 'null' };
      case 'shaped':
        return {
          verb:
            typeof a.value.verb === 'string' && !/[/+#]/.test(a.value.verb) && a.value.verb !== 'result'
              ? a.value.verb
              : 'safe',
          payload: JSON.stringify(a.value),
        };
      case 'replay': {
        const command = executedBefore[a.index]!;
        return { verb: command.verb, payload: JSON.stringify(command) };
      }
      case 'stale':
        return {
          verb: 'safe',
          payload: JSON.stringify(
            h.sign({ id: `st-${counter}`, verb: 'safe', args: { launcherId: 'l1' } }, KEYS.alice, a.skewMs),
          ),
        };
      case 'lone-operator': {
        const draft = a.arm
          ? { id: `lo-${counter}`, verb: 'arm' as const, args: { launcherId: 'launcher-1' } }
          : { id: `lo-${counter}`, verb: 'set-weapons-control' as const, args: { status: 'free' as const } };
        // `second`: the same operator signs again with her other key (still one operator).
        return { verb: draft.verb, payload: JSON.stringify(h.sign(draft, a.second ? KEYS.alice2 : KEYS.alice)) };
      }
      case 'mutated': {
        const base = fresh(a.base) as unknown as Record<string, unknown>;
        const m = a.mutation;
        if (m.op === 'drop') delete base[m.key];
        else if (m.op === 'set') {
          // Setting a member to the value it has is no mutation: make it differ.
          base[m.key] = JSON.stringify(base[m.key]) === JSON.stringify(m.value) ? `${String(m.value)}!` : m.value;
        } else if (m.op === 'signature') base.signature = m.hex;
        else if (m.op === 'foreign-key') {
          const forged = h.sign(
            { id: String(base.id), verb: 'safe', args: { launcherId: 'l1' } },
            KEYS.mallory,
          ) as unknown as Record<string, unknown>;
          return { verb: 'safe', payload: JSON.stringify({ ...forged, keyId: 'alice-1' }) };
        } else base.args = { launcherId: m.value };
        return { verb: 'safe', payload: JSON.stringify(base) };
      }
    }
  };

  fc.assert(
    fc.property(attack, (a) => {
      counter++;
      const { verb, payload } = payloadOf(a);
      const before = h.results.length;
      h.raw(verb, payload); // must not throw
      const answers = h.results.slice(before).map((r) => r.result);
      if (answers.length !== 1) return false;
      const answer = answers[0]!;
      if (!commandResultPayload.safeParse(answer).success) return false;
      const key = answer.status === 'rejected' ? answer.reason : answer.status;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
      if (answer.status === 'pending') {
        pending++;
        return a.kind === 'lone-operator';
      }
      return answer.status === 'rejected';
    }),
    { seed: SEED, numRuns: RUNS },
  );
  await h.settle();
  t.equal(h.executor.executed.length, 50, '0 fuzzed commands executed');
  await h.clock.advance(31_000_000); // every lone FREE/ARM window closes
  const fuzzed = h.results.slice(resultsBefore).map((r) => r.result);
  t.equal(
    fuzzed.filter((r) => r.status === 'accepted' || r.status === 'completed').length,
    0,
    '0 accepted or completed',
  );
  t.equal(
    fuzzed.filter((r) => r.status === 'rejected' && r.reason === 'no-second-operator').length,
    pending,
    'every lone FREE/ARM ends rejected: no-second-operator',
  );
  t.equal(h.executor.executed.length, 50);
  t.ok(statuses.get('replayed')! > 0 && statuses.get('stale')! > 0 && statuses.get('bad-signature')! > 0);
  t.comment(`verdicts over ${RUNS} fuzzed messages: ${JSON.stringify(Object.fromEntries(statuses))}`);
});

t.test('corpus: inputs worth keeping are answered with rejected', async (t) => {
  const corpus = JSON.parse(readFileSync(new URL('./corpus/command-payloads.json', import.meta.url), 'utf8')) as {
    verb: string;
    payload: string;
    reason: string;
  }[];
  const h = commandHarness();
  for (const entry of corpus) {
    const before = h.results.length;
    h.raw(entry.verb, entry.payload);
    const answer = h.results[before]?.result;
    t.equal(answer?.status === 'rejected' && answer.reason, entry.reason, `${entry.payload.slice(0, 60)}`);
  }
  await h.settle();
  t.equal(h.executor.executed.length, 0);
});
