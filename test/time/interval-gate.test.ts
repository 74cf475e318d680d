import t from 'tap';
import { intervalGate } from '../../src/time/interval-gate.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

t.test('opens at once, then at most once per interval', async (t) => {
  const clock = new VirtualClock();
  const gate = intervalGate(clock, 100);
  const opened: number[] = [];
  for (let us = 0; us <= 450; us += 25) {
    await clock.runUntil(us);
    if (gate()) opened.push(clock.nowUs());
  }
  t.same(opened, [0, 100, 200, 300, 400]);
});

t.test('a late call opens it and restarts the interval from then', async (t) => {
  const clock = new VirtualClock();
  const gate = intervalGate(clock, 100);
  t.ok(gate());
  await clock.runUntil(250);
  t.ok(gate());
  await clock.runUntil(349);
  t.notOk(gate());
  await clock.runUntil(350);
  t.ok(gate());
});
