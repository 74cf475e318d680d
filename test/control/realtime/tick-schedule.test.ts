import fc from 'fast-check';
import t from 'tap';
import { firstDeadline, nextTickAfter } from '../../../src/control/realtime/tick-schedule.js';

t.test('skip policy: the next tick is the first deadline not yet past, never a burst', async (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1e12 }), // first deadline
      fc.integer({ min: 1, max: 1e7 }), // period
      fc.integer({ min: 0, max: 1e6 }), // index of the tick that ended
      fc.integer({ min: 0, max: 1e9 }), // how long after its deadline it ended
      (first, period, index, afterDeadline) => {
        const end = first + index * period + afterDeadline;
        const next = nextTickAfter(first, period, index, end);
        const nextDeadline = first + next.index * period;
        return (
          next.index > index && // always forward
          next.missed === next.index - index - 1 &&
          nextDeadline >= end && // never a deadline already past: no catch-up burst
          (next.index === index + 1 || nextDeadline - period < end) // the first such deadline
        );
      },
    ),
    { numRuns: 2_000 },
  );
  t.pass('holds');
});

t.test('examples: on time, just late, several periods late', async (t) => {
  t.same(nextTickAfter(1000, 1000, 0, 1200), { index: 1, missed: 0 }, 'ended within its period');
  t.same(nextTickAfter(1000, 1000, 0, 2000), { index: 1, missed: 0 }, 'ended exactly at the next deadline');
  t.same(nextTickAfter(1000, 1000, 0, 2001), { index: 2, missed: 1 }, 'next deadline just passed: skipped');
  t.same(nextTickAfter(1000, 1000, 5, 9500), { index: 9, missed: 3 }, '3.5 periods of work at tick 5');
});

t.test('the first deadline is a round multiple at least one period ahead', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 1, max: 1e7 }), (now, period) => {
      const first = firstDeadline(now, period);
      return first % period === 0 && first - now >= period && first - now < 2 * period + 1;
    }),
  );
  t.equal(firstDeadline(0, 1000), 2000);
});
