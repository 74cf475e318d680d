import t, { type Test } from 'tap';
import type { ControlInput } from '../../src/control/index.js';
import { RealtimeLoop } from '../../src/control/realtime/realtime-loop.js';
import type { TickLoopFault } from '../../src/control/realtime/tick-loop.js';
import type { ControlTickHandlerData } from '../../src/session/control-tick-handler.js';
import { decodeTickOutput, encodeJsonRecord, type TickOutputRecord } from '../../src/session/tick-record-codec.js';
import { RealClock } from '../../src/time/real-clock.js';
import { launcherStatus, measurement, operator, testConfig, type Truth } from '../control/fixtures.js';

/**
 * A stall of the I/O thread with interlocks asserted end to end: the real control core
 * (src/session/control-tick-handler.ts) in the real-time worker, weapons FREE and a hostile
 * track fed from this (the I/O) thread. What a stalled I/O thread hands over are launcher
 * statuses older than `launcherStatusMaxAgeUs` (300 ms): with those the core never commands
 * FIRE and names the stale status as the reason — and the control run, the same feed with fresh
 * statuses, does FIRE, so the missing FIRE is the staleness interlock's doing, not the setup's.
 * A real 100 ms stall of this thread is detected and reported meanwhile. No timing is asserted:
 * everything waits on what the loop reports, with generous ceilings.
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

type Snapshot = Extract<TickOutputRecord, { snapshot: unknown }>['snapshot'];
type BusyTick = Extract<TickOutputRecord, { commands: unknown }>;

/** The real core in the worker, fed every 20 ms with a hostile track and launcher statuses `staleByUs` old. */
async function startFedCore(t: Test, staleByUs: number) {
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
  const outputs: TickOutputRecord[] = [];
  const faults: TickLoopFault[] = [];
  loop.onOutput((record) => {
    outputs.push(decodeTickOutput(record));
  });
  loop.onFault((fault) => faults.push(fault));
  const counts = { pushed: 0, refused: 0 };
  const push = (input: ControlInput): void => {
    if (loop.pushInput(encodeJsonRecord(input))) counts.pushed++;
    else counts.refused++;
  };
  const t0 = clock.nowUs();
  push(operator(clock.nowUs(), { verb: 'set-weapons-control', status: 'free' }));
  const feed = (): void => {
    const now = clock.nowUs();
    // The target where it is `now - t0` after the start, measured and received now (host time).
    push({ ...measurement('R1', 7, now - t0, TARGET), receivedAtUs: now, measurementTimeUs: now });
    for (const id of ['L1', 'L2']) push(launcherStatus(id, now - staleByUs));
  };
  feed();
  const timer = setInterval(feed, 20);
  const stop = async () => {
    clearInterval(timer);
    if (stopped) return undefined;
    stopped = true;
    return loop.stop();
  };
  t.teardown(stop);
  const snapshots = (): Snapshot[] =>
    outputs.flatMap((o) => (!Array.isArray(o) && 'snapshot' in o ? [o.snapshot] : []));
  const busy = (): BusyTick[] => outputs.filter((o): o is BusyTick => !Array.isArray(o) && 'commands' in o);
  const fires = () => busy().flatMap((o) => o.commands.filter((c) => c.kind === 'fire'));
  return { faults, counts, snapshots, busy, fires, stop };
}

t.test('control run: the same feed with fresh launcher statuses fires', async (t) => {
  const core = await startFedCore(t, 0);
  t.ok(await waitFor(() => core.fires().length > 0), 'the core commands FIRE at the hostile track');
  await core.stop();
});

t.test('100 ms I/O stall: io-stall reported, no FIRE while launcher statuses are stale', async (t) => {
  const core = await startFedCore(t, STALE_BY_US);
  const { faults, snapshots } = core;
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

  // Keep running a while after the stall (counted in snapshots, not in wall time) — longer than
  // the control run needed to fire.
  const snapshotsAtStall = snapshots().length;
  t.ok(await waitFor(() => snapshots().length >= snapshotsAtStall + 40), 'the core keeps running after the stall');
  const metrics = (await core.stop())!;

  const commands = core.busy().flatMap((o) => o.commands);
  const fires = core.fires();
  const launcherInputs = core
    .busy()
    .flatMap((o) => o.inputs)
    .filter((i) => i.kind === 'launcher-status').length;
  const last = snapshots().at(-1)!;
  t.comment(
    `ticks ${metrics.ticks}, inputs pushed ${core.counts.pushed} (refused ${core.counts.refused}), launcher statuses seen by the core ${launcherInputs}, ` +
      `commands ${commands.length}, FIRE ${fires.length}, io stalls ${metrics.ioStalls}`,
  );
  t.ok(launcherInputs > 0, 'the core received the (stale) launcher statuses');
  t.equal(fires.length, 0, 'no FIRE command while launcher statuses are older than 300 ms');
  t.ok(
    last.launchers.length === 2 &&
      last.launchers.every((l) => !l.ready && l.notReadyReasons.includes('launcher-status-stale')),
    `every launcher not ready because its status is stale (${JSON.stringify(last.launchers.map((l) => [l.launcherId, l.notReadyReasons]))})`,
  );
  t.ok(metrics.ioStalls >= 1, 'the stall is counted in the loop metrics');
});
