import t from 'tap';
import { RealtimeLoop } from '../../../src/control/realtime/realtime-loop.js';
import type { TickLoopFault } from '../../../src/control/realtime/tick-loop.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import {
  ECHO,
  decodeTickReport,
  type RecordingHandlerData,
  type TickReport,
} from './fixtures/recording-tick-handler.js';

const HANDLER = new URL('./fixtures/recording-tick-handler.ts', import.meta.url);

/** Collects what the recording handler sends back; resolves waits on conditions, not on time. */
function collect(loop: RealtimeLoop): {
  reports: TickReport[];
  echoes: number[][];
  faults: TickLoopFault[];
  until(done: () => boolean): Promise<void>;
} {
  const reports: TickReport[] = [];
  const echoes: number[][] = [];
  const faults: TickLoopFault[] = [];
  const waiters: { done: () => boolean; resolve: () => void }[] = [];
  const check = (): void => {
    for (const waiter of [...waiters]) {
      if (waiter.done()) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  loop.onOutput((record) => {
    const report = decodeTickReport(record);
    if (report !== undefined) reports.push(report);
    else if (record[0] === ECHO) echoes.push([...record.subarray(1)]);
    check();
  });
  loop.onFault((fault) => {
    faults.push(fault);
    check();
  });
  return {
    reports,
    echoes,
    faults,
    until: (done) =>
      new Promise<void>((resolve) => {
        if (done()) resolve();
        else waiters.push({ done, resolve });
      }),
  };
}

async function start(data: RecordingHandlerData = {}, periodUs = 1_000): Promise<RealtimeLoop> {
  return RealtimeLoop.start({ handlerModule: HANDLER, handlerData: data, periodUs });
}

t.test('runs ticks, delivers inputs to the handler in order and its outputs back', async (t) => {
  const loop = await start();
  const seen = collect(loop);
  t.equal(loop.state, 'running');
  t.ok(Number.isFinite(loop.firstDeadlineUs) && loop.firstDeadlineUs % 1_000 === 0, 'round first deadline');
  await seen.until(() => seen.reports.length >= 20);
  const inputs = Array.from({ length: 50 }, (_, i) => Uint8Array.from({ length: i % 17 }, (_, j) => (i + j) & 0xff));
  t.ok(
    inputs.every((input) => loop.pushInput(input)),
    'inputs accepted',
  );
  await seen.until(() => seen.echoes.length >= inputs.length);
  t.same(
    seen.echoes,
    inputs.map((input) => [...input]),
    'every input came back once, in order, intact',
  );
  const metrics = await loop.metrics();
  t.equal(metrics.mode, 'realtime');
  t.equal(metrics.overrunPolicy, 'skip');
  t.ok(metrics.ticks >= 20, 'ticks counted');
  t.equal(metrics.latenessUs.count, metrics.ticks, 'one lateness sample per tick');
  t.equal(metrics.computeUs.count, metrics.ticks, 'one compute sample per tick');
  t.equal(metrics.inputRecords, inputs.length);
  t.equal(metrics.inputOverflows, 0);
  t.ok(metrics.ioEventLoopDelayUs !== null, 'I/O thread event-loop delay exported');
  const final = await loop.stop();
  t.equal(final.ticks, seen.reports.length, 'every tick report was delivered by the time stop() resolved');
  t.equal(final.outputRecords, seen.reports.length + seen.echoes.length);
  const indices = seen.reports.map((r) => r.index);
  t.ok(
    indices.every((index, i) => i === 0 || index > indices[i - 1]!),
    'tick indices strictly increase',
  );
  t.equal(indices[0], 0, 'first tick is index 0');
  t.equal(
    final.missedTicks,
    indices.reduce((sum, index, i) => sum + (i === 0 ? 0 : index - indices[i - 1]! - 1), 0),
    'missed ticks = gaps in the indices seen (this machine is shared: gaps may happen)',
  );
});

t.test('overrun: missed ticks are skipped and counted, never run late in a burst', async (t) => {
  const loop = await start({ busyFromTick: 5, busyUs: 3_500 });
  const seen = collect(loop);
  await seen.until(() => seen.reports.some((r) => r.index >= 15));
  const final = await loop.stop();
  const indices = seen.reports.map((r) => r.index);
  const busy = indices.findIndex((index) => index >= 5);
  const busyIndex = indices[busy]!;
  const next = seen.reports[busy + 1]!;
  t.ok(
    next.index >= busyIndex + 4,
    `tick ${busyIndex} worked 3.5 periods, so the next 3 were skipped (next ran: ${next.index})`,
  );
  t.equal(next.missedBefore, next.index - busyIndex - 1, 'the handler is told how many were skipped');
  t.notOk(
    indices.some((index) => index > busyIndex && index < busyIndex + 4),
    'no skipped tick ran late',
  );
  t.ok(final.overruns >= 1, 'the overrun was counted');
  const gaps = indices.reduce((sum, index, i) => sum + (i === 0 ? 0 : index - indices[i - 1]! - 1), 0);
  t.equal(final.missedTicks, gaps, 'missed ticks counter = indices never run');
  t.equal(final.ticks, indices.length);
});

t.test('stop() ends the worker cleanly and is idempotent', async (t) => {
  const loop = await start();
  const seen = collect(loop);
  await seen.until(() => seen.reports.length >= 3);
  const [a, b] = await Promise.all([loop.stop(), loop.stop()]);
  t.same(a, b, 'same final metrics');
  t.equal(loop.state, 'stopped');
  t.equal(loop.workerExitCode, 0, 'the worker left its loop and exited by itself');
  t.same(
    seen.faults.filter((f) => f.code === 'worker-exited'),
    [],
    'no worker-exited fault',
  );
  t.throws(() => loop.pushInput(Uint8Array.of(1)), { code: 'ERR_TICK_STOPPED' });
  const later = await loop.metrics();
  t.equal(later.ticks, a.ticks, 'metrics frozen after stop');
});

t.test('a handler that throws stops the loop with a fault', async (t) => {
  const loop = await start({ throwFromTick: 3 });
  const seen = collect(loop);
  await seen.until(() => seen.faults.some((f) => f.code === 'tick-handler-threw'));
  const fault = seen.faults.find((f) => f.code === 'tick-handler-threw');
  t.match(fault, { code: 'tick-handler-threw', message: /planned failure at tick/ });
  t.equal(loop.state, 'failed', 'failed as soon as the fault is reported');
  const final = await loop.stop();
  t.equal(loop.state, 'failed');
  t.equal(final.ticks, seen.reports.length + 1, 'the ticks before, and the one that threw');
  t.ok(
    seen.reports.every((r) => r.index < 3),
    'no tick after the failure',
  );
  t.throws(() => loop.pushInput(Uint8Array.of(1)), { code: 'ERR_TICK_STOPPED' });
});

t.test('start fails with a typed error for a bad handler module or a virtual clock', async (t) => {
  await t.rejects(RealtimeLoop.start({ handlerModule: new URL('./fixtures/no-such-handler.ts', import.meta.url) }), {
    code: 'ERR_TICK_HANDLER_MODULE',
  });
  await t.rejects(RealtimeLoop.start({ handlerModule: new URL('./fixtures/stress-record.ts', import.meta.url) }), {
    code: 'ERR_TICK_HANDLER_MODULE',
    message: /default export/,
  });
  await t.rejects(RealtimeLoop.start({ handlerModule: HANDLER, clock: new VirtualClock() }), {
    code: 'ERR_TICK_CLOCK',
  });
  await t.rejects(RealtimeLoop.start({ handlerModule: HANDLER, periodUs: 10 }), { code: 'ERR_TICK_CONFIG' });
});
