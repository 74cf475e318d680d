import t from 'tap';
import { type Clock, SYNC_ONLY, type TimerHandle } from '../../src/time/clock.js';
import { RealClock } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { recordingView } from '../transport/recording-clock.js';
import {
  PRECISE_LEAD_US,
  PRECISE_SPIN_US,
  setPreciseTimerAt,
  startPeriodic,
  waitUntil,
} from '../../firmware-sim/periodic-timer.js';

/**
 * A clock of kind 'real' driven by the test: time moves `readStepUs` per read, and a sleep moves
 * it by `sleptShare` of what was asked plus `oversleepUs`; platform timers are fired by hand.
 * No wall time.
 */
class ScriptedRealClock implements Clock {
  readonly kind = 'real' as const;
  timeUs = 0;
  reads = 0;
  readonly timers: { atUs: number; callback: () => void; cancelled: boolean }[] = [];
  readonly sleeps: { fromUs: number; ms: number }[] = [];

  constructor(
    private readonly readStepUs: number,
    private readonly oversleepUs: number,
    private readonly sleptShare = 1,
  ) {}

  nowUs(): number {
    this.reads++;
    this.timeUs += this.readStepUs;
    return this.timeUs;
  }

  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    const timer = { atUs, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }

  setTimer(delayUs: number, callback: () => void): TimerHandle {
    return this.setTimerAt(this.timeUs + delayUs, callback);
  }

  /** The platform timer fires at `atUs` (or now, when that is later), as a real one would. */
  fire(index = 0, lateUs = 0): void {
    const timer = this.timers[index]!;
    this.timeUs = Math.max(this.timeUs, timer.atUs + lateUs);
    if (!timer.cancelled) timer.callback();
  }

  readonly sleep = (ms: number): void => {
    this.sleeps.push({ fromUs: this.timeUs, ms });
    this.timeUs += ms * 1000 * this.sleptShare + this.oversleepUs;
  };
}

t.test('virtual clock: the callback runs exactly at the deadline, through the clock timer', async (t) => {
  const clock = new VirtualClock();
  const seen: number[] = [];
  setPreciseTimerAt(clock, 12_345.5, () => seen.push(clock.nowUs()), {
    sleep: () => t.fail('a virtual clock never blocks'),
  });
  const cancelled = setPreciseTimerAt(clock, 20_000, () => seen.push(-1));
  cancelled.cancel();
  await clock.runUntil(50_000);
  t.same(seen, [12_345.5]);
});

t.test('real clock: platform timer PRECISE_LEAD_US early, sleep to the spin margin, then spin', async (t) => {
  const clock = new ScriptedRealClock(1, 90); // a sleep ends 90 us late, within the spin margin
  const atUs = 100_000;
  const fired: number[] = [];
  setPreciseTimerAt(clock, atUs, () => fired.push(clock.nowUs()), { sleep: clock.sleep });
  t.equal(clock.timers.length, 1);
  t.equal(clock.timers[0]!.atUs, atUs - PRECISE_LEAD_US, 'the platform timer is set the lead early');
  t.same(fired, [], 'nothing runs before the platform timer');
  clock.fire();
  t.equal(fired.length, 1, 'the callback ran once, in the same call');
  t.ok(fired[0]! >= atUs, `first clock read in the callback (${fired[0]}) is not before the deadline`);
  t.ok(fired[0]! - atUs <= 2, 'and the spin ended at the first read past it');
  t.equal(clock.sleeps.length, 1, 'one sleep covered the lead');
  const sleep = clock.sleeps[0]!;
  t.ok(
    Math.abs(sleep.fromUs + sleep.ms * 1000 - (atUs - PRECISE_SPIN_US)) <= 1,
    'the sleep was to end PRECISE_SPIN_US before the deadline',
  );
});

