import t from 'tap';
import { scenarioSchema } from '../../src/config/scenario-schema.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { SharedFate } from '../../firmware-sim/world/shared-fate.js';
import { vec } from '../../firmware-sim/world/vector3.js';
import { World } from '../../firmware-sim/world/world.js';

const target = {
  id: 'cm-1',
  kind: 'constant-velocity' as const,
  startS: 0,
  position: { eastM: 5000, northM: 0, upM: 1000 },
  velocity: { eastMps: 0, northMps: 0, upMps: 0 },
  iff: 'hostile' as const,
};

t.test('one world for two simulators: a kill in one destroys the target in the other, recorded once', async (t) => {
  const clock = new VirtualClock();
  const scenario = scenarioSchema.parse({ seed: 1, durationS: 20, truthSampleMs: 100, targets: [target] });
  const fate = new SharedFate();
  const shooterTruth = new MemoryTruthSink();
  const otherTruth = new MemoryTruthSink();
  const aloneTruth = new MemoryTruthSink();
  const shooter = new World({ scenario, clock, truth: shooterTruth, powerOnUs: 0, fate });
  const other = new World({ scenario, clock, truth: otherTruth, powerOnUs: 0, fate });
  const alone = new World({ scenario, clock, truth: aloneTruth, powerOnUs: 0 });
  for (const w of [shooter, other, alone]) w.start();
  await clock.runUntil(1e6);
  shooter.launch({
    launcherId: 'l1',
    commandId: 1,
    trackId: 1,
    origin: vec(0, 0, 0),
    aim: vec(5000, 0, 1000),
    speedMps: 1000,
    lethalRadiusM: 50,
    maxFlightTimeS: 20,
    executedSharedUs: 1e6,
    executeAtUs: 1e6,
    launcherTimeUs: 1e6,
    plannedSharedUs: 1e6,
    receivedSharedUs: 1e6,
    roundsRemaining: 0,
  });
  await clock.runUntil(20e6);
  const kills = shooterTruth.ofKind('kill');
  t.equal(kills.length, 1, 'the shooting world records the kill');
  const killUs = kills[0]!.tUs;
  t.equal(otherTruth.ofKind('kill').length, 0, 'the other world does not record it (not its engagement)');
  t.equal(other.targets[0]!.destroyedUs, killUs, 'but its copy of the target is destroyed at the same instant');
  t.ok(
    otherTruth.ofKind('target').every((s) => s.tUs <= killUs + 10_000),
    'the other world stops sampling it (within one physics step)',
  );
  t.ok(
    aloneTruth.ofKind('target').some((s) => s.tUs > killUs + 1e6),
    'a world without the shared fate still flies it (what each node saw before: two worlds)',
  );
  t.equal(other.flyingTargets(15e6).length, 0, 'its radars no longer see it');
});
