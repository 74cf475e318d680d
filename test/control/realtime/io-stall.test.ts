import t from 'tap';
import { RealtimeLoop } from '../../../src/control/realtime/realtime-loop.js';
import type { TickLoopFault } from '../../../src/control/realtime/tick-loop.js';
import { decodeTickReport, type TickReport } from './fixtures/recording-tick-handler.js';

/** Block this (the I/O) thread: no timers, no heartbeats, no output delivery. */
function blockMainThread(ms: number): void {
  const until = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < until) {
    // busy
  }
}

t.test('a 100 ms block of the I/O thread is detected as an io-stall fault, seen by the handler', async (t) => {
  const loop = await RealtimeLoop.start({
    handlerModule: new URL('./fixtures/recording-tick-handler.ts', import.meta.url),
    ioStallBoundUs: 50_000,
  });
  const reports: TickReport[] = [];
  const faults: TickLoopFault[] = [];
  let wake: (() => void) | undefined;
  const when = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      if (done()) return resolve();
      wake = () => {
        if (done()) resolve();
      };
    });
  loop.onOutput((record) => {
    const report = decodeTickReport(record);
    if (report !== undefined) reports.push(report);
    wake?.();
  });
  loop.onFault((fault) => {
    faults.push(fault);
    wake?.();
  });
  await when(() => reports.length >= 20);

  // Only what follows the block counts (a loaded machine may stall this thread before it, too).
  const faultsBefore = faults.length;
  const reportsBefore = reports.length;
  blockMainThread(100);

  const after = (): TickLoopFault[] => faults.slice(faultsBefore);
  await when(() => after().some((f) => f.code === 'io-stall-cleared'));
  const stall = after().find((f) => f.code === 'io-stall');
  t.ok(stall, 'io-stall reported');
  if (stall?.code === 'io-stall') t.ok(stall.heartbeatAgeUs > 50_000, 'heartbeat older than the bound');
  t.ok(
    reports.slice(reportsBefore).some((r) => r.ioStalled),
    'the handler saw ioStalled during the stall (so the core can fail closed)',
  );
  const cleared = after().find((f) => f.code === 'io-stall-cleared');
  if (cleared?.code === 'io-stall-cleared') t.ok(cleared.stalledForUs >= 50_000, 'stall length reported');
  const metrics = await loop.stop();
  t.ok(metrics.ioStalls >= 1, 'counted');
  t.ok(metrics.ioEventLoopDelayUs!.max >= 50_000, 'the event-loop delay histogram saw the block');
  t.ok(metrics.ticks > 20, 'the tick kept running during the stall');
});
