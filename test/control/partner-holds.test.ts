import t from 'tap';
import {
  createControlState,
  step,
  type ControlInput,
  type EngagementEvent,
  type PartnerHoldsInput,
} from '../../src/control/index.js';
import { operator, testConfig } from './fixtures.js';
import { MiniWorld, runWorld, type RunLog } from './mini-world.js';

const TICK = 1_000;
const TARGET = {
  truth: { eastM: 30_000, northM: 20_000, upM: 8_000, eastMps: -250, northMps: -150, upMps: 0 },
  iff: 'hostile' as const,
};

function holds(atUs: number, seq: number, list: { trackId: number; untilUs: number }[]): PartnerHoldsInput {
  return { kind: 'partner-holds', receivedAtUs: atUs, sourceId: 'coordination', seq, holds: list };
}

function run(extra: (now: number) => ControlInput[]): RunLog {
  const config = testConfig();
  const state = createControlState(config);
  const world = new MiniWorld(config, [TARGET]);
  return runWorld((i, n) => step(state, i, n), world, { untilUs: 30_000_000, tickUs: TICK, extra });
}

function engagements(log: RunLog): EngagementEvent[] {
  return log.events.filter((e): e is EngagementEvent => e.kind === 'engagement');
}

t.test('a partner hold on every track id keeps the core from engaging until it expires', (t) => {
  const free = (now: number): ControlInput[] =>
    now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];
  const baseline = run(free);
  const firstPlan = engagements(baseline).find((e) => e.transition === 'planned');
  t.ok(firstPlan, 'without holds the target is engaged');
  const trackId = firstPlan!.trackId;
  const plannedAtUs = firstPlan!.atUs;

  const untilUs = plannedAtUs + 3_000_000;
  const held = run((now) => [...free(now), ...(now === 500_000 ? [holds(now, 1, [{ trackId, untilUs }])] : [])]);
  const plans = engagements(held).filter((e) => e.transition === 'planned');
  t.ok(plans.length > 0, 'engaged once the hold lapsed');
  t.ok(plans[0]!.atUs >= untilUs, `first plan at ${plans[0]!.atUs} ≥ hold end ${untilUs}`);
  t.notOk(
    held.events.some((e) => e.kind === 'input-rejected'),
    'the partner-holds input is well formed',
  );
  t.end();
});

t.test('a hold arriving after planning drops the planned engagement (partner-engages); lifting it re-plans', (t) => {
  const free = (now: number): ControlInput[] =>
    now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];
  const baseline = run(free);
  const firstPlan = engagements(baseline).find((e) => e.transition === 'planned')!;
  const fire = engagements(baseline).find((e) => e.transition === 'fire-sent')!;
  t.ok(fire.atUs > firstPlan.atUs + 2 * TICK, 'there is a window between plan and FIRE');
  const holdAt = firstPlan.atUs + TICK;
  const liftAt = holdAt + 2_000_000;
  const log = run((now) => [
    ...free(now),
    ...(now === holdAt ? [holds(now, 1, [{ trackId: firstPlan.trackId, untilUs: 1e15 }])] : []),
    ...(now === liftAt ? [holds(now, 2, [])] : []),
  ]);
  const ev = engagements(log);
  const dropped = ev.find((e) => e.transition === 'aborted');
  t.equal(dropped?.reason, 'partner-engages', 'the planned engagement is dropped for the partner');
  t.equal(dropped?.fireCommandId, null, 'before any FIRE');
  t.notOk(
    log.commands.some((c) => c.kind === 'fire' && c.atUs < liftAt),
    'no FIRE while held',
  );
  t.ok(
    ev.some((e) => e.transition === 'planned' && e.atUs >= liftAt),
    're-planned once the hold is lifted',
  );
  t.end();
});

t.test('a hold never touches a FIRE already sent', (t) => {
  const free = (now: number): ControlInput[] =>
    now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];
  const baseline = run(free);
  const fire = engagements(baseline).find((e) => e.transition === 'fire-sent')!;
  const log = run((now) => [
    ...free(now),
    ...(now === fire.atUs + TICK ? [holds(now, 1, [{ trackId: fire.trackId, untilUs: 1e15 }])] : []),
  ]);
  t.same(
    engagements(log).map((e) => e.transition),
    engagements(baseline).map((e) => e.transition),
    'same engagement as without the hold',
  );
  t.end();
});

t.test('a malformed partner-holds input is rejected and changes nothing', (t) => {
  const free = (now: number): ControlInput[] =>
    now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : [];
  const baseline = run(free);
  const bad = {
    kind: 'partner-holds',
    receivedAtUs: 500_000,
    sourceId: 'coordination',
    seq: 1,
    holds: [{ trackId: -1, untilUs: Number.NaN }],
  } as unknown as ControlInput;
  const log = run((now) => [...free(now), ...(now === 500_000 ? [bad] : [])]);
  t.ok(
    log.events.some((e) => e.kind === 'input-rejected' && e.inputKind === 'partner-holds' && e.reason === 'malformed'),
    'rejected as malformed',
  );
  t.same(log.commands, baseline.commands, 'same commands as without it');
  t.end();
});
