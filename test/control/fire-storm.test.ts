/**
 * Refused FIREs feed back into the core: a launcher that NAKs every FIRE gets a bounded number
 * of them. The bound: a (track, launcher) pair is given up after
 * `engagement.maxFireRefusalsPerTarget` refusals (default 3), and between two FIREs to a
 * refusing launcher lies at least its back-off (250 ms, doubling per refusal in a row, capped at
 * 8 s). So a launcher refusing everything gets at most 3 FIREs per track it could engage,
 * and never more than one per back-off interval.
 */
import t from 'tap';
import {
  createControlState,
  DEFAULT_ENGAGEMENT_CONFIG,
  step,
  type ControlInput,
  type EngagementEvent,
  type LauncherReadinessEvent,
  type NakReason,
} from '../../src/control/index.js';
import { launcherConfig, operator, testConfig } from './fixtures.js';
import { MiniWorld, runWorld, type RunLog } from './mini-world.js';

const TICK = 1_000;
const free = (now: number): ControlInput[] =>
  now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];

const HOSTILE = { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 };

function run(nak: NakReason, launchers = [launcherConfig('L1', 0, 0)], untilUs = 60_000_000): RunLog {
  const config = testConfig({ launchers });
  const state = createControlState(config);
  const world = new MiniWorld(config, [{ truth: HOSTILE, iff: 'hostile' }], { refusingLaunchers: { L1: nak } });
  return runWorld((i, n) => step(state, i, n), world, { untilUs, tickUs: TICK, extra: free });
}

const firesOf = (log: RunLog, launcherId: string) =>
  log.commands.filter((c) => c.kind === 'fire' && c.launcherId === launcherId);
const engagements = (log: RunLog): EngagementEvent[] =>
  log.events.filter((e): e is EngagementEvent => e.kind === 'engagement');

for (const nak of ['out-of-envelope', 'busy'] as const) {
  t.test(
    `a launcher refusing every FIRE (${nak}) gets ${DEFAULT_ENGAGEMENT_CONFIG.maxFireRefusalsPerTarget} for one target in 60 s, then none`,
    (t) => {
      const log = run(nak);
      const fires = firesOf(log, 'L1');
      t.equal(
        fires.length,
        DEFAULT_ENGAGEMENT_CONFIG.maxFireRefusalsPerTarget,
        'FIREs bounded by the per-target limit',
      );
      const gaps = fires.slice(1).map((f, i) => f.atUs - fires[i]!.atUs);
      t.ok(
        gaps.every((g, i) => g >= DEFAULT_ENGAGEMENT_CONFIG.fireRefusalBackoffUs * 2 ** i),
        `FIREs spaced by the doubling back-off: ${gaps.map((g) => g / 1000).join(', ')} ms`,
      );
      const failed = engagements(log).filter((e) => e.transition === 'failed');
      t.equal(failed.length, fires.length, 'every refusal fails its engagement');
      t.ok(
        failed.every((e) => e.nakReason === nak),
        'with the NAK reason',
      );
      t.same(
        failed.map((e) => e.reason),
        ['refused', 'refused', 'refusal-limit'],
        'the last one says the target was given up',
      );
      const readiness = log.events.filter(
        (e): e is LauncherReadinessEvent => e.kind === 'launcher-readiness' && e.launcherId === 'L1',
      );
      t.ok(
        readiness.some((e) => !e.ready && e.reasons.includes('fire-refused')),
        'the launcher is reported not ready (fire-refused) while it backs off',
      );
      t.ok(readiness.at(-1)!.ready, 'and ready again afterwards');
      t.end();
    },
  );
}

t.test('the refused target goes to another launcher, which kills it', (t) => {
  // L1 is nearer the target: the planner picks it first.
  const log = run('out-of-envelope', [launcherConfig('L1', 5_000, 0), launcherConfig('L2', 0, 0)]);
  const l1 = firesOf(log, 'L1').length;
  t.ok(l1 >= 1 && l1 <= DEFAULT_ENGAGEMENT_CONFIG.maxFireRefusalsPerTarget, `L1 got ${l1} FIREs`);
  const kill = engagements(log).find((e) => e.transition === 'intercept-assessed' && e.result === 'kill');
  t.equal(kill?.launcherId, 'L2', 'L2 killed it');
  t.end();
});

t.test('the per-target limit is a config knob', (t) => {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0)], engagement: { maxFireRefusalsPerTarget: 1 } });
  const state = createControlState(config);
  const world = new MiniWorld(config, [{ truth: HOSTILE, iff: 'hostile' }], {
    refusingLaunchers: { L1: 'busy' },
  });
  const log = runWorld((i, n) => step(state, i, n), world, { untilUs: 30_000_000, tickUs: TICK, extra: free });
  t.equal(firesOf(log, 'L1').length, 1);
  t.end();
});

t.test('FIREs to a launcher refusing everything stay bounded with many targets', (t) => {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0, { rounds: 100 })], tracking: { maxTracks: 64 } });
  const state = createControlState(config);
  const targets = Array.from({ length: 10 }, (_, i) => ({
    truth: { ...HOSTILE, northM: HOSTILE.northM + i * 2_000 },
    iff: 'hostile' as const,
  }));
  const world = new MiniWorld(config, targets, { refusingLaunchers: { L1: 'busy' } });
  const untilUs = 60_000_000;
  const log = runWorld((i, n) => step(state, i, n), world, { untilUs, tickUs: TICK, extra: free });
  const fires = firesOf(log, 'L1');
  // Back-off doubles from 250 ms to its 8 s cap: at most 6 FIREs in the first 15.75 s, then one per 8 s.
  const byBackoff = 6 + Math.ceil(untilUs / DEFAULT_ENGAGEMENT_CONFIG.fireRefusalBackoffMaxUs);
  t.ok(fires.length <= Math.min(10 * 3, byBackoff), `${fires.length} FIREs in 60 s (bound ${byBackoff})`);
  t.ok(fires.length >= 3, 'but the launcher is still tried');
  t.end();
});
