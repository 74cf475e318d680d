import t from 'tap';
import type { ControlInput } from '../../src/control/index.js';
import { RealtimeLoop } from '../../src/control/realtime/realtime-loop.js';
import type { TickLoopFault } from '../../src/control/realtime/tick-loop.js';
import type { ControlTickHandlerData } from '../../src/session/control-tick-handler.js';
import { decodeTickOutput, encodeJsonRecord, type TickOutputRecord } from '../../src/session/tick-record-codec.js';
import { RealClock } from '../../src/time/real-clock.js';
import { launcherStatus, measurement, operator, testConfig, type Truth } from '../control/fixtures.js';

/**
 * A 100 ms stall of the I/O thread with interlocks asserted end to end (issue 8): the real
 * control core (src/session/control-tick-handler.ts) in the real-time worker, weapons FREE and a
 * hostile track fed from this (the I/O) thread, but the launchers' statuses are older than
 * `launcherStatusMaxAgeUs` (300 ms) — what a stalled I/O thread hands over. The stall is
 * detected and reported, and the core never commands FIRE: stale launchers are not ready.
 * No timing is asserted: everything waits on what the loop reports, with generous ceilings.
 */

/** Block this (the I/O) thread: no timers, no heartbeats, no output delivery. */
function blockMainThread(ms: number): void {
  const end = process.hrtime.bigint() + BigInt(ms) * 1_000_000n;
  while (process.hrtime.bigint() < end) {
    // busy
  }
}

async function waitFor(condition: () => boolean, ceilingMs = 30_000): Promise<boolean> {
  const deadline = performance.now() + ceilingMs;
  while (!condition()) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

const STALE_BY_US = 400_000;
const TARGET: Truth = { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 };

t.test('100 ms I/O stall: io-stall reported, no FIRE while launcher statuses are stale', async (t) => {
  const config = testConfig();
  const clock = new RealClock();
  const handlerData: ControlTickHandlerData = { config, snapshotPeriodUs: 50_000 };
  const loop = await RealtimeLoop.start({
    handlerModule: new URL('../../src/session/control-tick-handler.ts', import.meta.url),
    handlerData,
    clock,
    ioStallBoundUs: 50_000,
  });
  let stopped = false;
  t.teardown(async () => {
    if (!stopped) await loop.stop();
  });

  const outputs: TickOutputRecord[] = [];
  const faults: TickLoopFault[] = [];
  loop.onOutput((record) => {
    outputs.push(decodeTickOutput(record));
  });
  loop.onFault((fault) => faults.push(fault));

  let pushed = 0;
  let refused = 0;
  const push = (input: ControlInput): void => {
    if (loop.pushInput(encodeJsonRecord(input))) pushed++;
    else refused++;
  };
  const t0 = clock.nowUs();
  push(operator(clock.nowUs(), { verb: 'set-weapons-control', status: 'free' }));
  // Every 20 ms: a fresh hostile measurement, and launcher statuses that are already stale.
  const feed = (): void => {
    const now = clock.nowUs();
    push(measurement('R1', 7, now, TARGET, { measurementTimeUs: now - t0 }));
    for (const id of ['L1', 'L2']) push(launcherStatus(id, now - STALE_BY_US));
  };
  feed();
  const timer = setInterval(feed, 20);
  t.teardown(() => clearInterval(timer));

  const snapshots = (): Extract<TickOutputRecord, { snapshot: unknown }>['snapshot'][] =>
    outputs.flatMap((o) => (!Array.isArray(o) && 'snapshot' in o ? [o.snapshot] : []));
  t.ok(
    await waitFor(() => snapshots().some((s) => s.weaponsControlStatus === 'free' && s.tracks.length > 0)),
    'the core runs with weapons FREE and the hostile track',
  );

  const faultsBefore = faults.length;
  blockMainThread(100);
  const after = (): TickLoopFault[] => faults.slice(faultsBefore);
  t.ok(await waitFor(() => after().some((f) => f.code === 'io-stall-cleared')), 'the stall ends');
  const stall = after().find((f) => f.code === 'io-stall');
  t.ok(stall, 'io-stall reported');
  if (stall?.code === 'io-stall')
    t.comment(`heartbeat age at detection: ${(stall.heartbeatAgeUs / 1000).toFixed(1)} ms`);

  // Keep running a while after the stall (counted in snapshots, not in wall time).
  const snapshotsAtStall = snapshots().length;
  t.ok(await waitFor(() => snapshots().length >= snapshotsAtStall + 10), 'the core keeps running after the stall');
  clearInterval(timer);
  const metrics = await loop.stop();
  stopped = true;

  const busy = outputs.filter(
    (o): o is Extract<TickOutputRecord, { commands: unknown }> => !Array.isArray(o) && 'commands' in o,
  );
  const commands = busy.flatMap((o) => o.commands);
  const fires = commands.filter((c) => c.kind === 'fire');
  const launcherInputs = busy.flatMap((o) => o.inputs).filter((i) => i.kind === 'launcher-status').length;
  const last = snapshots().at(-1)!;
  t.comment(
    `ticks ${metrics.ticks}, inputs pushed ${pushed} (refused ${refused}), launcher statuses seen by the core ${launcherInputs}, ` +
      `commands ${commands.length}, FIRE ${fires.length}, io stalls ${metrics.ioStalls}`,
  );
  t.ok(launcherInputs > 0, 'the core received the (stale) launcher statuses');
  t.equal(fires.length, 0, 'no FIRE command while launcher statuses are older than 300 ms');
  t.ok(
    last.launchers.every((l) => !l.ready),
    `every launcher not ready (${JSON.stringify(last.launchers.map((l) => [l.launcherId, l.notReadyReasons]))})`,
  );
  t.ok(metrics.ioStalls >= 1, 'the stall is counted in the loop metrics');
});
