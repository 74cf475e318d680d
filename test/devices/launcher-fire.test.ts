import t from 'tap';
import {
  CommandIdConflictError,
  type FireReport,
  InvalidCommandError,
  NakError,
  SyncOutOfBoundError,
} from '../../src/devices/index.js';
import { type Bench, launcherBench, startActive } from './support/bench.js';
import type { LauncherController } from '../../src/devices/index.js';
import { rejectionOf, settle } from './support/run-command.js';

const OFFSET_US = 2_500_000;
const DRIFT_PPM = 50;
const aim = { eastM: 1_000, northM: 2_000, upM: 3_000 };

async function armedBench(): Promise<Bench<LauncherController>> {
  const bench = launcherBench({ device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM } });
  await startActive(bench);
  await settle(bench, bench.driver.arm({ commandId: 1 }));
  await bench.clock.advance(1_000_000);
  return bench;
}

t.test('FIRE execute-at is the planned host instant in the launcher clock', async (t) => {
  const bench = await armedBench();
  const executeAtHostUs = bench.clock.nowUs() + 2_000_000;
  const accepted = await settle(bench, bench.driver.fire({ commandId: 100, trackId: 7, executeAtHostUs, aim }));
  const fires = bench.host.writesOf('FIRE');
  t.equal(fires.length, 1);
  const sent = fires[0]!.message;
  const exactDeviceUs = OFFSET_US + executeAtHostUs * (1 + DRIFT_PPM / 1e6);
  t.ok(Math.abs(sent.executeAtUs - exactDeviceUs) <= 2, `off by ${(sent.executeAtUs - exactDeviceUs).toFixed(2)} us`);
  t.equal(accepted.executeAtDeviceUs, sent.executeAtUs);
  t.equal(accepted.executeAtHostUs, executeAtHostUs);
  t.ok(
    accepted.syncUncertaintyUs <= 200 && accepted.syncUncertaintyUs >= Math.abs(sent.executeAtUs - exactDeviceUs) - 0.5,
  );
  t.same([sent.commandId, sent.trackId, sent.aimEastM, sent.aimNorthM, sent.aimUpM], [100, 7, 1_000, 2_000, 3_000]);
  // Without sync correction the 2.5 s offset and 50 ppm over the run would be way off.
  t.ok(Math.abs(sent.executeAtUs - executeAtHostUs) > 2_400_000);
});

t.test('the same command id never sends two different FIREs', async (t) => {
  const bench = await armedBench();
  const executeAtHostUs = bench.clock.nowUs() + 2_000_000;
  const command = { commandId: 200, trackId: 7, executeAtHostUs, aim };
  const first = bench.driver.fire(command);
  const again = bench.driver.fire({ ...command, aim: { ...aim } });
  t.equal(again, first, 'a repeat while pending returns the same outcome');
  const conflicting = bench.driver.fire({ ...command, executeAtHostUs: executeAtHostUs + 1_000 });
  t.type(await rejectionOf(bench, conflicting), CommandIdConflictError);
  const accepted = await settle(bench, first);
  const later = await settle(bench, bench.driver.fire(command));
  t.same(later, accepted, 'a repeat after the ACK returns the first outcome');
  await bench.clock.advance(100_000);
  t.equal(bench.host.writesOf('FIRE').length, 1, 'one FIRE frame in all');
  t.type(
    await rejectionOf(bench, bench.driver.arm({ commandId: 200 })),
    CommandIdConflictError,
    'ids are unique across command types',
  );
});

