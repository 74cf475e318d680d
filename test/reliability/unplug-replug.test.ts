import t from 'tap';
import type { SessionStateChange } from '../../src/devices/index.js';
import { ProxyPrng } from '../../src/proxy/proxy-prng.js';
import { startEngagementOperator } from './support/engagement-operator.js';
import { simHostBench } from './support/sim-host-bench.js';

/**
 * The launcher cable pulled and put back 50 times at seeded random moments during
 * an engagement (memory link, virtual time). Per cycle: the host sees the loss within one control
 * tick (1 ms), writes 0 FIRE frames while the link is lost, sends SAFE first after reconnecting
 * and holds the launcher SAFE until re-armed. At the end, the host's listeners and the process's
 * active resources are back to their baseline.
 */

const CYCLES = Number(process.env.SHIELDLINK_SOAK_CYCLES ?? 50);
const SEED = 50;
const TICK_US = 1_000;

t.test(`unplug/replug ${CYCLES} cycles at seeded random moments during an engagement`, async (t) => {
  const bench = await simHostBench();
  t.ok(await bench.runUntil(() => bench.launcher.linkState === 'active', 5_000_000), 'active');
  const baselineListeners = bench.host.listeners;
  const baselineResources = process.getActiveResourcesInfo().length;
  const operator = startEngagementOperator(bench.clock, bench.launcher, 150_000);
  const changes: SessionStateChange[] = [];
  bench.launcher.on('link-state', (c) => changes.push(c));
  const prng = new ProxyPrng(SEED, 'unplug-replug');

  const detectUs: number[] = [];
  const watchdogUs: number[] = [];
  const reconnectUs: number[] = [];
  let firesWhileLost = 0;
  let firstNotSafe = 0;
  let latchedAtActive = 0;
  let launchesBefore = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    await bench.clock.advance(prng.int(300, 2_500) * 1_000);
    const unplugUs = bench.clock.nowUs();
    const changesBefore = changes.length;
    const writesBefore = bench.host.writes.length;
    // The launcher's watchdog state when the cable goes: its last state record before now.
    const armedWatchdog =
      bench.truth
        .ofKind('launcher-state')
        .filter((r) => r.launcherId === 'launcher-1' && r.tUs <= unplugUs)
        .at(-1)?.watchdog !== 'tripped';
    bench.deviceLink.unplug();
    const lostForUs = prng.int(100, 1_500) * 1_000;
    await bench.clock.advance(lostForUs);
    const lost = changes.slice(changesBefore).find((c) => c.state !== 'active');
    detectUs.push(lost === undefined ? Infinity : lost.atHostUs - unplugUs);
    bench.deviceLink.replug();
    const replugUs = bench.clock.nowUs();
    const back = await bench.runUntil(() => bench.launcher.linkState === 'active', 10_000_000);
    if (!back) {
      t.fail(`cycle ${cycle}: not active again within 10 s (state ${bench.launcher.linkState})`);
      break;
    }
    reconnectUs.push(bench.clock.nowUs() - replugUs);
    if (bench.launcher.safeLatched) latchedAtActive++;
    const sinceUnplug = bench.host.writes.slice(writesBefore);
    firesWhileLost += sinceUnplug.filter((w) => w.message?.type === 'FIRE').length;
    const firstCommand = sinceUnplug.find((w) => w.message !== undefined && (w.message.flags & 1) !== 0);
    if (firstCommand?.message?.type !== 'SAFE') firstNotSafe++;
    // Unplugged longer than the watchdog's 250 ms with the watchdog not already tripped: the
    // launcher must have gone SAFE by its watchdog (truth) while the cable was out.
    if (armedWatchdog && lostForUs > 250_000) {
      const tripped = bench.truth
        .ofKind('launcher-state')
        .find((r) => r.launcherId === 'launcher-1' && r.cause === 'watchdog' && r.tUs >= unplugUs && r.tUs <= replugUs);
      watchdogUs.push(tripped === undefined ? Infinity : tripped.tUs - unplugUs);
    }
  }
  operator.stop();
  const launches = bench.truth.ofKind('launch');
  launchesBefore = launches.length;
  await bench.clock.advance(1_000_000);

  const max = (xs: number[]): number => (xs.length === 0 ? NaN : Math.max(...xs));
  t.comment(
    `${CYCLES} cycles: host detection max ${max(detectUs)} us; launcher SAFE (truth) after unplug ` +
      `max ${(max(watchdogUs) / 1000).toFixed(1)} ms over ${watchdogUs.length} cycles; reconnect max ` +
      `${(max(reconnectUs) / 1000).toFixed(1)} ms; FIRE frames while lost ${firesWhileLost}; launches ${launchesBefore}; ` +
      `operator ${JSON.stringify(operator.tally)}`,
  );
  t.equal(reconnectUs.length, CYCLES, `all ${CYCLES} cycles ran to a reconnect`);
  t.equal(detectUs.length, CYCLES, 'a detection time for every cycle');
  t.ok(
    detectUs.every((us) => us <= TICK_US),
    `the host saw every loss within one tick (max ${max(detectUs)} us)`,
  );
  t.ok(watchdogUs.length >= CYCLES / 4, `the watchdog was due in ${watchdogUs.length} of ${CYCLES} cycles`);
  t.ok(
    watchdogUs.every((us) => us <= 250_000),
    `launcher watchdog SAFE within 250 ms of every unplug longer than that (max ${max(watchdogUs)} us)`,
  );
  t.equal(firesWhileLost, 0, '0 FIRE frames written between unplug and the next active');
  t.equal(firstNotSafe, 0, 'SAFE is the first command after every reconnect');
  t.equal(latchedAtActive, reconnectUs.length, 'SAFE-latched at every return to active, until re-armed');
  t.equal(bench.truth.ofKind('fire-while-link-down').length, 0, 'truth: no FIRE reached the launcher while down');
  t.equal(bench.truth.ofKind('duplicate-execution').length, 0, 'truth: no command executed twice');
  t.ok(operator.tally.firesAccepted > 0, 'the engagement went on between cycles');
  t.same(bench.host.listeners, baselineListeners, 'host transport listeners back to baseline');
  t.equal(process.getActiveResourcesInfo().length, baselineResources, 'active resources back to baseline');
  await bench.stop();
});
