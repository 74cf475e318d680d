import t from 'tap';
import type { ScenarioInput } from '../../src/config/scenario-schema.js';
import type { SimTarget } from '../../firmware-sim/world/world.js';
import { type Vec3, norm, sub } from '../../firmware-sim/world/vector3.js';
import { BASE_SCENARIO, type Bench, armedLauncher, bench } from './sim-harness.js';

const SCENARIO: ScenarioInput = {
  ...BASE_SCENARIO,
  durationS: 120,
  targets: [
    {
      id: 'tbm',
      kind: 'ballistic',
      startS: 0,
      iff: 'hostile',
      position: { eastM: 30_000, northM: 5_000, upM: 15_000 },
      velocity: { eastMps: -600, northMps: -100, upMps: 100 },
    },
    {
      id: 'friend',
      kind: 'constant-velocity',
      startS: 0,
      iff: 'friendly',
      position: { eastM: -15_000, northM: 0, upM: 4_000 },
      velocity: { eastMps: 0, northMps: 150, upMps: 0 },
    },
    {
      id: 'tbm-2',
      kind: 'ballistic',
      startS: 0,
      iff: 'hostile',
      position: { eastM: 20_000, northM: -20_000, upM: 12_000 },
      velocity: { eastMps: -300, northMps: 300, upMps: 50 },
    },
  ],
  launchers: [{ ...BASE_SCENARIO.launchers![0]!, clock: { offsetUs: 4_000_000, driftPpm: -80 } }],
};

/**
 * A host that cheats: it reads the truth to plan a perfect intercept. Only tests do this —
 * it checks the simulator's physics, not a host.
 */
function plan(b: Bench, target: SimTarget, launchSharedUs: number): { aim: Vec3; interceptUs: number } {
  const launcher = b.sim.launcher('launcher-1');
  const delayUs = launcher.spec.launchDelayMs * 1000;
  let lo = launchSharedUs + delayUs;
  let hi = lo + launcher.spec.maxFlightTimeS * 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    const reach = (launcher.spec.speedMps * (mid - launchSharedUs - delayUs)) / 1e6;
    if (reach >= norm(sub(target.positionAt(mid), launcher.position))) hi = mid;
    else lo = mid;
  }
  return { aim: target.positionAt(hi), interceptUs: hi };
}

function fireAt(b: Bench, targetId: string, launchSharedUs: number, commandId: number, missOffsetM = 0): number {
  const launcher = b.sim.launcher('launcher-1');
  const target = b.sim.world.targets.find((x) => x.id === targetId)!;
  const { aim, interceptUs } = plan(b, target, launchSharedUs);
  b.host('launcher-1').command({
    type: 'FIRE',
    commandId,
    trackId: 1,
    executeAtUs: launcher.deviceClock.toDeviceUs(launchSharedUs),
    aimEastM: aim.x + missOffsetM,
    aimNorthM: aim.y,
    aimUpM: aim.z,
  });
  return interceptUs;
}

t.test(
  'an interceptor flown at the truth intercept point kills the target; the radar drops it destroyed',
  async (t) => {
    const b = await bench(SCENARIO);
    b.host('radar-1').hello();
    await armedLauncher(b);
    const launchUs = b.clock.nowUs() + 200_000;
    const interceptUs = fireAt(b, 'tbm', launchUs, 500);
    await b.clock.runUntil(interceptUs + 2_000_000);
    const [kill] = b.truth.ofKind('kill');
    t.match(kill, { targetId: 'tbm', iff: 'hostile', launcherId: 'launcher-1', commandId: 500 });
    t.ok(kill!.missM < 1, `miss ${kill!.missM} m (f32 aim point)`);
    t.ok(Math.abs(kill!.tUs - interceptUs) < 50_000, 'at the planned instant');
    t.match(b.truth.ofKind('closest-approach')[0], { end: 'detonated', targetId: 'tbm' });
    const drops = b.host('radar-1').all('TRACK_DROP');
    const trackOf = b
      .host('radar-1')
      .all('TRACK_REPORT')
      .find((r) => r.iffClass === 'hostile' && Math.abs(r.upM - 15_000) < 5_000)!;
    t.ok(
      drops.some((d) => d.trackId === trackOf.trackId && d.reason === 'destroyed'),
      'TRACK_DROP destroyed (ICD-RDR-004)',
    );
    t.equal(b.sim.world.totals.hostilesKilled, 1);
    await b.clock.runUntil(120e6);
    const end = b.truth.ofKind('run-end')[0]!;
    t.match(end, { hostiles: 2, hostilesKilled: 1, leakers: 1, friendlyKills: 0, launches: 1, duplicateExecutions: 0 });
    t.ok(
      b.truth.ofKind('impact').some((i) => i.targetId === 'tbm-2' && i.leaker),
      'the unengaged hostile leaks',
    );
    t.notOk(
      b.truth.ofKind('impact').some((i) => i.targetId === 'tbm'),
      'a destroyed target does not land',
    );
    await b.sim.stop();
  },
);

t.test('a miss: closest approach and miss distance logged, target survives', async (t) => {
  const b = await bench(SCENARIO);
  await armedLauncher(b);
  const interceptUs = fireAt(b, 'tbm', b.clock.nowUs() + 200_000, 501, 200);
  await b.clock.runUntil(interceptUs + 40e6);
  t.equal(b.truth.ofKind('kill').length, 0);
  const [approach] = b.truth.ofKind('closest-approach');
  t.equal(approach?.targetId, 'tbm');
  t.ok(approach!.missM! > 20 && approach!.missM! < 200, `miss ${approach?.missM}`);
  t.ok(approach!.end === 'flight-time' || approach!.end === 'ground');
  await b.sim.stop();
});

t.test('a friendly destroyed is a friendly-kill in the truth log', async (t) => {
  const b = await bench(SCENARIO);
  await armedLauncher(b);
  fireAt(b, 'friend', b.clock.nowUs() + 200_000, 502);
  await b.clock.advance(30e6);
  t.match(b.truth.ofKind('friendly-kill'), [{ targetId: 'friend', commandId: 502 }]);
  t.equal(b.sim.world.totals.friendlyKills, 1);
  await b.sim.stop();
});
