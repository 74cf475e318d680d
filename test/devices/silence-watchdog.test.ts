import t from 'tap';
import { SilenceWatchdog } from '../../src/devices/index.js';
import { type Clock, SYNC_ONLY } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { recordingView } from '../transport/recording-clock.js';

/** A VirtualClock, and a view of it that records what its own timers' callbacks returned. */
function recordingClock(): { clock: Clock; virtual: VirtualClock; returned: unknown[] } {
  const virtual = new VirtualClock();
  return { virtual, ...recordingView(virtual) };
}

t.test('fires exactly at last heard + timeout, with one timer, re-armed SYNC_ONLY', async (t) => {
  const { clock, virtual, returned } = recordingClock();
  const silences: [number, number][] = [];
  const watchdog = new SilenceWatchdog(clock, 150_000, (sinceUs) => silences.push([sinceUs, clock.nowUs()]));
  watchdog.start();
  // A frame every 10 ms for 1 s: no silence, and only one timer pending at any time.
  let mostPending = 0;
  for (let k = 1; k <= 100; k++) {
    await virtual.runUntil(k * 10_000);
    watchdog.heard(clock.nowUs());
    mostPending = Math.max(mostPending, virtual.pendingTimers);
  }
  t.equal(mostPending, 1, 'one timer at a time');
  t.same(silences, []);
  t.ok(returned.length > 0 && returned.length <= 1_000_000 / 140_000 + 1, `${returned.length} timer firings in 1 s`);
  t.ok(
    returned.every((r) => r === SYNC_ONLY),
    'a firing that only re-arms says SYNC_ONLY',
  );
  await virtual.runUntil(2_000_000);
  t.same(silences, [[1_000_000, 1_150_000]], 'silent exactly 150 ms after the last frame');
  t.equal(returned.at(-1), undefined, 'the firing that reports silence is not SYNC_ONLY');
  t.equal(virtual.pendingTimers, 0);
  t.notOk(watchdog.running);
});

t.test('stop() cancels; start() measures from now', async (t) => {
  const { clock, virtual } = recordingClock();
  const silences: number[] = [];
  const watchdog = new SilenceWatchdog(clock, 100_000, () => silences.push(clock.nowUs()));
  watchdog.start();
  await virtual.runUntil(50_000);
  watchdog.stop();
  await virtual.runUntil(500_000);
  t.same(silences, []);
  watchdog.start();
  await virtual.runUntil(1_000_000);
  t.same(silences, [600_000]);
});

/** A clock whose timers run only when the test says, as late as it says: a stalled process. */
class StallingClock implements Clock {
  readonly kind = 'real' as const;
  now = 0;
  timers: { atUs: number; callback: () => void; cancelled: boolean }[] = [];
  nowUs(): number {
    return this.now;
  }
  setTimerAt(atUs: number, callback: () => void) {
    const timer = { atUs, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }
  setTimer(delayUs: number, callback: () => void) {
    return this.setTimerAt(this.now + delayUs, callback);
  }
  /** Run the pending timer at `atUs` (late if after its due time). */
  runAt(atUs: number): number {
    const timer = this.timers.find((x) => !x.cancelled)!;
    this.timers = this.timers.filter((x) => x !== timer && !x.cancelled);
    this.now = atUs;
    timer.callback();
    return timer.atUs;
  }
}

t.test('a check that ran late (this process stalled) looks again before reporting silence', (t) => {
  const clock = new StallingClock();
  const silences: number[] = [];
  const watchdog = new SilenceWatchdog(clock, 150_000, () => silences.push(clock.now));
  watchdog.start();
  // Due at 150 ms, runs at 250 ms: the process stalled; the device's frames are still unread.
  t.equal(clock.runAt(250_000), 150_000);
  t.same(silences, [], 'no silence reported from a late check');
  t.equal(clock.timers[0]!.atUs, 260_000, 'looks again 10 ms later');
  watchdog.heard(252_000); // the frames queued during the stall arrive
  clock.runAt(260_000);
  t.same(silences, [], 'the link was alive');
  t.equal(clock.timers[0]!.atUs, 402_000, 'deadline from the last frame heard');
  // On time and silent: reported at once.
  clock.runAt(402_000);
  t.same(silences, [402_000]);
  t.end();
});

t.test('late checks never delay silence past twice the timeout', (t) => {
  const clock = new StallingClock();
  const silences: number[] = [];
  const watchdog = new SilenceWatchdog(clock, 150_000, () => silences.push(clock.now));
  watchdog.start();
  clock.runAt(200_000); // late: looks again at 210 ms
  clock.runAt(240_000); // late again: looks again at 250 ms
  t.same(silences, []);
  clock.runAt(300_000); // late, but 2 x 150 ms since last heard: silence
  t.same(silences, [300_000]);
  t.end();
});
