import { createHash } from 'node:crypto';
import t from 'tap';
import type { TickHandler } from '../../../src/control/realtime/tick-handler.js';
import type { TickLoopFault } from '../../../src/control/realtime/tick-loop.js';
import { VirtualTickDriver } from '../../../src/control/realtime/virtual-tick-driver.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { ECHO, decodeTickReport } from './fixtures/recording-tick-handler.js';

const HANDLER = new URL('./fixtures/recording-tick-handler.ts', import.meta.url);

/**
 * One scripted run: the same handler module as the real-time tests, inputs pushed at fixed
 * virtual instants, one virtual second. Returns a transcript of everything that came out, with
 * the virtual time it came out at.
 */
async function scriptedRun(): Promise<{ transcript: string[]; ticks: number; driver: VirtualTickDriver }> {
  const clock = new VirtualClock();
  const driver = await VirtualTickDriver.start({ clock, handlerModule: HANDLER, periodUs: 1_000 });
  const transcript: string[] = [];
  driver.onOutput((record) => transcript.push(`${clock.nowUs()} ${Buffer.from(record).toString('hex')}`));
  for (let i = 0; i < 200; i++) {
    clock.setTimerAt(1_234 + i * 4_567, () => driver.pushInput(Uint8Array.from({ length: i % 9 }, (_, j) => i ^ j)));
  }
  await clock.runUntil(1_000_000);
  const metrics = await driver.stop();
  return { transcript, ticks: metrics.ticks, driver };
}

t.test('virtual twin: two runs are identical, byte for byte and instant for instant', async (t) => {
  const a = await scriptedRun();
  const b = await scriptedRun();
  const digest = (lines: string[]): string => createHash('sha256').update(lines.join('\n')).digest('hex');
  t.equal(a.ticks, 999, 'ticks at 2 ms, 3 ms, ... 1000 ms');
  t.equal(digest(a.transcript), digest(b.transcript));
  t.same(a.transcript, b.transcript);
  t.equal(a.driver.state, 'stopped');
});

t.test('virtual twin: ticks on exact deadlines, inputs at the next tick, outputs at that instant', async (t) => {
  const clock = new VirtualClock();
  const driver = await VirtualTickDriver.start({ clock, handlerModule: HANDLER, periodUs: 500 });
  t.equal(driver.firstDeadlineUs, 1_000, 'first round deadline one period ahead');
  const seen: { atUs: number; record: Uint8Array }[] = [];
  driver.onOutput((record) => seen.push({ atUs: clock.nowUs(), record }));
  clock.setTimerAt(1_700, () => driver.pushInput(Uint8Array.of(1, 2, 3)));
  await clock.runUntil(3_000);
  const reports = seen.flatMap(({ atUs, record }) => {
    const report = decodeTickReport(record);
    return report === undefined ? [] : [{ atUs, ...report }];
  });
  t.same(
    reports.map((r) => [r.atUs, r.index]),
    [
      [1_000, 0],
      [1_500, 1],
      [2_000, 2],
      [2_500, 3],
      [3_000, 4],
    ],
  );
  const echo = seen.find(({ record }) => record[0] === ECHO)!;
  t.equal(echo.atUs, 2_000, 'input pushed at 1.7 ms handled by the tick at 2 ms');
  t.same([...echo.record.subarray(1)], [1, 2, 3]);
  const metrics = await driver.stop();
  t.match(metrics, {
    mode: 'virtual',
    ticks: 5,
    missedTicks: 0,
    overruns: 0,
    latenessUs: { count: 5, max: 0 },
    computeUs: { max: 0 },
    inputRecords: 1,
    ioEventLoopDelayUs: null,
  });
  await clock.runUntil(10_000);
  t.equal((await driver.metrics()).ticks, 5, 'no tick after stop()');
  t.equal(clock.pendingTimers, 0);
  t.throws(() => driver.pushInput(Uint8Array.of(1)), { code: 'ERR_TICK_STOPPED' });
});

t.test('virtual twin: an in-process handler, overflow counting, and a throwing handler', async (t) => {
  const clock = new VirtualClock();
  const faults: TickLoopFault[] = [];
  let calls = 0;
  const handler: TickHandler = (nowUs, inputs, output, tick) => {
    calls++;
    if (tick.index === 3) throw new Error('boom');
    t.equal(nowUs, tick.deadlineUs);
    t.notOk(tick.ioStalled);
    output(new Uint8Array(40)); // 44 bytes each: the 63-byte ring takes one per tick
    output(new Uint8Array(40));
    void inputs;
  };
  const driver = await VirtualTickDriver.start({ clock, handler, inputRingBytes: 16, outputRingBytes: 63 });
  driver.onFault((fault) => faults.push(fault));
  let delivered = 0;
  driver.onOutput(() => delivered++);
  t.ok(driver.pushInput(new Uint8Array(11)));
  t.notOk(driver.pushInput(new Uint8Array(1)), 'input ring full');
  await clock.runUntil(100_000);
  t.equal(calls, 4, 'stopped at the throw');
  t.equal(driver.state, 'failed');
  t.match(faults, [{ code: 'tick-handler-threw', tick: 3, message: /boom/ }]);
  const metrics = await driver.metrics();
  t.equal(metrics.inputOverflows, 1);
  t.equal(metrics.outputOverflows, 3, 'second output of each tick refused');
  t.equal(metrics.outputRecords, 3);
  t.equal(delivered, 3);
});

t.test('virtual twin: outputs wait in the ring until the first listener subscribes', async (t) => {
  const clock = new VirtualClock();
  const driver = await VirtualTickDriver.start({ clock, handlerModule: HANDLER });
  await clock.runUntil(4_000); // ticks 0-2 ran with nobody listening
  const indices: number[] = [];
  driver.onOutput((record) => indices.push(decodeTickReport(record)!.index));
  await clock.runUntil(5_000);
  t.same(indices, [0, 1, 2, 3]);
  await driver.stop();
});

t.test('virtual twin: options are checked', async (t) => {
  const clock = new VirtualClock();
  await t.rejects(VirtualTickDriver.start({ clock }), { code: 'ERR_TICK_CONFIG' });
  await t.rejects(VirtualTickDriver.start({ clock, handler: () => {}, handlerModule: HANDLER }), {
    code: 'ERR_TICK_CONFIG',
  });
  await t.rejects(VirtualTickDriver.start({ clock, handler: () => {}, periodUs: 0 }), { code: 'ERR_TICK_CONFIG' });
  await t.rejects(VirtualTickDriver.start({ clock, handlerModule: new URL('./fixtures/nope.ts', import.meta.url) }), {
    code: 'ERR_TICK_HANDLER_MODULE',
  });
});