t.test('refusals send nothing and leave the id usable', async (t) => {
  const bench = await armedBench();
  const now = bench.clock.nowUs();
  // An hour ahead: the extrapolated sync bound is far above 200 us.
  const farAhead = bench.driver.fire({ commandId: 300, trackId: 1, executeAtHostUs: now + 3_600_000_000, aim });
  const error = await rejectionOf(bench, farAhead);
  t.type(error, SyncOutOfBoundError);
  t.ok((error as SyncOutOfBoundError).uncertaintyUs > 200);
  t.type(
    await rejectionOf(bench, bench.driver.fire({ commandId: 301, trackId: 1, executeAtHostUs: Number.NaN, aim })),
    InvalidCommandError,
  );
  t.type(
    await rejectionOf(bench, bench.driver.fire({ commandId: 0, trackId: 1, executeAtHostUs: now + 1e6, aim })),
    InvalidCommandError,
    'command id 0 is refused (ICD-CMN-008)',
  );
  t.type(
    await rejectionOf(bench, bench.driver.slew({ commandId: 302, azimuthDeg: 360, elevationDeg: 0 })),
    InvalidCommandError,
    'ICD-LNCH-011',
  );
  t.equal(bench.host.writesOf('FIRE').length + bench.host.writesOf('SLEW').length, 0);
  await settle(bench, bench.driver.fire({ commandId: 300, trackId: 1, executeAtHostUs: now + 1_000_000, aim }));
  t.equal(bench.host.writesOf('FIRE').length, 1, 'the refused id was not consumed');
});

t.test('sync bound knob: FIRE refused when sync is not within it', async (t) => {
  const bench = launcherBench({ driver: { fireMaxSyncUncertaintyUs: 0.5 } });
  await startActive(bench);
  await settle(bench, bench.driver.arm({ commandId: 1 }));
  const error = await rejectionOf(
    bench,
    bench.driver.fire({ commandId: 2, trackId: 1, executeAtHostUs: bench.clock.nowUs() + 1e6, aim }),
  );
  t.type(error, SyncOutOfBoundError);
  t.equal((error as SyncOutOfBoundError).code, 'sync-out-of-bound');
  t.equal(bench.host.writesOf('FIRE').length, 0);
});

t.test('a NAKed FIRE (late) rejects typed; FIRE_REPORT converts the launch time to host time', async (t) => {
  const bench = await armedBench();
  bench.device.reply = (m) => (m.type === 'FIRE' && m.commandId === 400 ? { kind: 'nak', reason: 'late' } : undefined);
  const late = await rejectionOf(
    bench,
    bench.driver.fire({ commandId: 400, trackId: 1, executeAtHostUs: bench.clock.nowUs() - 1_000, aim }),
  );
  t.type(late, NakError);
  t.equal((late as NakError).reason, 'late');

  const reports: FireReport[] = [];
  bench.driver.on('fire-report', (r) => reports.push(r));
  const launchHostUs = bench.clock.nowUs() - 5_000;
  bench.device.sendFireReport(401, bench.device.toDeviceUs(launchHostUs));
  await bench.clock.advance(10_000);
  t.equal(reports.length, 1);
  t.ok(Math.abs(reports[0]!.actualHostUs! - launchHostUs) <= 2, 'launch time in host time');
  t.ok(reports[0]!.timeUncertaintyUs < 20);
});

t.test('abort', async (t) => {
  const bench = await armedBench();
  await settle(bench, bench.driver.abort({ commandId: 500, fireCommandId: 100 }));
  const abort = bench.host.writesOf('ABORT')[0]!.message;
  t.same([abort.commandId, abort.fireCommandId], [500, 100]);
  t.type(await rejectionOf(bench, bench.driver.abort({ commandId: 501, fireCommandId: 0 })), InvalidCommandError);
});

t.test('driver-reserved command ids', async (t) => {
  const bench = await armedBench();
  t.type(await rejectionOf(bench, bench.driver.arm({ commandId: 0xff00_0001 })), InvalidCommandError);
  let next = 9_000_000;
  const own = launcherBench({ driver: { allocateInternalCommandId: () => next++ } });
  await startActive(own);
  t.equal(own.host.writesOf('SAFE')[0]!.message.commandId, 9_000_000, 'a custom allocator is used for SAFE');
  await settle(own, own.driver.arm({ commandId: 0xff00_0001 }));
  t.equal(own.host.writesOf('ARM').length, 1, 'and the reserved range is then free');
});
