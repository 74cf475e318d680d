import t from 'tap';
import { AuditLog } from '../../src/bridge/audit-log.js';
import { CommandHandler } from '../../src/bridge/command-handler.js';
import { signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import type { AuditRecord } from '../../src/bridge/schemas/audit-record-payload.js';
import type { CommandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { TopicTree } from '../../src/bridge/topic-tree.js';
import { anchoredWallClock } from '../../src/time/anchored-wall-clock.js';
import type { Clock } from '../../src/time/clock.js';
import { RealClock, wallClockMs } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { KEYS, NODE, WALL_START_MS } from '../bridge/support/command-harness.js';
import { RecordingExecutor } from '../bridge/support/recording-executor.js';

/**
 * Host wall clock stepped ±1 h: an NTP step or an operator setting the date must not
 * move the node's command timestamps nor make correctly-timed commands stale. The system clock
 * here is a fake (`Date.now()` is never touched): true UTC advances with the monotonic virtual
 * clock, the "system" clock is UTC plus a step the test changes.
 */

const HOUR_MS = 3_600_000;

/** True UTC (what a correctly-set operator console reads) and a steppable system clock. */
function worldClocks(clock: Clock) {
  const utc = (): number => WALL_START_MS + clock.nowUs() / 1000;
  const system = { stepMs: 0 };
  const systemNow = (): number => utc() + system.stepMs;
  return { utc, system, systemNow };
}

/** A bridge `CommandHandler` with the given wall clock (as in test/bridge/support/command-harness.ts). */
function handlerWith(clock: Clock, wallClock: () => number) {
  const topics = new TopicTree(NODE);
  const executor = new RecordingExecutor();
  const results: CommandResultPayload[] = [];
  const audits: AuditRecord[] = [];
  const audit = new AuditLog(NODE, 'boot-1', clock, wallClock, { record: (r) => audits.push(r) }, () => undefined);
  const handler = new CommandHandler({
    topics,
    keyring: new OperatorKeyring([KEYS.alice.public, KEYS.bob.public]),
    executor,
    clock,
    wallClock,
    audit,
    sendResult: (result) => results.push(result),
    republish: () => undefined,
  });
  /** Alice signs SAFE with her own (correct) clock reading `signedAtMs`. */
  const sendSafe = (id: string, signedAtMs: number): void => {
    const command = signCommand({ node: NODE, id, verb: 'safe', args: { launcherId: 'launcher-1' } }, KEYS.alice, {
      timestampMs: signedAtMs,
    });
    handler.handle({
      topic: `${topics.prefix}commands/safe`,
      payload: Buffer.from(JSON.stringify(command)),
      responseTopic: null,
      correlationData: null,
    });
  };
  const outcome = (id: string): string[] =>
    results.filter((r) => r.id === id).map((r) => (r.status === 'rejected' ? `rejected:${r.reason}` : r.status));
  return { executor, results, audits, sendSafe, outcome };
}

t.test('the anchored wall clock ignores a ±1 h step of the system clock', async (t) => {
  const clock = new VirtualClock();
  const { utc, system, systemNow } = worldClocks(clock);
  const anchored = anchoredWallClock(clock, systemNow());
  t.equal(anchored(), utc(), 'starts at the system wall time');

  await clock.advance(10_000_000);
  t.equal(anchored(), utc(), 'advances with the monotonic clock');

  let last = anchored();
  for (const stepMs of [HOUR_MS, -HOUR_MS, 0, -HOUR_MS, HOUR_MS]) {
    system.stepMs = stepMs;
    t.equal(systemNow() - utc(), stepMs, `the system clock is stepped by ${stepMs / 60_000} min`);
    t.equal(anchored(), utc(), 'the anchored clock still reads true time');
    await clock.advance(1_500_000);
    t.ok(anchored() > last, 'and keeps moving forward');
    last = anchored();
  }
  t.comment(`after the steps: anchored − UTC = ${anchored() - utc()} ms, system − UTC = ${systemNow() - utc()} ms`);
});

t.test('by default the anchor is the real wall clock at creation, then monotonic', async (t) => {
  const clock = new RealClock();
  const before = wallClockMs();
  const anchored = anchoredWallClock(clock);
  const after = wallClockMs();
  const first = anchored();
  t.ok(first >= before && first <= after + 60_000, 'anchored near Date.now() at creation (generous bound)');
  let previous = first;
  let backwards = 0;
  for (let i = 0; i < 1000; i++) {
    const now = anchored();
    if (now < previous) backwards++;
    previous = now;
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(backwards, 0, 'never goes backwards over 1000 reads');
});

for (const stepMs of [HOUR_MS, -HOUR_MS]) {
  const label = `${stepMs > 0 ? '+' : '−'}1 h`;
  t.test(`CommandHandler after a ${label} system clock step`, async (t) => {
    const clock = new VirtualClock();
    const { utc, system, systemNow } = worldClocks(clock);
    const anchored = handlerWith(clock, anchoredWallClock(clock, systemNow()));
    const naive = handlerWith(clock, systemNow);

    await clock.advance(2_000_000);
    anchored.sendSafe('before-step', utc());
    naive.sendSafe('before-step', utc());
    await clock.advance(0);
    t.same(anchored.outcome('before-step'), ['completed'], 'before the step: accepted (anchored)');
    t.same(naive.outcome('before-step'), ['completed'], 'before the step: accepted (system clock)');

    system.stepMs = stepMs;
    await clock.advance(3_000_000);
    anchored.sendSafe('after-step', utc());
    naive.sendSafe('after-step', utc());
    await clock.advance(0);
    t.same(
      anchored.outcome('after-step'),
      ['completed'],
      'a fresh command signed by an operator with a correct clock is accepted with the anchored clock',
    );
    t.equal(anchored.executor.executed.length, 2, 'both commands executed once');
    t.same(
      naive.outcome('after-step'),
      ['rejected:stale'],
      'a handler reading the stepped system clock would reject it as stale (why the anchor)',
    );
    t.equal(naive.executor.executed.length, 1, 'never executed there');

    // Stale commands stay stale: the anchor does not widen the freshness window.
    anchored.sendSafe('old', utc() - 5_001);
    anchored.sendSafe('future', utc() + 5_001);
    await clock.advance(0);
    t.same(anchored.outcome('old'), ['rejected:stale'], 'a command 5.001 s old is still stale');
    t.same(anchored.outcome('future'), ['rejected:stale'], 'a command 5.001 s in the future is still stale');

    // What the node publishes carries true time, not the stepped one.
    const lastAudit = anchored.audits.at(-1) as { at?: unknown } | undefined;
    t.equal(Date.parse(String(lastAudit?.at)), utc(), 'audit timestamps read true time');
    t.comment(`system − UTC = ${systemNow() - utc()} ms; anchored − UTC = 0 ms`);
  });
}
