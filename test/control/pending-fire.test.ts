import t from 'tap';
import {
  createControlState,
  step,
  type ControlInput,
  type ControlState,
  type EngagementEvent,
} from '../../src/control/index.js';
import { launcherConfig, launcherStatus, measurement, operator, testConfig, type Truth } from './fixtures.js';
import { MiniWorld, runWorld, type RunLog } from './mini-world.js';

const TICK = 1_000;
const TARGET: Truth = { eastM: 20_000, northM: 0, upM: 5_000, eastMps: -200, northMps: 0, upMps: 0 };

/** A one-launcher bench run until the core sends FIRE; returns the state, world, log and that tick. */
function untilFireSent(): { state: ControlState; world: MiniWorld; log: RunLog; fireAtUs: number } {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0)] });
  const state = createControlState(config);
  const world = new MiniWorld(config, [{ truth: TARGET, iff: 'hostile' }]);
  const log: RunLog = { events: [], commands: [] };
  let now = 0;
  for (; now <= 5_000_000; now += TICK) {
    runWorld(
      (i, n) => step(state, i, n),
      world,
      {
        fromUs: now,
        untilUs: now,
        tickUs: TICK,
        extra: (n) => (n === 500_000 ? [operator(n, { verb: 'set-weapons-control', status: 'free' })] : []),
      },
      log,
    );
    if (log.commands.some((c) => c.kind === 'fire')) break;
  }
  return { state, world, log, fireAtUs: now };
}

function lastEngagement(log: RunLog): EngagementEvent {
  return log.events.filter((e): e is EngagementEvent => e.kind === 'engagement').at(-1)!;
}

function next(state: ControlState, world: MiniWorld, log: RunLog, atUs: number, extra: ControlInput[]): void {
  runWorld((i, n) => step(state, i, n), world, { fromUs: atUs, untilUs: atUs, tickUs: TICK, extra: () => extra }, log);
}

t.test('weapons HOLD while a FIRE is outstanding: ABORT, launcher stays armed', (t) => {
  const { state, world, log, fireAtUs } = untilFireSent();
  const now = fireAtUs + TICK;
  next(state, world, log, now, [operator(now, { verb: 'set-weapons-control', status: 'hold' }, ['op-a'])]);
  const abort = log.commands.at(-1)!;
  t.equal(abort.kind, 'abort');
  t.equal(lastEngagement(log).reason, 'weapons-hold');
  t.equal(lastEngagement(log).commandId, abort.commandId);
  next(state, world, log, now + TICK, []);
  t.equal(lastEngagement(log).transition, 'abort-confirmed', 'the launcher confirmed');
  t.equal(world.fires.length, 0, 'no interceptor left');
  t.end();
});

t.test('link lost while a FIRE is outstanding: SAFE', (t) => {
  const { state, world, log, fireAtUs } = untilFireSent();
  const now = fireAtUs + TICK;
  next(state, world, log, now, [launcherStatus('L1', now, { linkFresh: false })]);
  const safe = log.commands.at(-1)!;
  t.equal(safe.kind, 'safe');
  t.equal(lastEngagement(log).reason, 'link-not-fresh');
  t.end();
});

t.test('time sync out of bound while a FIRE is outstanding: ABORT', (t) => {
  const { state, world, log, fireAtUs } = untilFireSent();
  const now = fireAtUs + TICK;
  next(state, world, log, now, [launcherStatus('L1', now, { timeSyncUncertaintyUs: 5_000 })]);
  t.equal(log.commands.at(-1)!.kind, 'abort');
  t.equal(lastEngagement(log).reason, 'time-sync-out-of-bound');
  t.end();
});

t.test('target manoeuvres after FIRE, before launch: ABORT solution-moved, then a new plan', (t) => {
  const { state, world, log, fireAtUs } = untilFireSent();
  const now = fireAtUs + TICK;
  // A radar reports the target turning north at 200 m/s.
  const turned = { ...TARGET, eastMps: 0, northMps: 200 };
  const m = measurement('R1', 100, now, {
    ...turned,
    eastM: TARGET.eastM - 200 * (now / 1e6) - 0,
    northM: -200 * (now / 1e6),
  });
  next(state, world, log, now, [m]);
  t.equal(log.commands.at(-1)!.kind, 'abort');
  t.equal(lastEngagement(log).reason, 'solution-moved');
  const aborted = lastEngagement(log);
  for (let n = now + TICK; n <= now + 20 * TICK; n += TICK) next(state, world, log, n, []);
  const transitions = log.events
    .filter((e): e is EngagementEvent => e.kind === 'engagement' && e.seq > aborted.seq)
    .map((e) => `${e.engagementId}:${e.transition}`);
  t.same(
    transitions.slice(0, 2),
    [`${aborted.engagementId}:abort-confirmed`, `${aborted.engagementId + 1}:planned`],
    'confirmed, then planned afresh',
  );
  t.end();
});

t.test('cease-fire lets a FIRE already sent go; hold-fire does not', (t) => {
  const a = untilFireSent();
  const trackId = a.state.tracks()[0]!.trackId;
  const now = a.fireAtUs + TICK;
  next(a.state, a.world, a.log, now, [operator(now, { verb: 'cease-fire', trackId })]);
  t.notOk(
    a.log.commands.some((c) => c.kind === 'abort'),
    'cease-fire: no ABORT',
  );
  for (let n = now + TICK; n <= now + 60 * TICK; n += TICK) next(a.state, a.world, a.log, n, []);
  t.ok(
    a.log.events.some((e) => e.kind === 'engagement' && e.transition === 'launched'),
    'launched',
  );

  const b = untilFireSent();
  const nowB = b.fireAtUs + TICK;
  next(b.state, b.world, b.log, nowB, [operator(nowB, { verb: 'hold-fire', trackId })]);
  t.equal(b.log.commands.at(-1)!.kind, 'abort', 'hold-fire: ABORT');
  t.equal(lastEngagement(b.log).reason, 'hold-fire');
  t.end();
});

t.test('manoeuvre before FIRE: re-planned with a new SLEW', (t) => {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0, { slewRateDegPerS: 20 })] });
  const state = createControlState(config);
  const world = new MiniWorld(config, [{ truth: TARGET, iff: 'hostile' }], { slewFollows: false });
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 1_000_000,
    tickUs: TICK,
    extra: (n) => (n === 500_000 ? [operator(n, { verb: 'set-weapons-control', status: 'free' })] : []),
  });
  t.equal(state.engagementList()[0]?.state, 'planned', 'planned, waiting for the slew');
  const now = 1_001_000;
  const turned = { ...TARGET, eastMps: 0, northMps: 200 };
  next(state, world, log, now, [measurement('R1', 100, now, { ...turned, eastM: 20_000 - 200, northM: -200 })]);
  const replanned = lastEngagement(log);
  t.equal(replanned.transition, 'replanned');
  t.equal(log.commands.at(-1)!.kind, 'slew', 'new SLEW');
  t.end();
});
