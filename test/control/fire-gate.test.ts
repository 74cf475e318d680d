/**
 * The FIRE gate: a launcher is ready only while its time-sync uncertainty is within its
 * launch-time error budget (margin · lethal radius / interceptor speed), capped by
 * `engagement.syncBoundUs` when set.
 */
import t from 'tap';
import {
  createControlState,
  DEFAULT_ENGAGEMENT_CONFIG,
  launchErrorBudgetUs,
  step,
  type ControlInput,
  type LauncherReadinessEvent,
} from '../../src/control/index.js';
import { launcherConfig, operator, testConfig } from './fixtures.js';
import { MiniWorld, runWorld } from './mini-world.js';

const E = DEFAULT_ENGAGEMENT_CONFIG;

t.test('budget = margin x lethal radius / interceptor speed, capped by syncBoundUs', (t) => {
  const l = launcherConfig('L1', 0, 0, { lethalRadiusM: 50 });
  t.equal(launchErrorBudgetUs(E, l), (0.1 * 50 * 1e6) / 1500, '0.1 x 50 m / 1500 m/s = 3,333 us');
  t.equal(launchErrorBudgetUs({ ...E, launchErrorMargin: 0.2 }, l), (0.2 * 50 * 1e6) / 1500, 'scales with the margin');
  t.equal(launchErrorBudgetUs({ ...E, syncBoundUs: 500 }, l), 500, 'the cap wins when smaller');
  t.equal(launchErrorBudgetUs({ ...E, syncBoundUs: 10_000 }, l), (0.1 * 50 * 1e6) / 1500, 'and not when larger');
  t.equal(launchErrorBudgetUs(E, launcherConfig('L1', 0, 0)), E.defaultSyncBudgetUs, 'no lethal radius: the default');
  t.end();
});

const free = (now: number): ControlInput[] =>
  now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];

function fly(syncUncertaintyUs: number, syncBoundUs: number | null) {
  const config = testConfig({
    launchers: [launcherConfig('L1', 0, 0, { lethalRadiusM: 50 })],
    engagement: { syncBoundUs },
  });
  const state = createControlState(config);
  const world = new MiniWorld(
    config,
    [{ truth: { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 }, iff: 'hostile' }],
    { syncUncertaintyUs },
  );
  const log = runWorld((i, n) => step(state, i, n), world, { untilUs: 30_000_000, tickUs: 1_000, extra: free });
  const readiness = log.events.filter((e): e is LauncherReadinessEvent => e.kind === 'launcher-readiness');
  return { fires: log.commands.filter((c) => c.kind === 'fire').length, readiness, killed: world.killed.size };
}

t.test('a millisecond of time-sync uncertainty fires within a 3.3 ms budget (a USB or PTY link in real time)', (t) => {
  const { fires, readiness, killed } = fly(1_500, null);
  t.equal(fires, 1);
  t.equal(killed, 1);
  t.ok(readiness.at(-1)!.ready);
  t.equal(readiness.at(-1)!.syncBudgetUs, (0.1 * 50 * 1e6) / 1500, 'the event carries the budget');
  t.end();
});

t.test('beyond the budget (or its cap) the launcher is not ready, and says why with both figures', (t) => {
  for (const [uncertaintyUs, cap] of [
    [4_000, null],
    [1_500, 1_000],
  ] as const) {
    const { fires, readiness } = fly(uncertaintyUs, cap);
    t.equal(fires, 0, `±${uncertaintyUs} us, cap ${cap}: no FIRE`);
    const last = readiness.at(-1)!;
    t.notOk(last.ready);
    t.same(last.reasons, ['time-sync-out-of-bound']);
    t.equal(last.syncUncertaintyUs, uncertaintyUs);
    t.equal(last.syncBudgetUs, cap ?? (0.1 * 50 * 1e6) / 1500);
  }
  t.end();
});
