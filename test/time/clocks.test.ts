import t from 'tap';
import { SYNC_ONLY } from '../../src/time/clock.js';
import { RealClock } from '../../src/time/real-clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

t.test('virtual clock fires in (time, insertion) order and lets async work settle at the same instant', async (t) => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimerAt(20, () => seen.push(`b@${clock.nowUs()}`));
  clock.setTimerAt(10, () => {
    seen.push(`a@${clock.nowUs()}`);
    void Promise.resolve()
      .then(() => Promise.resolve())
      .then(() => seen.push(`a-async@${clock.nowUs()}`));
  });
  clock.setTimerAt(20, () => seen.push(`c@${clock.nowUs()}`));
  const cancelled = clock.setTimerAt(15, () => seen.push('cancelled'));
  cancelled.cancel();
  await clock.runUntil(100);
  t.same(seen, ['a@10', 'a-async@10', 'b@20', 'c@20']);
  t.equal(clock.nowUs(), 100);
});

t.test('a SYNC_ONLY timer does not wait for the event loop, others do', async (t) => {
  const clock = new VirtualClock();
  const seen: string[] = [];
  clock.setTimerAt(1, () => {
    void Promise.resolve().then(() => seen.push(`late-microtask@${clock.nowUs()}`));
    return SYNC_ONLY as unknown as void;
  });
  clock.setTimerAt(2, () => seen.push(`next@${clock.nowUs()}`));
  await clock.runUntil(10);
  // Without the settle, the next timer runs first: the flag is the callback's promise that it
  // started nothing asynchronous, and a wrong promise shows as work landing at a later instant.
  t.same(seen, ['next@2', 'late-microtask@2']);
});

t.test('real clock timers never fire before their due time, and due timers run without the 1 ms floor', async (t) => {
  const clock = new RealClock();
  const early: number[] = [];
  await Promise.all(
    [0, 1, 500, 1500, 3000, 7000].map(
      (delayUs) =>
        new Promise<void>((resolve) => {
          const dueUs = clock.nowUs() + delayUs;
          clock.setTimerAt(dueUs, () => {
            if (clock.nowUs() < dueUs) early.push(dueUs - clock.nowUs());
            resolve();
          });
        }),
    ),
  );
  t.same(early, [], 'no timer fired early');
  let fired = false;
  const handle = clock.setTimer(2000, () => (fired = true));
  handle.cancel();
  await new Promise((r) => clock.setTimer(5000, () => r(undefined)));
  t.equal(fired, false, 'a cancelled timer never fires');
  let sync = true;
  clock.setTimer(0, () => (sync = false));
  t.equal(sync, true, 'never synchronously');
});

t.test('a virtual timer handle cancels once; cancelling after it fired changes nothing', async (t) => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  const a = clock.setTimerAt(10, () => fired.push('a'));
  const b = clock.setTimerAt(20, () => fired.push('b'));
  clock.setTimerAt(30, () => fired.push('c'));
  t.equal(clock.pendingTimers, 3);
  b.cancel();
  b.cancel();
  t.equal(clock.pendingTimers, 2);
  await clock.runUntil(15);
  a.cancel();
  t.equal(clock.pendingTimers, 1);
  await clock.runUntil(100);
  t.same(fired, ['a', 'c']);
  t.equal(clock.pendingTimers, 0);
});

t.test('virtual timers fire in (time, insertion) order whatever the insertion pattern', async (t) => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  const expected: [number, number][] = [];
  let x = 12345;
  for (let i = 0; i < 2_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const atUs = x % 97;
    expected.push([atUs, i]);
    const handle = clock.setTimerAt(atUs, () => fired.push(i));
    if (i % 7 === 3) {
      handle.cancel();
      expected.pop();
    }
  }
  await clock.runUntil(1_000);
  expected.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  t.same(
    fired,
    expected.map(([, i]) => i),
  );
});

t.test('real clock reads process.hrtime from its epoch: bracketed by hrtime.bigint, never decreasing', async (t) => {
  const clock = new RealClock();
  const epoch = clock.epochHrtimeNs;
  let previous = -Infinity;
  let outside = 0;
  let decreased = 0;
  for (let i = 0; i < 20_000; i++) {
    const before = Number(process.hrtime.bigint() - epoch) / 1_000;
    const now = clock.nowUs();
    const after = Number(process.hrtime.bigint() - epoch) / 1_000;
    if (now < before || now > after) outside++;
    if (now < previous) decreased++;
    previous = now;
  }
  t.equal(outside, 0, 'every read lies between the bigint reads around it (same clock, same epoch)');
  t.equal(decreased, 0, 'monotonic');
  t.ok(clock.nowUs() >= 0, 'epoch at construction');
});
