import t from 'tap';
import {
  createControlState,
  step,
  type ControlInput,
  type EngagementEvent,
  type FireCommand,
} from '../../src/control/index.js';
import { G, launcherConfig, operator, testConfig } from './fixtures.js';
import { MiniWorld, runWorld, type RunLog } from './mini-world.js';

const TICK = 1_000;

function engagementEvents(log: RunLog): EngagementEvent[] {
  return log.events.filter((e): e is EngagementEvent => e.kind === 'engagement');
}

function fires(log: RunLog): (FireCommand & { atUs: number })[] {
  return log.commands.filter((c): c is FireCommand & { atUs: number } => c.kind === 'fire');
}

const freeAt =
  (atUs: number) =>
  (now: number): ControlInput[] =>
    now === atUs ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];

t.test('hostile constant-velocity target: planned, SLEW, FIRE on time, launched, kill', (t) => {
  const config = testConfig();
  const state = createControlState(config);
  const world = new MiniWorld(config, [
    { truth: { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 }, iff: 'hostile' },
  ]);
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 30_000_000,
    tickUs: TICK,
    extra: freeAt(1_000_000),
  });
  const transitions = engagementEvents(log).map((e) => e.transition);
  t.same(transitions, ['planned', 'fire-sent', 'launched', 'intercept-assessed']);
  const assessed = engagementEvents(log).at(-1)!;
  t.equal(assessed.result, 'kill');
  t.equal(world.killed.size, 1, 'the truth world agrees: killed');
  const [fire] = fires(log);
  t.ok(fire, 'one FIRE');
  const leadUs = fire!.launchAtHostUs - fire!.atUs;
  t.ok(leadUs >= 50_000 && leadUs <= 51_000, `FIRE sent ${leadUs} µs ahead (command lead 50 ms + one tick)`);
  const slew = log.commands.find((c) => c.kind === 'slew');
  t.ok(slew && slew.atUs <= fire!.atUs, 'SLEW before FIRE');
  t.ok(world.closestApproachM[0]! < 1, `closest approach ${world.closestApproachM[0]} m`);
  const seqs = log.events.map((e) => e.seq);
  t.same(
    seqs,
    seqs.map((_, i) => i + 1),
    'event seq numbers 1, 2, 3, ... with no gap',
  );
  t.end();
});

t.test('ballistic target is classed ballistic and killed (gravity-aware prediction)', (t) => {
  const config = testConfig();
  const state = createControlState(config);
  // 40 s of flight under gravity: a constant-velocity prediction would miss by kilometres.
  const world = new MiniWorld(config, [
    {
      truth: { eastM: 38_000, northM: 6_000, upM: 12_000, eastMps: -700, northMps: -100, upMps: 150, accelUpMps2: -G },
      iff: 'hostile',
    },
  ]);
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 30_000_000,
    tickUs: TICK,
    extra: freeAt(2_000_000),
  });
  t.ok(
    log.events.some((e) => e.kind === 'track' && e.transition === 'classified' && e.model === 'ballistic'),
    'classified ballistic',
  );
  t.equal(world.killed.size, 1, 'killed');
  t.ok(world.closestApproachM[0]! < 5, `closest approach ${world.closestApproachM[0]?.toFixed(2)} m`);
  t.end();
});

t.test('a miss is assessed and the target engaged again', (t) => {
  const config = testConfig();
  const state = createControlState(config);
  const world = new MiniWorld(
    config,
    [{ truth: { eastM: 30_000, northM: 10_000, upM: 6_000, eastMps: -200, northMps: -50, upMps: 0 }, iff: 'hostile' }],
    { lethalRadiusM: -1 },
  );
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 40_000_000,
    tickUs: TICK,
    extra: freeAt(1_000_000),
  });
  const ev = engagementEvents(log);
  const first = ev.find((e) => e.transition === 'intercept-assessed');
  t.equal(first?.result, 'miss', 'first assessed a miss');
  const second = ev.find((e) => e.transition === 'planned' && e.engagementId !== ev[0]!.engagementId);
  t.ok(second, 're-engaged after the miss');
  t.ok(second!.atUs >= first!.atUs && second!.seq > first!.seq, 'only after the assessment');
  t.equal(second!.trackId, first!.trackId, 'same track');
  t.end();
});

