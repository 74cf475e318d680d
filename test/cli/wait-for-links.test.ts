import t from 'tap';
import { waitForLinks } from '../../src/compose/wait-for-links.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

t.test('resolves once every link is active, polling every 50 ms', async (t) => {
  const clock = new VirtualClock();
  const radar = { linkState: 'handshaking' };
  const launcher = { linkState: 'connecting' };
  clock.setTimer(120_000, () => void (radar.linkState = 'active'));
  clock.setTimer(310_000, () => void (launcher.linkState = 'active'));
  const waited = waitForLinks(
    clock,
    new Map([
      ['radar-1', radar],
      ['launcher-1', launcher],
    ]),
    15_000_000,
  );
  await clock.runUntil(1_000_000);
  t.same(await waited, { atUs: 350_000, notActive: [] }, 'at the first poll after the last link came up');
});

t.test('gives up at the timeout, naming the devices still down', async (t) => {
  const clock = new VirtualClock();
  const waited = waitForLinks(clock, new Map([['launcher-2', { linkState: 'lost' }]]), 1_000_000);
  await clock.runUntil(2_000_000);
  t.same(await waited, { atUs: 1_000_000, notActive: ['launcher-2'] });
});
