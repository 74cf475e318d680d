import t from 'tap';
import { DeadlineSleeper } from '../../../src/time/deadline-sleeper.js';

const sleeper = (words: Int32Array, spinMarginNs = 200_000): DeadlineSleeper =>
  new DeadlineSleeper({ epochNs: process.hrtime.bigint(), spinMarginNs, interruptCell: { array: words, index: 0 } });

t.test('never returns before the deadline (sleep phase and spin phase)', async (t) => {
  for (const margin of [0, 200_000, 10_000_000]) {
    const s = sleeper(new Int32Array(new SharedArrayBuffer(4)), margin);
    for (let i = 1; i <= 5; i++) {
      const deadline = s.nowNs() + i * 300_000;
      t.equal(s.sleepUntil(deadline), true);
      t.ok(s.nowNs() >= deadline, `margin ${margin}: at or after deadline ${i}`);
    }
  }
});

t.test('a deadline already past returns at once', async (t) => {
  const s = sleeper(new Int32Array(new SharedArrayBuffer(4)));
  t.equal(s.sleepUntil(s.nowNs() - 1_000), true);
});

t.test('an interrupt ends the sleep with false', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(4));
  const s = sleeper(words);
  DeadlineSleeper.interrupt(words, 0);
  t.ok(s.interrupted());
  t.equal(s.sleepUntil(s.nowNs() + 60e9), false, 'does not wait a minute');
});

t.test('rejects a negative spin margin', async (t) => {
  t.throws(() => sleeper(new Int32Array(new SharedArrayBuffer(4)), -1), RangeError);
});