t.test('threat order: the earlier impact is engaged first; a launcher fires one at a time', (t) => {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0)] });
  const state = createControlState(config);
  const world = new MiniWorld(config, [
    // Slow, descending far away: impact in ~100 s.
    { truth: { eastM: 20_000, northM: 0, upM: 5_000, eastMps: -100, northMps: 0, upMps: -50 }, iff: 'hostile' },
    // Faster dive: impact in ~20 s.
    { truth: { eastM: 0, northM: 20_000, upM: 6_000, eastMps: 0, northMps: -300, upMps: -300 }, iff: 'hostile' },
  ]);
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 4_000_000,
    tickUs: TICK,
    extra: freeAt(1_000_000),
  });
  const tracks = state.tracks();
  t.equal(tracks.length, 2);
  const urgent = tracks[0]!;
  t.ok(urgent.impactAtHostUs! < tracks[1]!.impactAtHostUs!, 'threat order by impact time');
  const planned = engagementEvents(log).filter((e) => e.transition === 'planned');
  t.equal(planned[0]?.trackId, urgent.trackId, 'the urgent track is engaged first');
  // One at a time: the launcher takes a new engagement only when the last one's FIRE is no
  // longer pending (launched, or the engagement ended without a launch).
  const holder = new Map<string, number>();
  const overlaps: string[] = [];
  for (const e of engagementEvents(log)) {
    const held = holder.get(e.launcherId);
    if (e.transition === 'planned') {
      if (held !== undefined) overlaps.push(`engagement ${e.engagementId} planned at ${e.atUs} while ${held} pending`);
      holder.set(e.launcherId, e.engagementId);
    } else if (['launched', 'abort-confirmed', 'failed'].includes(e.transition) && held === e.engagementId) {
      holder.delete(e.launcherId);
    }
  }
  t.same(overlaps, [], 'a launcher never holds two pending engagements');
  const fireTimes = fires(log).map((f) => f.atUs);
  t.equal(planned.length, 2, 'both targets engaged, by the one launcher');
  t.equal(fireTimes.length, 2, 'two FIREs');
  const firstLaunch = engagementEvents(log).find((e) => e.transition === 'launched')!;
  t.ok(fireTimes[1]! > firstLaunch.atUs, 'the second FIRE only after the first interceptor left the rail');
  t.end();
});

t.test('two launchers, one target: one engagement; rounds run out', (t) => {
  const config = testConfig({
    launchers: [launcherConfig('L1', 0, 0, { rounds: 1 }), launcherConfig('L2', 1_000, 0, { rounds: 1 })],
  });
  const state = createControlState(config);
  const world = new MiniWorld(
    config,
    [{ truth: { eastM: 25_000, northM: 0, upM: 5_000, eastMps: -200, northMps: 0, upMps: 0 }, iff: 'hostile' }],
    { lethalRadiusM: -1 },
  );
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 60_000_000,
    tickUs: TICK,
    extra: freeAt(1_000_000),
  });
  const f = fires(log);
  t.equal(f.length, 2, 'two rounds in all, then none left');
  t.not(f[0]!.launcherId, f[1]!.launcherId, 'one round from each launcher');
  t.ok(f[1]!.atUs > f[0]!.interceptAtHostUs, 'the second only after the first missed');
  t.same(
    state.launcherList().map((l) => l.roundsAvailable),
    [0, 0],
  );
  t.end();
});

t.test('friendly never engaged; unknown only under FREE', (t) => {
  const run = (status: 'tight' | 'free') => {
    const config = testConfig();
    const state = createControlState(config);
    const world = new MiniWorld(config, [
      { truth: { eastM: 20_000, northM: 0, upM: 5_000, eastMps: -200, northMps: 0, upMps: 0 }, iff: 'friendly' },
      { truth: { eastM: 0, northM: 20_000, upM: 5_000, eastMps: 0, northMps: -200, upMps: 0 }, iff: 'unknown' },
    ]);
    return runWorld((i, n) => step(state, i, n), world, {
      untilUs: 5_000_000,
      tickUs: TICK,
      extra: (now) => (now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status })] : []),
    });
  };
  const tight = run('tight');
  t.equal(fires(tight).length, 0, 'TIGHT: neither friendly nor unknown');
  const free = run('free');
  t.equal(fires(free).length, 1, 'FREE: the unknown only');
  t.end();
});