t.test('real clock: a sleep that wakes early is resumed; one that overshoots is not repeated', async (t) => {
  const early = new ScriptedRealClock(1, 0, 0.5); // every sleep ends halfway
  const atUs = 50_000;
  let firedAt: number | undefined;
  setPreciseTimerAt(early, atUs, () => (firedAt = early.nowUs()), { sleep: early.sleep });
  early.fire();
  t.ok(early.sleeps.length >= 2, `slept again after waking early (${early.sleeps.length} sleeps)`);
  t.ok(firedAt! >= atUs);

  const late = new ScriptedRealClock(1, 5_000); // a sleep overshoots past the deadline
  let lateFiredAt: number | undefined;
  setPreciseTimerAt(late, atUs, () => (lateFiredAt = late.nowUs()), { sleep: late.sleep });
  late.fire();
  t.equal(late.sleeps.length, 1, 'no second sleep once past the deadline');
  t.ok(lateFiredAt! >= atUs, 'runs at once, late');
});

t.test('real clock: a platform timer that fires past the deadline runs the callback at once', async (t) => {
  const clock = new ScriptedRealClock(1, 0);
  const atUs = 30_000;
  let firedAt: number | undefined;
  setPreciseTimerAt(clock, atUs, () => (firedAt = clock.nowUs()), { sleep: clock.sleep });
  clock.fire(0, PRECISE_LEAD_US + 700); // 700 us after the deadline
  t.same(clock.sleeps, [], 'no sleep');
  t.ok(firedAt! >= atUs);
});

t.test('real clock: cancelled before the platform timer fired, the callback never runs', async (t) => {
  const clock = new ScriptedRealClock(1, 0);
  let fired = false;
  const handle = setPreciseTimerAt(clock, 40_000, () => (fired = true), { sleep: clock.sleep });
  handle.cancel();
  clock.fire();
  t.equal(fired, false);
  t.same(clock.sleeps, []);
});

t.test('waitUntil returns at once for an instant already past, without sleeping', async (t) => {
  const clock = new ScriptedRealClock(1, 0);
  clock.timeUs = 10_000;
  waitUntil(clock, 5_000, clock.sleep);
  t.same(clock.sleeps, []);
  t.equal(clock.reads, 2, 'one read to decide not to sleep, one to leave the spin');
});

t.test('RealClock: the callback never runs before its deadline (default sleep)', async (t) => {
  const clock = new RealClock();
  const early: number[] = [];
  const order: number[] = [];
  // Deadlines inside the lead (platform timer due at once), at it and beyond it; the sleep and
  // spin must carry each to its instant. No lateness is asserted: the machine decides that.
  const offsetsUs = [-1_000, 0, 400, 2_500, PRECISE_LEAD_US, PRECISE_LEAD_US + 3_000];
  await Promise.all(
    offsetsUs.map(
      (offsetUs, i) =>
        new Promise<void>((resolve) => {
          const atUs = clock.nowUs() + offsetUs;
          setPreciseTimerAt(clock, atUs, () => {
            const now = clock.nowUs();
            if (now < atUs) early.push(atUs - now);
            order.push(i);
            resolve();
          });
        }),
    ),
  );
  t.same(early, [], 'none ran early');
  t.equal(order.length, offsetsUs.length, 'every one ran once');
});

t.test('startPeriodic: absolute deadlines, and SYNC_ONLY passed through from the tick only', async (t) => {
  const virtual = new VirtualClock();
  const { clock, returned } = recordingView(virtual);
  const ticks: [number, number][] = [];
  const timer = startPeriodic(clock, 500, 1_000, (k) => {
    ticks.push([k, virtual.nowUs()]);
    return k % 2 === 0 ? SYNC_ONLY : undefined;
  });
  await virtual.runUntil(4_000);
  timer.cancel();
  await virtual.runUntil(10_000);
  t.same(ticks, [
    [0, 500],
    [1, 1_500],
    [2, 2_500],
    [3, 3_500],
  ]);
  t.same(returned, [SYNC_ONLY, undefined, SYNC_ONLY, undefined]);
});
