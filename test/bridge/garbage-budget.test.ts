import { statSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { auditRecordPayload, type AuditRecord } from '../../src/bridge/schemas/audit-record-payload.js';
import { ShieldlinkBridge } from '../../src/bridge/shieldlink-bridge.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { KEYS, WALL_START_MS } from './support/command-harness.js';
import { drive, tempDir } from './support/drive.js';
import { FakeBrokerLink } from './support/fake-broker-link.js';
import { FakeSource } from './support/fake-source.js';
import { RecordingExecutor } from './support/recording-executor.js';

const NODE = 'node-g';
const GARBAGE = Number(process.env['SHIELDLINK_GARBAGE_COMMANDS'] ?? 100_000);
const SECONDS = 10;
/**
 * The stated bound: per source at most burst (20) + refill (2/s) x 10 s = 40 rejected commands
 * recorded one by one, each giving a command record, an outcome record and a result; 3 sources
 * here (anonymous, key:alice-1, key:bob-1), plus one summary per second.
 */
const MAX_AUDIT_RECORDS = 3 * 40 * 2 + SECONDS + 5;
const MAX_RECORDED_BYTES = 512 * 1024;
const MAX_SPOOL_BYTES = 512 * 1024;

t.test(`${GARBAGE} garbage commands in ${SECONDS} s leave the recording and the spool bounded`, async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const clock = new VirtualClock();
  const wallClock = (): number => WALL_START_MS + clock.nowUs() / 1000;
  const link = new FakeBrokerLink();
  const executor = new RecordingExecutor();
  const recorded: AuditRecord[] = [];
  let recordedBytes = 0;
  const spoolFile = join(dir.path, 'node.spool');
  const bridge = new ShieldlinkBridge({
    nodeId: NODE,
    broker: { url: 'mqtt://unused' },
    spoolFile,
    keyring: new OperatorKeyring([KEYS.alice.public, KEYS.bob.public]),
    executor,
    audit: {
      record: (entry) => {
        recorded.push(entry);
        recordedBytes += JSON.stringify(entry).length;
      },
    },
    clock,
    wallClock,
    bootId: 'boot-g',
    link,
  });
  await bridge.start(new FakeSource());
  // The broker is away for the whole flood: everything the bridge would send goes to the spool.
  const topic = (verb: string) => `shieldlink/v1/${NODE}/commands/${verb}`;
  const deliver = (verb: string, payload: string): void =>
    link.deliver({ topic: topic(verb), payload: Buffer.from(payload), responseTopic: null, correlationData: null });
  const valid = signCommand({ id: 'ok-0', node: NODE, verb: 'safe', args: { launcherId: 'l-1' } }, KEYS.alice, {
    timestampMs: wallClock(),
  });
  deliver('safe', JSON.stringify(valid));
  const kinds = [
    () => deliver('safe', '{not json'),
    () => deliver('safe', JSON.stringify({ ...valid, signature: undefined, id: 'u' })),
    () => deliver('safe', JSON.stringify({ ...valid, signature: 'ab'.repeat(32) })),
    () => deliver('safe', JSON.stringify({ ...valid, keyId: 'nobody-1' })),
    () => deliver('safe', JSON.stringify(valid)), // a captured valid command, replayed
    () => deliver('launch-everything', '{}'),
    () => deliver('safe', JSON.stringify({ ...valid, keyId: 'bob-1' })),
  ];
  const perStep = GARBAGE / (SECONDS * 10);
  let sent = 0;
  for (let step = 0; step < SECONDS * 10; step++) {
    for (let i = 0; i < perStep; i++) kinds[sent++ % kinds.length]!();
    if (step === 50) {
      // A real operator in the middle of the flood is neither starved nor lost.
      const bobs = signCommand({ id: 'ok-bob', node: NODE, verb: 'safe', args: { launcherId: 'l-1' } }, KEYS.bob, {
        timestampMs: wallClock(),
      });
      deliver('safe', JSON.stringify(bobs));
    }
    await clock.advance(100_000);
  }
  await drive(clock, () => executor.executed.length === 2);
  await clock.advance(2_000_000);
  const metrics = bridge.metricsSnapshot();
  await bridge.stop();

  const spoolBytes = statSync(spoolFile).size;
  t.comment(
    `sent ${sent}; audit records ${recorded.length} (${recordedBytes} bytes); spool ${spoolBytes} bytes; ` +
      `suppressed ${metrics.commandsSuppressed}; rejected ${metrics.commandsRejected}`,
  );
  t.same(
    executor.executed.map((c) => c.id),
    ['ok-0', 'ok-bob'],
    'the valid commands ran, nothing else did',
  );
  t.ok(recorded.length <= MAX_AUDIT_RECORDS, `audit records ${recorded.length} <= ${MAX_AUDIT_RECORDS}`);
  t.ok(recordedBytes <= MAX_RECORDED_BYTES, `recorded ${recordedBytes} bytes <= ${MAX_RECORDED_BYTES}`);
  t.ok(spoolBytes <= MAX_SPOOL_BYTES, `spool ${spoolBytes} bytes <= ${MAX_SPOOL_BYTES}`);
  for (const record of recorded) t.ok(auditRecordPayload.safeParse(record).success || t.fail(JSON.stringify(record)));

  // Nothing is lost from view: the summaries account for every message not recorded one by one.
  const summaries = recorded.filter((r) => r.kind === 'suppressed');
  t.ok(summaries.length >= SECONDS - 1 && summaries.length <= SECONDS + 3, `${summaries.length} summaries`);
  const suppressed = summaries.reduce((n, r) => n + r.messages, 0);
  const recordedRejections = recorded.filter((r) => r.kind === 'command' && !r.authenticated).length;
  t.equal(suppressed + recordedRejections, sent, 'summaries + individual records = every garbage message');
  t.equal(summaries.at(-1)?.totalRejected, sent);
  t.equal(metrics.commandsSuppressed, suppressed);
  const sources = new Set(summaries.flatMap((s) => Object.keys(s.bySource)));
  t.same([...sources].sort(), ['anonymous', 'key:alice-1', 'key:bob-1']);
  // Bob's real command was audited in full.
  t.ok(recorded.some((r) => r.kind === 'outcome' && r.result.id === 'ok-bob' && r.result.status === 'completed'));
});
