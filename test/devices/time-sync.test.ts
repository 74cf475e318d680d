import t from 'tap';
import { SyncUnavailableError } from '../../src/devices/index.js';
import { launcherBench, startActive } from './support/bench.js';

const OFFSET_US = 2_500_000;
const DRIFT_PPM = 50;
/** The device clock of the bench, before its integer truncation. */
const truth = (hostUs: number): number => OFFSET_US + hostUs * (1 + DRIFT_PPM / 1e6);

t.test('converges to within a few us with offset 2.5 s and drift 50 ppm (paced line)', async (t) => {
  const bench = launcherBench({ device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM } });
  const sync = bench.driver.timeSync;
  t.throws(() => sync.hostToDeviceUs(0), SyncUnavailableError, 'no conversion before the first sample');
  t.equal(sync.uncertaintyUs(), Number.POSITIVE_INFINITY);
  t.notOk(sync.isWithinBound(1_000));
  await startActive(bench);
  await bench.clock.advance(500_000);
  let worstUs = 0;
  let violations = 0;
  for (let k = 0; k < 100; k++) {
    await bench.clock.advance(100_000);
    const now = bench.clock.nowUs();
    const errorUs = Math.abs(sync.hostToDeviceUs(now) - truth(now));
    worstUs = Math.max(worstUs, errorUs);
    if (errorUs > sync.uncertaintyUs(now)) violations++;
    // Inverse conversion, and a fire instant 1 s ahead.
    const back = sync.deviceToHostUs(truth(now)) - now;
    worstUs = Math.max(worstUs, Math.abs(back));
    const aheadUs = now + 1_000_000;
    if (Math.abs(sync.hostToDeviceUs(aheadUs) - truth(aheadUs)) > sync.uncertaintyUs(aheadUs)) violations++;
  }
  t.ok(worstUs <= 2, `worst offset error over 10 s: ${worstUs.toFixed(3)} us`);
  t.equal(violations, 0, 'the error never exceeds the reported bound');
  t.ok(sync.isWithinBound(10), `bound now ${sync.uncertaintyUs().toFixed(2)} us`);
  const estimate = sync.estimate()!;
  t.ok(Math.abs(estimate.driftPpm - DRIFT_PPM) < 0.05, `drift ${estimate.driftPpm.toFixed(4)} ppm`);
  t.ok(sync.isWithinBound(50, bench.clock.nowUs() + 30_000_000), 'good enough for a FIRE 30 s ahead');
});

t.test('fast start: within 20 us inside 300 ms of the handshake', async (t) => {
  const bench = launcherBench({ device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM } });
  await startActive(bench);
  const sync = bench.driver.timeSync;
  await bench.clock.advance(300_000);
  const now = bench.clock.nowUs();
  t.ok(sync.isWithinBound(20), `bound ${sync.uncertaintyUs().toFixed(2)} us`);
  t.ok(Math.abs(sync.hostToDeviceUs(now) - truth(now)) <= 2);
});

t.test('request cadence: 10 at 20 ms, then every 100 ms', async (t) => {
  const bench = launcherBench();
  await startActive(bench);
  await bench.clock.advance(1_000_000);
  const times = bench.host.writesOf('TIME_SYNC_REQUEST').map((w) => w.atUs);
  const gaps = times.slice(1).map((v, i) => Math.round(v - times[i]!));
  t.same(gaps.slice(0, 9), Array(9).fill(20_000));
  t.ok(gaps.slice(9).every((g) => g === 100_000));
});

t.test(
  'without line-time correction the asymmetric frame lengths bias the offset (and the bound says so)',
  async (t) => {
    const bench = launcherBench({
      device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM },
      driver: { lineRates: {} },
    });
    await startActive(bench);
    await bench.clock.advance(2_000_000);
    const sync = bench.driver.timeSync;
    const now = bench.clock.nowUs();
    const errorUs = sync.hostToDeviceUs(now) - truth(now);
    // Response (33 bytes) and request (17 bytes) differ by ~16 bytes = 1.39 ms at 115200 baud.
    t.ok(errorUs < -600 && errorUs > -800, `bias ${errorUs.toFixed(1)} us`);
    t.ok(Math.abs(errorUs) <= sync.uncertaintyUs(now), 'still within the (wide) bound');
    t.notOk(sync.isWithinBound(200), 'and FIRE would be refused');
  },
);

t.test('unpaced link: exact', async (t) => {
  const bench = launcherBench({ paced: false, device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM } });
  await startActive(bench);
  await bench.clock.advance(2_000_000);
  const now = bench.clock.nowUs();
  t.ok(Math.abs(bench.driver.timeSync.hostToDeviceUs(now) - truth(now)) <= 1);
});

t.test('burst: each round sends its next request on the previous response; the round cadence stays', async (t) => {
  const bench = launcherBench({
    device: { clockOffsetUs: OFFSET_US, driftPpm: DRIFT_PPM },
    driver: { session: { timeSync: { burst: 3 } } },
  });
  await startActive(bench);
  await bench.clock.advance(2_000_000);
  const requests = bench.host.writesOf('TIME_SYNC_REQUEST').map((w) => w.atUs);
  // Rounds start on the usual cadence: 10 at 20 ms, then every 100 ms.
  const roundStarts = requests.filter((_, i) => i % 3 === 0);
  const gaps = roundStarts.slice(1).map((v, i) => Math.round(v - roundStarts[i]!));
  t.same(gaps.slice(0, 9), Array(9).fill(20_000));
  t.ok(
    gaps.slice(9).every((g) => g === 100_000),
    'then every 100 ms',
  );
  // The 2nd and 3rd request of a round leave one round trip after the one before (two frames
  // at 115,200 baud and the device's turnaround: a few ms), not on a timer.
  const inRound = requests.flatMap((atUs, i) => (i % 3 === 0 ? [] : [Math.round(atUs - requests[i - 1]!)]));
  t.ok(
    inRound.length >= 40 && inRound.every((gapUs) => gapUs > 1_000 && gapUs < 10_000),
    `follow-ups ${Math.min(...inRound)}–${Math.max(...inRound)} us after the previous request`,
  );
  const sync = bench.driver.timeSync;
  const now = bench.clock.nowUs();
  t.ok(Math.abs(sync.hostToDeviceUs(now) - truth(now)) <= 2, 'still exact');
  t.throws(() => launcherBench({ driver: { session: { timeSync: { burst: 0 } } } }), RangeError);
});
