import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { AuditLog } from '../../src/bridge/audit-log.js';
import { CommandHandler } from '../../src/bridge/command-handler.js';
import { type CommandDraft, signCommand } from '../../src/bridge/command-signer.js';
import { OperatorKeyring } from '../../src/bridge/operator-keyring.js';
import { ReplayStore } from '../../src/bridge/replay-store.js';
import type { CommandRequest } from '../../src/bridge/schemas/command-request.js';
import type { CommandResultPayload } from '../../src/bridge/schemas/command-result-payload.js';
import { TopicTree } from '../../src/bridge/topic-tree.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { KEYS, NODE, WALL_START_MS } from './support/command-harness.js';
import { drive, tempDir } from './support/drive.js';
import { RecordingExecutor } from './support/recording-executor.js';

const WINDOW_MS = 5_000;

/** One start of a node: a handler on a fresh virtual clock whose wall clock starts at `wallMs`. */
function startNode(storeFile: string | null, wallMs: number) {
  const clock = new VirtualClock();
  const wallClock = (): number => wallMs + clock.nowUs() / 1000;
  const executor = new RecordingExecutor();
  const results: CommandResultPayload[] = [];
  const opened = storeFile === null ? undefined : ReplayStore.open(storeFile, wallClock(), 2 * WINDOW_MS, 110_000);
  const handler = new CommandHandler(
    {
      topics: new TopicTree(NODE),
      keyring: new OperatorKeyring([KEYS.alice.public, KEYS.bob.public]),
      executor,
      clock,
      wallClock,
      audit: new AuditLog(NODE, 'boot', clock, wallClock, { record: () => undefined }, () => undefined),
      sendResult: (result) => results.push(result),
      republish: () => undefined,
      ...(opened === undefined ? {} : { replayStore: opened }),
    },
    { staleAfterMs: WINDOW_MS },
  );
  const send = (command: CommandRequest): void =>
    handler.handle({
      topic: `shieldlink/v1/${NODE}/commands/${command.verb}`,
      payload: Buffer.from(JSON.stringify(command)),
      responseTopic: null,
      correlationData: null,
    });
  const reasons = (id: string): string[] =>
    results.filter((r) => r.id === id).map((r) => (r.status === 'rejected' ? r.reason : r.status));
  return { clock, wallClock, executor, send, reasons, opened, close: () => opened?.store.close() };
}

const free = (id: string): CommandDraft => ({ id, node: NODE, verb: 'set-weapons-control', args: { status: 'free' } });
const safe = (id: string): CommandDraft => ({ id, node: NODE, verb: 'safe', args: { launcherId: 'launcher-1' } });

t.test('a captured two-operator FREE replayed 2 s later to a restarted node is refused', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'node.replay');

  const first = startNode(file, WALL_START_MS);
  const a = signCommand(free('free-1'), KEYS.alice, { timestampMs: first.wallClock() });
  const b = signCommand(free('free-1'), KEYS.bob, { timestampMs: first.wallClock() });
  first.send(a);
  first.send(b);
  await drive(first.clock, () => first.reasons('free-1').includes('completed'));
  t.equal(first.executor.executed.length, 1, 'executed once by the first start');
  first.close();

  // Restart 2 s after signing; the captured pair comes again.
  const second = startNode(file, WALL_START_MS + 2_000);
  t.equal(second.opened?.intact, true, 'the replay cache of the previous run is intact');
  second.send(a);
  second.send(b);
  await drive(second.clock, () => second.reasons('free-1').length >= 2);
  t.same(second.reasons('free-1'), ['replayed', 'replayed']);
  t.equal(second.executor.executed.length, 0, 'never executed again');

  // The executed id is refused too, even under fresh signatures.
  second.send(signCommand(safe('free-1'), KEYS.alice, { timestampMs: second.wallClock() }));
  await drive(second.clock, () => second.reasons('free-1').length >= 3);
  t.equal(second.reasons('free-1').at(-1), 'duplicate-id');
  second.close();

  // Without the persisted cache (what a restart had before), the same replay executes again.
  const forgetful = startNode(null, WALL_START_MS + 2_000);
  forgetful.send(a);
  forgetful.send(b);
  await drive(forgetful.clock, () => forgetful.reasons('free-1').includes('completed'));
  t.equal(forgetful.executor.executed.length, 1, 'control: an in-memory cache forgets across restarts');
});

t.test('a command signed before the start passes only when its nonce is provably unseen', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'node.replay');

  // First start ever: no cache, so nothing signed before the start can be proved unseen.
  const before = signCommand(safe('s-1'), KEYS.alice, { timestampMs: WALL_START_MS - 1_000 });
  const fresh = startNode(file, WALL_START_MS);
  t.equal(fresh.opened?.intact, false);
  fresh.send(before);
  fresh.send(signCommand(safe('s-2'), KEYS.alice, { timestampMs: fresh.wallClock() }));
  await drive(fresh.clock, () => fresh.reasons('s-2').includes('completed'));
  t.same(fresh.reasons('s-1'), ['signed-before-start']);
  t.same(fresh.reasons('s-2'), ['completed'], 'signed after the start: accepted');
  fresh.close();

  // An intact cache from the previous run: an unseen nonce signed before the restart is fine.
  const restarted = startNode(file, WALL_START_MS + 3_000);
  t.equal(restarted.opened?.intact, true);
  restarted.send(signCommand(safe('s-3'), KEYS.alice, { timestampMs: WALL_START_MS + 2_500 }));
  await drive(restarted.clock, () => restarted.reasons('s-3').includes('completed'));
  t.same(restarted.reasons('s-3'), ['completed']);
  restarted.close();

  // A damaged cache (an unreadable line before the end) proves nothing: refused again.
  const lines = readFileSync(file, 'utf8');
  writeFileSync(file, `{"k":"n","v":"x"\n${lines}`);
  const damaged = startNode(file, WALL_START_MS + 4_000);
  t.equal(damaged.opened?.intact, false);
  damaged.send(signCommand(safe('s-4'), KEYS.alice, { timestampMs: WALL_START_MS + 3_500 }));
  await drive(damaged.clock, () => damaged.reasons('s-4').length > 0);
  t.same(damaged.reasons('s-4'), ['signed-before-start']);
  damaged.close();

  // A torn last line is a write that never completed (its command never ran): still intact.
  appendFileSync(file, '{"k":"n","v":"alice-1');
  const torn = startNode(file, WALL_START_MS + 5_000);
  t.equal(torn.opened?.intact, true);
  torn.close();

  // A lost cache: as on the first start.
  rmSync(file);
  const lost = startNode(file, WALL_START_MS + 6_000);
  t.equal(lost.opened?.intact, false);
  lost.close();
});

t.test('the cache keeps only the window and stays bounded', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const file = join(dir.path, 'node.replay');
  const node = startNode(file, WALL_START_MS);
  for (let i = 0; i < 50; i++) {
    await node.clock.advance(100_000);
    node.send(signCommand(safe(`b-${i}`), KEYS.bob, { timestampMs: node.wallClock() }));
  }
  await drive(node.clock, () => node.reasons('b-49').includes('completed'));
  node.close();
  t.equal(readFileSync(file, 'utf8').trim().split('\n').length, 100, 'a nonce and an id per executed command');
  // 25 s later everything is outside the window (2 x 5 s): the file is rewritten empty.
  const later = startNode(file, WALL_START_MS + 30_000);
  t.equal(later.opened?.entries.length, 0);
  t.equal(readFileSync(file, 'utf8'), '');
  later.close();
});