t.test(
  'no FIRE report: failed, launcher made SAFE, track not re-engaged before the intercept would be assessed',
  (t) => {
    const config = testConfig({ launchers: [launcherConfig('L1', 0, 0)] });
    const state = createControlState(config);
    const world = new MiniWorld(
      config,
      [{ truth: { eastM: 20_000, northM: 0, upM: 5_000, eastMps: -200, northMps: 0, upMps: 0 }, iff: 'hostile' }],
      { silentLaunchers: ['L1'] },
    );
    const log = runWorld((i, n) => step(state, i, n), world, {
      untilUs: 3_000_000,
      tickUs: TICK,
      extra: freeAt(1_000_000),
    });
    const failed = engagementEvents(log).find((e) => e.transition === 'failed');
    t.equal(failed?.reason, 'no-fire-report');
    const safe = log.commands.find((c) => c.kind === 'safe');
    t.equal(safe?.commandId, failed?.commandId, 'SAFE sent with the failure');
    t.equal(engagementEvents(log).filter((e) => e.transition === 'planned').length, 1, 'not planned again yet');
    t.end();
  },
);

t.test('operator orders', (t) => {
  const config = testConfig({ launchers: [launcherConfig('L1', 0, 0, { slewRateDegPerS: 20 })] });
  const state = createControlState(config);
  const world = new MiniWorld(
    config,
    [{ truth: { eastM: 20_000, northM: 0, upM: 5_000, eastMps: -200, northMps: 0, upMps: 0 }, iff: 'hostile' }],
    { slewFollows: false },
  );
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 1_000_000,
    tickUs: TICK,
    extra: (now) =>
      now === 500_000
        ? [
            operator(now, { verb: 'set-weapons-control', status: 'free' }, ['op-a']),
            operator(now, { verb: 'set-weapons-control', status: 'free' }, ['op-a', 'op-a']),
            operator(now, { verb: 'set-weapons-control', status: 'tight' }, []),
          ]
        : [],
  });
  const results = log.events.filter((e) => e.kind === 'operator-command-result');
  t.same(
    results.map((r) => r.kind === 'operator-command-result' && r.reason),
    ['not-enough-operators', 'not-enough-operators', 'no-operator'],
    'FREE needs two distinct operators; no operator, no command',
  );
  t.equal(state.weaponsControlStatus, 'hold', 'still HOLD');
  const trackId = state.tracks()[0]!.trackId;
  // FREE; the launcher slews slowly, so the engagement stays planned for a while.
  runWorld(
    (i, n) => step(state, i, n),
    world,
    { fromUs: 1_001_000, untilUs: 1_100_000, tickUs: TICK, extra: freeAt(1_001_000) },
    log,
  );
  t.equal(state.engagementList()[0]?.state, 'planned');
  runWorld(
    (i, n) => step(state, i, n),
    world,
    {
      fromUs: 1_101_000,
      untilUs: 1_200_000,
      tickUs: TICK,
      extra: (now) => (now === 1_101_000 ? [operator(now, { verb: 'hold-fire', trackId })] : []),
    },
    log,
  );
  const dropped = engagementEvents(log).at(-1)!;
  t.equal(dropped.transition, 'aborted');
  t.equal(dropped.reason, 'hold-fire');
  t.equal(state.engagementList().length, 0, 'nothing pending; not re-planned while held');
  runWorld(
    (i, n) => step(state, i, n),
    world,
    {
      fromUs: 1_201_000,
      untilUs: 1_300_000,
      tickUs: TICK,
      extra: (now) => (now === 1_201_000 ? [operator(now, { verb: 'engage-track', trackId })] : []),
    },
    log,
  );
  t.equal(state.engagementList()[0]?.state, 'planned', 'engage-track lifts the hold');
  t.equal(state.tracks()[0]!.operatorPriority, true);
  const engagementId = state.engagementList()[0]!.engagementId;
  runWorld(
    (i, n) => step(state, i, n),
    world,
    {
      fromUs: 1_301_000,
      untilUs: 1_302_000,
      tickUs: TICK,
      extra: (now) => (now === 1_301_000 ? [operator(now, { verb: 'abort-engagement', engagementId })] : []),
    },
    log,
  );
  t.ok(
    engagementEvents(log).some((e) => e.engagementId === engagementId && e.reason === 'operator-abort'),
    'abort-engagement',
  );
  t.end();
});
