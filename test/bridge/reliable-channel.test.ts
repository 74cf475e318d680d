import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import t from 'tap';
import { EventSpool } from '../../src/bridge/event-spool.js';
import { ReliableChannel, type ReliableChannelOptions } from '../../src/bridge/reliable-channel.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { drive, tempDir } from './support/drive.js';
import { FakeBrokerLink } from './support/fake-broker-link.js';

async function channel(path: string, options: ReliableChannelOptions = {}, link = new FakeBrokerLink()) {
  const clock = new VirtualClock();
  const opened = await EventSpool.open(path);
  const ch = new ReliableChannel(link, opened.spool, opened.records, clock, options);
  link.start({ up: () => ch.linkUp(), down: () => ch.linkDown(), message: () => undefined });
  return { clock, link, ch, spool: opened.spool, recovered: opened.records };
}

const rec = (n: number) => ({ topic: `t/${n % 3}`, payload: String(n) });
/** Sequence numbers in the order the broker saw them (all connections, acked or not). */
const seen = (link: FakeBrokerLink) => link.publishes.map((p) => Number(p.message.payload));
/** First occurrence of each number, in order: what a consumer keeps after dropping repeats. */
const firstOccurrences = (list: number[]) => list.filter((n, i) => list.indexOf(n) === i);

t.test('live: records go out in order and the channel becomes idle on PUBACK', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const { clock, link, ch } = await channel(join(dir.path, 'spool'));
  link.goUp();
  await drive(clock, () => ch.stats.mode === 'live');
  for (let i = 1; i <= 10; i++) ch.enqueue(rec(i));
  await drive(clock, () => link.publishes.length === 10);
  t.same(seen(link), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.equal(ch.idle, false, 'not idle before the acks');
  link.ackAll();
  t.ok(await drive(clock, () => ch.idle));
  t.equal(ch.stats.spooledTotal, 0, 'nothing touched the disk');
  await ch.close();
});

t.test('outage: in-flight records go first after reconnect, then the spool, in order; spool emptied', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const path = join(dir.path, 'spool');
  const { clock, link, ch } = await channel(path);
  link.goUp();
  await drive(clock, () => ch.stats.mode === 'live');
  for (let i = 1; i <= 5; i++) ch.enqueue(rec(i));
  await drive(clock, () => link.publishes.length === 5);
  link.publishes[0]!.ack(); // 1 delivered, 2..5 in flight
  link.goDown();
  for (let i = 6; i <= 10; i++) ch.enqueue(rec(i));
  t.ok(await drive(clock, () => ch.stats.spooledRecords === 5), 'new records spooled while down');
  t.equal(readFileSync(path, 'utf8').split('\n').length - 1, 5);
  link.goUp();
  link.autoAck = true;
  t.ok(await drive(clock, () => ch.idle));
  t.same(seen(link), [1, 2, 3, 4, 5, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  t.equal(readFileSync(path, 'utf8'), '', 'spool truncated once delivered');
  t.equal(ch.stats.mode, 'live');
  await ch.close();
});

t.test('property: any interleaving of records, outages and acks loses none and reorders none', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  type Op =
    | { op: 'enqueue'; n: number }
    | { op: 'up' }
    | { op: 'down' }
    | { op: 'ack'; n: number }
    | { op: 'turns'; n: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('enqueue' as const), n: fc.integer({ min: 1, max: 30 }) }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('up' as const) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('down' as const) }), weight: 1 },
    { arbitrary: fc.record({ op: fc.constant('ack' as const), n: fc.integer({ min: 0, max: 40 }) }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('turns' as const), n: fc.integer({ min: 1, max: 30 }) }), weight: 3 },
  );
  let run = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(op, { minLength: 1, maxLength: 40 }),
      fc.integer({ min: 1, max: 8 }),
      async (ops, window) => {
        const { clock, link, ch } = await channel(join(dir.path, `spool-${run++}`), {
          windowSize: window,
          spillThreshold: 12,
        });
        let next = 1;
        for (const o of ops) {
          if (o.op === 'enqueue') for (let i = 0; i < o.n; i++) ch.enqueue(rec(next++));
          else if (o.op === 'up' && !link.connected) link.goUp();
          else if (o.op === 'down' && link.connected) link.goDown();
          else if (o.op === 'ack') {
            let left = o.n;
            const current = link.publishes.at(-1)?.connection;
            for (const p of link.publishes) {
              if (left > 0 && !p.acked && p.connection === current) {
                p.ack();
                left--;
              }
            }
          } else if (o.op === 'turns') await drive(clock, () => false, o.n);
        }
        if (!link.connected) link.goUp();
        link.autoAck = true;
        link.ackAll();
        const idle = await drive(clock, () => ch.idle);
        await ch.close();
        const expected = Array.from({ length: next - 1 }, (_, i) => i + 1);
        return idle && JSON.stringify(firstOccurrences(seen(link))) === JSON.stringify(expected);
      },
    ),
    { seed: 4242, numRuns: 150 },
  );
  t.pass('150 random schedules: every record delivered, first occurrences in order');
});

