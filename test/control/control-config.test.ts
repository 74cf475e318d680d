import t from 'tap';
import { ControlConfigError, createControlState, makeControlConfig } from '../../src/control/index.js';
import { launcherConfig, testConfig } from './fixtures.js';

t.test('defaults and validation', (t) => {
  const config = testConfig();
  t.equal(config.engagement.commandLeadUs, 50_000, 'command lead 50 ms by default');
  t.equal(config.tickPeriodUs, 1_000, '1 kHz by default');
  t.same(JSON.parse(JSON.stringify(config)), config, 'plain JSON (a run manifest can hold it)');
  const bad = (spec: Parameters<typeof makeControlConfig>[0], path: string) =>
    t.throws(() => makeControlConfig(spec), { code: 'invalid-config', path }, path);
  const radars = [{ id: 'R1' }];
  bad({ radars, launchers: [] }, 'launchers');
  bad({ radars, launchers: [launcherConfig('L1', 0, 0), launcherConfig('L1', 1, 0)] }, 'launchers[1].id');
  bad(
    { radars, launchers: [launcherConfig('L1', 0, 0, { flyout: { launchDelayMs: 250, speedMps: 0 } })] },
    'launchers[0].flyout.speedMps',
  );
  bad(
    {
      radars,
      launchers: [launcherConfig('L1', 0, 0, { envelope: { minRangeM: 5_000, maxRangeM: 1_000, maxAltitudeM: 1 } })],
    },
    'launchers[0].envelope.maxRangeM',
  );
  bad(
    { radars, launchers: [launcherConfig('L1', 0, 0)], tracking: { coastAfterUs: 5e6, dropAfterUs: 1e6 } },
    'tracking.dropAfterUs',
  );
  bad(
    { radars, launchers: [launcherConfig('L1', 0, 0)], engagement: { firstCommandId: 0 } },
    'engagement.firstCommandId',
  );
  t.ok(new ControlConfigError('x', 'y') instanceof Error);
  t.end();
});

t.test('a fresh core: HOLD, launchers not ready until told', (t) => {
  const state = createControlState(testConfig());
  t.equal(state.weaponsControlStatus, 'hold');
  t.same(
    state.launcherList().map((l) => [l.launcherId, l.ready, l.notReadyReasons]),
    [
      ['L1', false, ['launcher-no-status']],
      ['L2', false, ['launcher-no-status']],
    ],
  );
  t.end();
});