t.test('restart: records spooled at shutdown are sent first by the next run, in order', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const path = join(dir.path, 'spool');
  const first = await channel(path, { windowSize: 2 });
  first.link.goUp();
  await drive(first.clock, () => first.ch.stats.mode === 'live');
  for (let i = 1; i <= 4; i++) first.ch.enqueue(rec(i));
  await drive(first.clock, () => first.link.publishes.length === 2);
  first.link.goDown();
  for (let i = 5; i <= 6; i++) first.ch.enqueue(rec(i));
  await drive(first.clock, () => first.ch.stats.spooledRecords === 4);
  for (let i = 7; i <= 8; i++) first.ch.enqueue(rec(i)); // still in memory at close
  await first.ch.close();

  const second = await channel(path, { windowSize: 3 });
  t.equal(second.recovered, 8, 'the spool holds all eight');
  second.link.goUp();
  second.link.autoAck = true;
  t.ok(await drive(second.clock, () => second.ch.idle));
  t.same(seen(second.link), [1, 2, 3, 4, 5, 6, 7, 8]);
  await second.ch.close();
});

t.test('a torn last line is cut at open and a corrupt line is skipped, counted, and committed', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const path = join(dir.path, 'spool');
  const line = (n: number) => JSON.stringify({ t: 't/x', p: String(n) }) + '\n';
  writeFileSync(path, line(1) + 'not json\n' + line(2) + '{"t":"t/x","p":"3"');
  const { clock, link, ch, recovered } = await channel(path);
  t.equal(recovered, 3, 'three complete lines');
  link.goUp();
  link.autoAck = true;
  t.ok(await drive(clock, () => ch.idle));
  t.same(seen(link), [1, 2]);
  t.equal(ch.stats.corruptSpoolRecords, 1);
  t.equal(ch.stats.spooledRecords, 0);
  await ch.close();
});

t.test('a backlog above the spill threshold while connected goes through the spool, still in order', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const { clock, link, ch } = await channel(join(dir.path, 'spool'), { windowSize: 1, spillThreshold: 3 });
  link.goUp();
  await drive(clock, () => ch.stats.mode === 'live');
  for (let i = 1; i <= 20; i++) ch.enqueue(rec(i));
  t.equal(ch.stats.mode, 'catching-up', 'switched to the spool');
  link.autoAck = true;
  link.ackAll();
  t.ok(await drive(clock, () => ch.idle));
  t.same(
    seen(link),
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  t.ok(ch.stats.spooledTotal > 0);
  await ch.close();
});

t.test('a failing disk: records stay in memory up to the bound, then are dropped and counted', async (t) => {
  const dir = tempDir();
  t.teardown(dir.cleanup);
  const clock = new VirtualClock();
  const link = new FakeBrokerLink();
  const opened = await EventSpool.open(join(dir.path, 'spool'));
  const broken = Object.assign(
    Object.create(Object.getPrototypeOf(opened.spool) as object) as EventSpool,
    opened.spool,
    {
      append: () => Promise.reject(new Error('EIO')),
    },
  );
  const changes: string[] = [];
  const ch = new ReliableChannel(link, broken, 0, clock, { maxQueuedRecords: 5 }, () => changes.push('change'));
  for (let i = 1; i <= 8; i++) ch.enqueue(rec(i));
  await drive(clock, () => ch.stats.spoolError !== null);
  t.equal(ch.stats.droppedRecords + ch.stats.queuedRecords, 8, 'every record is either held or counted');
  t.ok(ch.stats.droppedRecords >= 2, 'the overflow is counted');
  t.ok(ch.stats.queuedRecords <= 6, 'memory stays bounded (bound + one append batch)');
  t.match(ch.stats.spoolError, /EIO/);
  t.ok(changes.length > 0, 'health listeners told');
  await opened.spool.close();
});
